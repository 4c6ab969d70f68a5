#pragma once
// The networks every GAN of the family is built from: a generator (latent -> example) and a
// discriminator (example -> outputs), as MLPs or as DCGAN convolutional stacks, with the scaling
// between stored values and the [-1, 1] scale they train on.
//
// MLP (Goodfellow et al. 2014):  G: latent -> hidden... (relu) -> D;  D: D -> hidden reversed
//   (leaky relu 0.2) -> outputs.
// DCGAN (Radford et al. 2016), for H x W x c images with H, W divisible by 4, C = channels:
//   G: latent -> linear (H/4)(W/4)(2C) -> BN, relu -> conv-transpose 4x4 /2 -> C -> BN, relu
//      -> conv-transpose 4x4 /2 -> c
//   D: conv 4x4 /2 -> C, leaky relu 0.2 -> conv 4x4 /2 -> 2C -> BN, leaky relu 0.2 -> linear -> outputs
//   (strided convolutions, no pooling; weights N(0, 0.02^2)).
// Discrete data (binary, L levels) trains on x' = 2x/(L-1) - 1 with a tanh generator output;
// real data trains on its own values with a linear output.
//
// Discriminator regularizers (Salimans et al. 2016, the semi-supervised GAN; off by default, and
// only the sgan declares them): before each of the discriminator's weight layers, inverted
// dropout with probability p (`dropout`), then Gaussian noise of standard deviation
// `input_noise` on the input of the first weight layer (the example) and `hidden_noise` on the
// input of every later one. Training only: the networks evaluate (classify, progress checks)
// without them.
#include <string>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/data/data_spec.hpp"
#include "logp/models/gan/adversarial_game.hpp"
#include "logp/nn/layer_stack.hpp"

namespace logp {

class H5Group;

enum class GanArchitecture { mlp, dcgan };

struct GanNetworkOptions {
  GanArchitecture architecture = GanArchitecture::mlp;
  Index latent = 64;                    // z ~ N(0, I_latent)
  std::vector<Index> hidden = {256, 512};  // mlp: the generator's hidden sizes (the discriminator's, reversed)
  Index channels = 32;                  // dcgan: C
  std::vector<Index> discriminator_hidden;  // mlp: the discriminator's hidden sizes; empty: `hidden` reversed
  double input_noise = 0.0;             // discriminator: std of the Gaussian noise on its input (0: none)
  double hidden_noise = 0.0;            // discriminator: std of the noise on each later weight layer's input
  double dropout = 0.0;                 // discriminator: drop probability before each weight layer (0: none)

  // The discriminator's hidden sizes (mlp): discriminator_hidden, or hidden reversed.
  std::vector<Index> discriminator_sizes() const;
  bool regularized() const { return input_noise > 0.0 || hidden_noise > 0.0 || dropout > 0.0; }
};

std::string architecture_name(GanArchitecture architecture);  // "mlp" | "dcgan"
GanArchitecture parse_architecture(const std::string& text);

// Between stored values and the training scale.
class GanDataScale {
 public:
  explicit GanDataScale(const DataSpec& spec);
  bool bounded() const { return levels_ > 0; }  // discrete: [-1, 1], the generator ends in tanh
  Matrix to_training(ConstMatrixRef x) const;
  // Generated values -> stored values: Bernoulli draws of (g+1)/2 for binary data, the nearest of
  // the L levels for L-level data, g itself for real data.
  Matrix to_data(const Matrix& g, Rng& rng) const;

 private:
  int levels_ = 0;  // 0: real data
};

struct GanNetworks {
  // generator_inputs: latent (plus any codes); discriminator_outputs: 1 for a GAN, K for a
  // semi-supervised one, 1 + code outputs for InfoGAN.
  GanNetworks(const DataSpec& spec, const GanNetworkOptions& options, Index generator_inputs,
              Index discriminator_outputs);

  DataSpec spec;
  GanNetworkOptions options;
  GanDataScale scale;
  ParameterStore generator_store, discriminator_store;
  nn::LayerStack generator, discriminator;
  GameNorms norms;  // [discriminator], [generator]

  std::vector<ad::BatchNormState>& norms_of(Player p) { return norms[static_cast<std::size_t>(p)]; }
  ParameterStore& store(Player p) { return p == Player::generator ? generator_store : discriminator_store; }
  const ParameterStore& store(Player p) const { return p == Player::generator ? generator_store : discriminator_store; }
  Index num_parameters() const { return generator_store.size() + discriminator_store.size(); }

  // latent x n draws of N(0, 1), column by column.
  Matrix draw_latent(Index n, Rng& rng) const;
  // inputs: generator_inputs x n -> D x n in the training scale, running batch-norm statistics,
  // in fixed blocks of kEvaluationBlock columns (a column's value does not depend on n).
  Matrix generate(const Matrix& inputs) const;
  // The discriminator's outputs on x (D x n, training scale), running statistics, fixed blocks.
  Matrix discriminate(const Matrix& x) const;

  void initialize(Rng& rng);
  // "architecture=dcgan, latent=64, channels=32" (or "hidden=256,512" for mlp), then any
  // discriminator sizes and regularizers that are set ("discriminator_hidden=...,
  // input_noise=0.3, hidden_noise=0.5, dropout=0.5").
  std::string describe() const;
  // Groups generator/, discriminator/ (parameters) and norms/ (running statistics) of g.
  void save(const H5Group& g) const;
  void load(const H5Group& g);
};

// network(x) with running batch-norm statistics (norms: one per batch-norm layer; empty when it
// has none), x: [in, n] -> [out, n], in parallel over fixed blocks of kEvaluationBlock columns
// (the last padded), so a column's value does not depend on n.
Matrix evaluate_network(const nn::LayerStack& network, const ParameterStore& store,
                        const std::vector<ad::BatchNormState>& norms, const Matrix& x);

// Saves GanNetworkOptions as attributes of g and reads them back (files without the
// discriminator's sizes and regularizers read as `hidden` reversed and none).
void save_network_options(const H5Group& g, const GanNetworkOptions& options);
GanNetworkOptions load_network_options(const H5Group& g);

}  // namespace logp
