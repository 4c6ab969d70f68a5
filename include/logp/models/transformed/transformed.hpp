#pragma once
// A continuous density model fitted to transformed data (transformed_steps.hpp):
//   log p(x) = log p_inner(T(x)) + log|det dT/dx|,
// so the reported values are densities of the data on its original scale (or, with
// dequantization, one draw of the lower bound on the discrete log-likelihood of the 8-bit values).
//
// Building one (the classic and rnade entries, models/classic/classic_entries.cpp, rnade_entry.cpp):
//   DataTransform t = DataTransform::fit(options, train);           // standardization fitted on train
//   closed-form inner:  inner fitted on t.forward_split(train), spec t.output_spec()
//   trained inner:      inner constructed with t.output_spec(), wrapped in a
//                       TrainableTransformedModel whose parameters() are the inner model's, so
//                       train_model() trains it directly.
//   with_transform(t, inner) returns inner itself when t is the identity.
#include <memory>

#include "logp/models/transformed/transformed_steps.hpp"
#include "logp/train/trainable.hpp"

namespace logp {

class TransformedModel : public DensityModel {
 public:
  // inner: a density over transform.output_spec().
  TransformedModel(DataTransform transform, std::unique_ptr<DensityModel> inner);
  // The trainable variant below when the inner model is Trainable.
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "transformed"; }
  std::string hyperparameters() const override;  // the inner model, then the transform
  Index num_parameters() const override { return inner_->num_parameters(); }
  Matrix sample(Index n, Rng& rng) const override;  // inner samples mapped back by T^-1
  void save(const H5Group& g) const override;
  LikelihoodKind likelihood_kind() const override;
  std::string_view value_name() const override { return inner_->value_name(); }

  const DensityModel& inner() const { return *inner_; }
  const DataTransform& transform() const { return transform_; }

 protected:
  DensityModel& mutable_inner() { return *inner_; }

 private:
  Vector log_prob_impl(ConstMatrixRef x) const override;

  DataTransform transform_;
  std::unique_ptr<DensityModel> inner_;
};

// A few characters for narrow tables: model.type(), or for a transformed model its inner model's
// type and the steps, "gmm+deq+logit+std" (the full description: type() and hyperparameters()).
std::string short_type(const Model& model);

// A transformed model whose inner model is trained by gradient (rnade): its parameters are the
// inner model's, and objective_and_grad transforms the batch (fresh dequantization noise from the
// training rng; the log-Jacobian shifts the objective, not the gradient).
class TrainableTransformedModel final : public TransformedModel, public Trainable {
 public:
  TrainableTransformedModel(DataTransform transform, std::unique_ptr<TrainableDensity> inner);

  const Model& trained_model() const override { return *this; }
  ParameterStore& parameters() override { return inner_trainable_->parameters(); }
  const ParameterStore& parameters() const override { return inner_trainable_->parameters(); }
  void initialize(Rng& rng) override { inner_trainable_->initialize(rng); }
  double objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const override;
  Vector validation_objective(ConstMatrixRef x) const override { return -log_prob(x); }
  ObjectiveNames objective_names() const override { return inner_trainable_->objective_names(); }

 private:
  TrainableDensity* inner_trainable_;  // the inner model, owned by TransformedModel
};

// The model to save: inner itself when the transform does nothing, else the wrapper.
std::unique_ptr<DensityModel> with_transform(const DataTransform& transform, std::unique_ptr<DensityModel> inner);

}  // namespace logp
