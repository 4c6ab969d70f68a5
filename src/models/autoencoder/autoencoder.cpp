#include "logp/models/autoencoder/autoencoder.hpp"

#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"
#include "logp/models/vae/vae.hpp"
#include "logp/train/training_tape.hpp"

namespace logp {

AutoencoderModel::AutoencoderModel(DataSpec spec, AutoencoderOptions options)
    : ScoringModel(std::move(spec)), options_(std::move(options)) {
  require(data_spec().kind != DataKind::categorical,
          "autoencoder: needs binary or real data, got " + data_spec().describe());
  require(options_.code > 0, "autoencoder: --latent (the code size) must be positive, got " +
                                 std::to_string(options_.code));
  network_.binary = data_spec().kind == DataKind::binary;
  std::vector<Index> encoder{dim()};
  encoder.insert(encoder.end(), options_.hidden.begin(), options_.hidden.end());
  encoder.push_back(options_.code);
  std::vector<Index> decoder{options_.code};
  decoder.insert(decoder.end(), options_.hidden.rbegin(), options_.hidden.rend());
  decoder.push_back(dim());
  require_vae_activation(options_.activation, "autoencoder");
  network_.encoder = nn::Mlp::add_compact(parameters_, "encoder.", encoder, options_.activation);
  network_.decoder = nn::Mlp::add_compact(parameters_, "decoder.", decoder, options_.activation);
}

std::string AutoencoderModel::hyperparameters() const {
  std::ostringstream out;
  out << "hidden=" << layer_sizes_text(options_.hidden) << ", code=" << options_.code
      << ", activation=" << activation_name(options_.activation)
      << ", loss=" << (network_.binary ? "cross-entropy" : "squared error");
  return out.str();
}

Matrix AutoencoderModel::sample(Index, Rng&) const {
  throw Error("autoencoder: a deterministic autoencoder defines no distribution to sample from (use a vae)");
}

void AutoencoderModel::initialize(Rng& rng) {
  network_.encoder.initialize_glorot(parameters_, rng);
  network_.decoder.initialize_glorot(parameters_, rng);
}

double AutoencoderModel::objective_and_grad(ConstMatrixRef x, Rng&, std::span<float> grad) const {
  ad::Tape& tape = training_tape();
  const ad::Var loss = autoencoder_loss<float>(tape, network_, parameters().blocks(), parameters().values(), grad, x);
  tape.backward(loss);
  return static_cast<double>(loss.value()(0, 0));
}

Matrix AutoencoderModel::encode(ConstMatrixRef x) const {
  require(x.rows() == dim(), "autoencoder encode: examples have D=" + std::to_string(x.rows()) +
                                 " but the model expects D=" + std::to_string(dim()));
  return network_.encoder.forward(parameters(), x);
}

Vector AutoencoderModel::score_impl(ConstMatrixRef x) const {
  const Matrix out = network_.decoder.forward(parameters(), encode(x));
  if (!network_.binary) return (out - x).colwise().squaredNorm().transpose().cast<double>();
  const Eigen::ArrayXXf terms =
      out.array().max(0.0f) + (-out.array().abs()).exp().log1p() - x.array() * out.array();  // softplus(l) - x l
  return terms.colwise().sum().transpose().cast<double>();
}

void AutoencoderModel::save(const H5Group& g) const {
  g.set_attr("hidden", layer_sizes_text(options_.hidden));
  g.set_attr("code", static_cast<std::int64_t>(options_.code));
  g.set_attr("activation", std::string(activation_name(options_.activation)));
  parameters_.save(g.create_group("parameters"));
}

std::string_view AutoencoderModel::score_unit() const {
  return network_.binary ? "nats: Bernoulli cross-entropy of the reconstruction, summed over dimensions"
                                     : "squared error summed over dimensions";
}

std::unique_ptr<Model> AutoencoderModel::load(const H5Group& g, const DataSpec& spec) {
  AutoencoderOptions options;
  options.hidden = parse_layer_sizes(g.attr_string("hidden"), g.file() + ":" + g.path() + ": attribute hidden");
  options.code = read_int_attr(g, "code", 1, INT64_MAX);  // sizes are checked against the stored blocks
  options.activation = parse_activation(g.attr_string("activation"));
  auto model = std::make_unique<AutoencoderModel>(spec, options);
  model->parameters_.load(g.group("parameters"));
  return model;
}

}  // namespace logp
