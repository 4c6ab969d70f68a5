#pragma once
// What the GAN family's models built on GanNetworks share (gan, dcgan, lsgan, sgan, infogan): the
// Model's type and parameter count and the AdversarialGame plumbing (parameter stores, batch-norm
// states, initialization, the training scale). Each model adds its losses, sampling and file.
#include <string>

#include "logp/models/gan/gan_networks.hpp"

namespace logp {

class NetworkGame : public Model, public AdversarialGame {
 public:
  std::string_view type() const override { return type_; }
  Index num_parameters() const override { return networks_.num_parameters(); }

  const Model& trained_model() const override { return *this; }
  ParameterStore& parameters(Player p) override { return networks_.store(p); }
  const ParameterStore& parameters(Player p) const override { return networks_.store(p); }
  GameNorms& norms() override { return networks_.norms; }
  const GameNorms& norms() const override { return networks_.norms; }
  void initialize(Rng& rng) override { networks_.initialize(rng); }
  Matrix to_training_scale(ConstMatrixRef x) const override { return networks_.scale.to_training(x); }

  const GanNetworks& networks() const { return networks_; }

 protected:
  NetworkGame(std::string type, const DataSpec& spec, GanNetworks networks)
      : Model(spec), type_(std::move(type)), networks_(std::move(networks)) {}

  std::string type_;
  GanNetworks networks_;
};

}  // namespace logp
