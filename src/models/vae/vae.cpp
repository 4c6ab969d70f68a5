#include "logp/models/vae/vae.hpp"

#include <algorithm>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/models/vae/vae_estimate.hpp"
#include "logp/train/training_tape.hpp"

namespace logp {

std::vector<Index> parse_layer_sizes(const std::string& text, const std::string& option) {
  std::vector<Index> sizes;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    std::size_t used = 0;
    long value = 0;
    try {
      value = std::stol(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (item.empty() || used != item.size() || value <= 0)
      throw Error(option + " = '" + text + "': '" + item + "' is not a positive layer size");
    sizes.push_back(value);
  }
  return sizes;
}

std::string layer_sizes_text(const std::vector<Index>& sizes) {
  std::vector<std::string> parts;
  for (Index size : sizes) parts.push_back(std::to_string(size));
  return join(parts, ",");
}

VaeBound parse_vae_bound(const std::string& text) {
  if (text == "elbo") return VaeBound::elbo;
  if (text == "iwae") return VaeBound::iwae;
  throw Error("unknown bound '" + text + "' (expected elbo or iwae)");
}

std::string_view to_string(VaeBound bound) { return bound == VaeBound::elbo ? "elbo" : "iwae"; }

void require_vae_activation(Activation activation, const std::string& model) {
  require(std::find(kVaeActivations.begin(), kVaeActivations.end(), activation) != kVaeActivations.end(),
          model + ": activation " + activation_name(activation) + " is not one of relu, tanh, softplus");
}

VaeModel::VaeModel(DataSpec spec, VaeOptions options) : TrainableDensity(std::move(spec)), options_(std::move(options)) {
  require(options_.latent > 0, "vae: --latent must be positive, got " + std::to_string(options_.latent));
  require(options_.train_samples >= 1, "vae: --train-samples must be at least 1, got " +
                                           std::to_string(options_.train_samples));
  require(options_.objective == VaeBound::iwae || options_.train_samples == 1,
          "vae: the elbo objective uses one sample per example; --train-samples " +
              std::to_string(options_.train_samples) + " needs --objective iwae");
  network_.likelihood = vae_likelihood_for(data_spec(), options_.likelihood);
  options_.likelihood = std::string(to_string(network_.likelihood));
  network_.latent = options_.latent;
  std::vector<Index> encoder{dim()};
  encoder.insert(encoder.end(), options_.hidden.begin(), options_.hidden.end());
  encoder.push_back(2 * options_.latent);
  std::vector<Index> decoder{options_.latent};
  decoder.insert(decoder.end(), options_.hidden.rbegin(), options_.hidden.rend());
  decoder.push_back(decoder_outputs(network_.likelihood, dim()));
  require_vae_activation(options_.activation, "vae");
  network_.encoder = nn::Mlp::add_compact(parameters_, "encoder.", encoder, options_.activation);
  network_.decoder = nn::Mlp::add_compact(parameters_, "decoder.", decoder, options_.activation);
}

std::string VaeModel::hyperparameters() const {
  std::ostringstream out;
  out << "hidden=" << layer_sizes_text(options_.hidden) << ", latent=" << options_.latent
      << ", activation=" << activation_name(options_.activation) << ", likelihood=" << options_.likelihood
      << ", objective=" << to_string(options_.objective);
  if (options_.objective == VaeBound::iwae) out << "(k=" << options_.train_samples << ")";
  return out.str();
}

void VaeModel::initialize(Rng& rng) {
  network_.encoder.initialize_glorot(parameters_, rng);
  network_.decoder.initialize_glorot(parameters_, rng);
}

double VaeModel::objective_and_grad(ConstMatrixRef x, Rng& rng, std::span<float> grad) const {
  const Index k = options_.train_samples;
  Matrix eps(options_.latent, x.cols() * k);  // column j * k + s: example j, sample s
  for (Index c = 0; c < eps.cols(); ++c)
    for (Index i = 0; i < eps.rows(); ++i) eps(i, c) = static_cast<float>(rng.normal());
  ad::Tape& tape = training_tape();
  const ad::Var loss = vae_negative_bound<float>(tape, network_, parameters().blocks(), parameters().values(), grad,
                                                 x, eps, options_.objective, k);
  tape.backward(loss);
  return static_cast<double>(loss.value()(0, 0));
}

LikelihoodKind VaeModel::likelihood_kind() const {
  return estimator_.bound == VaeBound::elbo ? LikelihoodKind::lower_bound : LikelihoodKind::estimate;
}

void VaeModel::set_estimator(const VaeEstimator& estimator) {
  require(estimator.samples >= 1, "vae: --k must be at least 1, got " + std::to_string(estimator.samples));
  require(estimator.sample_chunk >= 1, "vae: --sample-chunk must be positive, got " +
                                           std::to_string(estimator.sample_chunk));
  estimator_ = estimator;
}

void VaeModel::select_estimator(const EstimatorSettings& settings) {
  VaeEstimator estimator;
  estimator.bound = parse_vae_bound(settings.estimator);
  estimator.samples = settings.samples;
  estimator.seed = settings.seed;
  estimator.sample_chunk = settings.sample_chunk;
  set_estimator(estimator);
}

std::string VaeModel::estimator_description() const {
  std::ostringstream out;
  if (estimator_.bound == VaeBound::elbo)
    out << "elbo: the evidence lower bound (analytic KL, reconstruction term averaged over " << estimator_.samples
        << " draw" << (estimator_.samples == 1 ? "" : "s") << " per example, seed " << estimator_.seed
        << "), a lower bound on log p(x), not the log-likelihood";
  else
    out << "iwae: importance-weighted estimate with k=" << estimator_.samples << " samples per example (seed "
        << estimator_.seed << "), a stochastic lower bound on log p(x) in expectation, tighter as k grows";
  return out.str();
}

Vector VaeModel::log_prob_impl(ConstMatrixRef x) const { return vae_estimate(network_, parameters(), x, estimator_); }

Matrix VaeModel::encode(ConstMatrixRef x) const {
  require(x.rows() == dim(), "vae encode: examples have D=" + std::to_string(x.rows()) + " but the model expects D=" +
                                 std::to_string(dim()));
  return network_.encoder.forward(parameters(), x).topRows(options_.latent);
}

Matrix VaeModel::sample(Index n, Rng& rng) const {
  Matrix z(options_.latent, n);
  for (Index c = 0; c < n; ++c)
    for (Index i = 0; i < options_.latent; ++i) z(i, c) = static_cast<float>(rng.normal());
  return decoder_sample(network_.likelihood, network_.decoder.forward(parameters(), z), rng);
}

void VaeModel::save(const H5Group& g) const {
  g.set_attr("hidden", layer_sizes_text(options_.hidden));
  g.set_attr("latent", static_cast<std::int64_t>(options_.latent));
  g.set_attr("activation", std::string(activation_name(options_.activation)));
  g.set_attr("likelihood", options_.likelihood);
  g.set_attr("objective", std::string(to_string(options_.objective)));
  g.set_attr("train_samples", static_cast<std::int64_t>(options_.train_samples));
  parameters_.save(g.create_group("parameters"));
}

std::unique_ptr<Model> VaeModel::load(const H5Group& g, const DataSpec& spec) {
  VaeOptions options;
  options.hidden = parse_layer_sizes(g.attr_string("hidden"), g.file() + ":" + g.path() + ": attribute hidden");
  options.latent = read_int_attr(g, "latent", 1, INT64_MAX);  // sizes are checked against the stored blocks
  options.activation = parse_activation(g.attr_string("activation"));
  options.likelihood = g.attr_string("likelihood");
  options.objective = parse_vae_bound(g.attr_string("objective"));
  options.train_samples = read_int_attr(g, "train_samples", 1, INT64_MAX);
  auto model = std::make_unique<VaeModel>(spec, options);
  model->parameters_.load(g.group("parameters"));
  return model;
}

}  // namespace logp
