// The PixelRNN network (include/logp/models/pixelrnn/pixelrnn_network.hpp).
#include "logp/models/pixelrnn/pixelrnn_network.hpp"

#include <cmath>

#include "logp/autodiff/arithmetic.hpp"
#include "logp/autodiff/density.hpp"
#include "logp/autodiff/elementwise.hpp"
#include "logp/autodiff/reduce.hpp"
#include "logp/autodiff/reshape.hpp"
#include "logp/core/error.hpp"

namespace logp {

PixelRnnLayer parse_pixelrnn_layer(std::string_view text) {
  if (text == "row-lstm") return PixelRnnLayer::row_lstm;
  if (text == "diag-bilstm") return PixelRnnLayer::diagonal_bilstm;
  if (text == "conv") return PixelRnnLayer::conv;
  throw Error("pixelrnn: unknown layer type '" + std::string(text) + "' (expected row-lstm, diag-bilstm or conv)");
}

std::string_view to_string(PixelRnnLayer layer) {
  switch (layer) {
    case PixelRnnLayer::row_lstm: return "row-lstm";
    case PixelRnnLayer::diagonal_bilstm: return "diag-bilstm";
    case PixelRnnLayer::conv: return "conv";
  }
  return "?";
}

PixelRnnNetwork PixelRnnNetwork::add_to(ParameterStore& store, PixelRnnLayer layer_type, Index height, Index width,
                                        int levels, Index hidden, Index layers) {
  require(height > 0 && width > 0, "pixelrnn: needs an image, got " + std::to_string(height) + "x" +
                                       std::to_string(width));
  require(levels >= 2, "pixelrnn: needs at least 2 levels, got " + std::to_string(levels));
  require(hidden > 0 && layers >= 0, "pixelrnn: --hidden must be positive and --layers >= 0, got " +
                                         std::to_string(hidden) + " and " + std::to_string(layers));
  PixelRnnNetwork net;
  net.layer_type = layer_type;
  net.height = height;
  net.width = width;
  net.levels = levels;
  net.hidden = hidden;
  const Index features = 2 * hidden;
  using ad::MaskType;
  net.input = nn::MaskedConvLayer::add_to(store, "input", height, width, 1, features, 7, MaskType::a);
  for (Index k = 0; k < layers; ++k) {
    const std::string name = "layer" + std::to_string(k);
    switch (layer_type) {
      case PixelRnnLayer::row_lstm:
        net.row_lstms.push_back(nn::RowLstm::add_to(store, name + ".lstm", height, width, features, hidden));
        net.residual.push_back(
            nn::MaskedConvLayer::add_to(store, name + ".out", height, width, hidden, features, 1, MaskType::b));
        break;
      case PixelRnnLayer::diagonal_bilstm:
        // The first layer's right-to-left direction also reads the image (diagonal_bilstm.hpp).
        net.diagonal_lstms.push_back(
            nn::DiagonalBiLstm::add_to(store, name + ".bilstm", height, width, features, hidden, k == 0 ? 1 : 0));
        net.residual.push_back(
            nn::MaskedConvLayer::add_to(store, name + ".out", height, width, hidden, features, 1, MaskType::b));
        break;
      case PixelRnnLayer::conv:
        net.residual.push_back(
            nn::MaskedConvLayer::add_to(store, name + ".conv", height, width, features, features, 3, MaskType::b));
        break;
    }
  }
  net.output_hidden =
      nn::MaskedConvLayer::add_to(store, "output_hidden", height, width, features, features, 1, MaskType::b);
  net.output = nn::MaskedConvLayer::add_to(store, "output", height, width, features, net.outputs_per_pixel(), 1,
                                           MaskType::b);
  return net;
}

void PixelRnnNetwork::initialize(ParameterStore& params, Rng& rng) const {
  input.initialize(params, rng);
  for (const nn::RowLstm& l : row_lstms) l.initialize(params, rng);
  for (const nn::DiagonalBiLstm& l : diagonal_lstms) l.initialize(params, rng);
  for (const nn::MaskedConvLayer& l : residual) l.initialize(params, rng);
  output_hidden.initialize(params, rng);
  output.initialize(params, rng);
}

Index PixelRnnNetwork::free_parameters() const {
  Index total = input.free_parameters() + output_hidden.free_parameters() + output.free_parameters();
  for (const nn::RowLstm& l : row_lstms) total += l.free_parameters();
  for (const nn::DiagonalBiLstm& l : diagonal_lstms) total += l.free_parameters();
  for (const nn::MaskedConvLayer& l : residual) total += l.free_parameters();
  return total;
}

template <class T>
ad::BasicVar<T> PixelRnnNetwork::logits(ad::BasicTape<T>& tape, const Eigen::Ref<const ad::MatrixOf<T>>& x,
                                        const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                                        std::span<T> grad) const {
  require(x.rows() == height * width, "pixelrnn: examples have D=" + std::to_string(x.rows()) +
                                          " but the network expects D=" + std::to_string(height * width));
  const ad::BasicVar<T> in = tape.constant(x / T(levels - 1));
  ad::BasicVar<T> r = input.forward(tape, in, blocks, values, grad);  // [H*W*2h, N]
  for (std::size_t k = 0; k < residual.size(); ++k) {
    ad::BasicVar<T> f;
    switch (layer_type) {
      case PixelRnnLayer::row_lstm:
        f = residual[k].forward(tape, row_lstms[k].forward(tape, r, blocks, values, grad), blocks, values, grad);
        break;
      case PixelRnnLayer::diagonal_bilstm:
        f = residual[k].forward(tape, diagonal_lstms[k].forward(tape, r, in, blocks, values, grad), blocks, values,
                                grad);
        break;
      case PixelRnnLayer::conv:
        f = ad::relu(residual[k].forward(tape, r, blocks, values, grad));
        break;
    }
    r = ad::add(r, f);
  }
  const ad::BasicVar<T> top = ad::relu(output_hidden.forward(tape, ad::relu(r), blocks, values, grad));
  return output.forward(tape, top, blocks, values, grad);
}

template <class T>
ad::BasicVar<T> PixelRnnNetwork::negative_log_likelihood(ad::BasicTape<T>& tape,
                                                         const Eigen::Ref<const ad::MatrixOf<T>>& x,
                                                         const std::vector<ParameterBlock>& blocks,
                                                         std::span<const T> values, std::span<T> grad) const {
  using MatrixT = ad::MatrixOf<T>;
  const ad::BasicVar<T> l = logits(tape, x, blocks, values, grad);
  if (levels == 2) return ad::scale(ad::sum(ad::bernoulli_log_prob(l, tape.constant(x))), T(-1));
  // [L, H*W*N]: a column per pixel; pick the observed level's log-probability.
  const Index pixels = x.size();
  MatrixT one_hot = MatrixT::Zero(levels, pixels);  // column p + D*e: pixel p of example e
  for (Index e = 0; e < x.cols(); ++e)
    for (Index p = 0; p < x.rows(); ++p) {
      const double value = static_cast<double>(x(p, e));
      const Index level = static_cast<Index>(std::lround(value));
      require(level >= 0 && level < levels,
              "pixelrnn: value " + std::to_string(value) + " outside 0.." + std::to_string(levels - 1));
      one_hot(level, p + x.rows() * e) = T(1);
    }
  const ad::BasicVar<T> log_p = ad::log_softmax(ad::reshape(l, levels, pixels));
  return ad::scale(ad::sum(ad::mul(log_p, tape.constant(one_hot))), T(-1));
}

Vector pixelrnn_log_prob(const Matrix& logits, ConstMatrixRef x, int levels) {
  const Index n = x.cols(), d = x.rows();
  Vector out = Vector::Zero(n);
  for (Index e = 0; e < n; ++e) {
    double total = 0.0;
    for (Index p = 0; p < d; ++p) {
      const int value = static_cast<int>(std::lround(x(p, e)));
      require(value >= 0 && value < levels,
              "pixelrnn: value " + std::to_string(x(p, e)) + " outside 0.." + std::to_string(levels - 1));
      if (levels == 2) {
        const double l = logits(p, e);  // log p(1) = l - softplus(l), log p(0) = -softplus(l)
        const double softplus = std::max(l, 0.0) + std::log1p(std::exp(-std::abs(l)));
        total += (value == 1 ? l : 0.0) - softplus;
      } else {
        const Eigen::VectorXd z = logits.col(e).segment(p * levels, levels).cast<double>();
        const double m = z.maxCoeff();
        total += z(value) - m - std::log((z.array() - m).exp().sum());
      }
    }
    out(e) = total;
  }
  return out;
}

#define LOGP_INSTANTIATE(T)                                                                                     \
  template ad::BasicVar<T> PixelRnnNetwork::logits(ad::BasicTape<T>&, const Eigen::Ref<const ad::MatrixOf<T>>&, \
                                                   const std::vector<ParameterBlock>&, std::span<const T>,      \
                                                   std::span<T>) const;                                         \
  template ad::BasicVar<T> PixelRnnNetwork::negative_log_likelihood(                                           \
      ad::BasicTape<T>&, const Eigen::Ref<const ad::MatrixOf<T>>&, const std::vector<ParameterBlock>&,          \
      std::span<const T>, std::span<T>) const;
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp
