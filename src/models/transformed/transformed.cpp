#include "logp/models/transformed/transformed.hpp"

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/registry.hpp"

namespace logp {

TransformedModel::TransformedModel(DataTransform transform, std::unique_ptr<DensityModel> inner)
    : DensityModel(transform.data_spec()), transform_(std::move(transform)), inner_(std::move(inner)) {
  require(inner_ != nullptr, "transformed: no inner model");
  require(inner_->dim() == dim() && !inner_->data_spec().is_discrete(),
          "transformed: the inner " + std::string(inner_->type()) + " model is for " +
              inner_->data_spec().describe() + ", expected " + transform_.output_spec().describe());
}

std::string short_type(const Model& model) {
  const auto* transformed = dynamic_cast<const TransformedModel*>(&model);
  if (transformed == nullptr) return std::string(model.type());
  const TransformOptions& o = transformed->transform().options();
  return short_type(transformed->inner()) + (o.dequantize ? "+deq" : "") + (o.logit ? "+logit" : "") +
         (o.standardize ? "+std" : "");
}

std::string TransformedModel::hyperparameters() const {
  return std::string(inner_->type()) + " (" + inner_->hyperparameters() + ") on " + transform_.describe();
}

LikelihoodKind TransformedModel::likelihood_kind() const {
  return transform_.options().dequantize ? LikelihoodKind::lower_bound : inner_->likelihood_kind();
}

Vector TransformedModel::log_prob_impl(ConstMatrixRef x) const {
  Vector log_det;
  const Matrix z = transform_.forward(x, log_det);
  return inner_->log_prob(z) + log_det;
}

Matrix TransformedModel::sample(Index n, Rng& rng) const { return transform_.inverse(inner_->sample(n, rng)); }

TrainableTransformedModel::TrainableTransformedModel(DataTransform transform, std::unique_ptr<TrainableDensity> inner)
    : TransformedModel(std::move(transform), std::move(inner)),
      inner_trainable_(&dynamic_cast<TrainableDensity&>(mutable_inner())) {}

double TrainableTransformedModel::objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const {
  // The log-Jacobian does not depend on the parameters: it shifts the objective, not the gradient.
  Vector log_det;
  const Matrix z = transform().forward(x, log_det, transform().options().dequantize ? &rng : nullptr);
  return inner_trainable_->objective_and_grad(z, rng, grad) - log_det.sum();
}

void TransformedModel::save(const H5Group& g) const {
  g.set_attr("inner_type", std::string(inner_->type()));
  transform_.save(g.create_group("transform"));
  const H5Group inner = g.create_group("inner");
  inner_->data_spec().save(inner);
  inner_->save(inner);
}

std::unique_ptr<Model> TransformedModel::load(const H5Group& g, const DataSpec& spec) {
  DataTransform transform = DataTransform::load(g.group("transform"), spec);
  const H5Group inner_group = g.group("inner");
  const DataSpec inner_spec = DataSpec::load(inner_group);
  if (inner_spec.dim != spec.dim || inner_spec.is_discrete())
    throw Error(inner_group.file() + ":" + inner_group.path() + ": the inner model is for " + inner_spec.describe() +
                ", expected " + transform.output_spec().describe() + " (corrupt model file?)");
  std::unique_ptr<Model> inner = load_model_of_type(g.attr_string("inner_type"), inner_group, inner_spec);
  if (auto* trainable = dynamic_cast<TrainableDensity*>(inner.get())) {
    inner.release();
    return std::make_unique<TrainableTransformedModel>(std::move(transform), std::unique_ptr<TrainableDensity>(trainable));
  }
  auto* density = dynamic_cast<DensityModel*>(inner.get());
  if (density == nullptr) throw Error(g.where("inner") + ": the inner model has no density");
  inner.release();
  return std::make_unique<TransformedModel>(std::move(transform), std::unique_ptr<DensityModel>(density));
}

std::unique_ptr<DensityModel> with_transform(const DataTransform& transform, std::unique_ptr<DensityModel> inner) {
  if (transform.is_identity()) return inner;
  return std::make_unique<TransformedModel>(transform, std::move(inner));
}

}  // namespace logp
