// The Row LSTM layer (include/logp/nn/pixelrnn/row_lstm.hpp).
#include "logp/nn/pixelrnn/row_lstm.hpp"

#include "logp/autodiff/arithmetic.hpp"
#include "logp/autodiff/line_conv.hpp"
#include "logp/autodiff/lstm_gates.hpp"
#include "logp/autodiff/masked_conv.hpp"
#include "logp/autodiff/reshape.hpp"
#include "logp/autodiff/shape.hpp"
#include "logp/nn/pixelrnn/lstm_init.hpp"
#include "logp/nn/pixelrnn/tape_parameter.hpp"

namespace logp::nn {

namespace {

// The input-to-state mask [4h, k*C_in]: taps left of the pixel and the pixel itself (mask B).
MatrixD input_mask(const RowLstm& l) {
  return ad::causal_mask(1, l.kernel, 0, l.kernel / 2, l.in_channels, 4 * l.hidden, 1, ad::MaskType::b);
}

}  // namespace

RowLstm RowLstm::add_to(ParameterStore& store, const std::string& name, Index height, Index width,
                        Index in_channels, Index hidden, Index kernel) {
  require(height > 0 && width > 0 && in_channels > 0 && hidden > 0 && kernel % 2 == 1,
          "row lstm " + name + ": needs a non-empty map, h > 0 and an odd kernel, got h " + std::to_string(hidden) +
              ", kernel " + std::to_string(kernel));
  RowLstm l;
  l.height = height;
  l.width = width;
  l.in_channels = in_channels;
  l.hidden = hidden;
  l.kernel = kernel;
  l.input_weight = store.add(name + ".input_weight", 4 * hidden, kernel * in_channels);
  l.input_bias = store.add(name + ".input_bias", 4 * hidden, 1);
  l.state_weight = store.add(name + ".state_weight", 4 * hidden, kernel * hidden);
  return l;
}

template <class T>
ad::BasicVar<T> RowLstm::forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, const std::vector<ParameterBlock>& blocks,
                                 std::span<const T> values, std::span<T> grad) const {
  using MatrixT = ad::MatrixOf<T>;
  require(x.rows() == height * width * in_channels,
          "row lstm: input has " + std::to_string(x.rows()) + " rows, expected H*W*C = " +
              std::to_string(height * width * in_channels));
  const Index n = x.cols(), h4 = 4 * hidden, pad = kernel / 2;
  // The mask keeps taps 0 .. k/2 (the left neighbours and the pixel): the input-to-state
  // convolution reads only those, a 1 x (k/2 + 1) kernel with k/2 zeros before each row.
  const Index is_kernel = pad + 1;
  const ad::BasicVar<T> w_is =
      ad::mul(ad::slice_cols(tape_parameter(tape, blocks[input_weight], values, grad), 0, is_kernel * in_channels),
              tape.constant(input_mask(*this).leftCols(is_kernel * in_channels).template cast<T>()));
  const ad::BasicVar<T> b_is = tape_parameter(tape, blocks[input_bias], values, grad);
  const ad::BasicVar<T> w_ss = tape_parameter(tape, blocks[state_weight], values, grad);
  // Every row of every image at once: [W*C_in, H*N] -> [W*4h, H*N] = [H*W*4h, N] in memory.
  const ad::BasicVar<T> rows_in = ad::reshape(x, width * in_channels, height * n);
  const ad::BasicVar<T> is = ad::reshape(ad::line_conv(rows_in, w_is, b_is, in_channels, is_kernel, pad),
                                         height * width * h4, n);
  std::vector<ad::BasicVar<T>> states;
  ad::BasicVar<T> c = tape.constant(MatrixT::Zero(width * hidden, n));
  for (Index i = 0; i < height; ++i) {
    ad::BasicVar<T> gates = ad::slice_rows(is, i * width * h4, width * h4);  // [W*4h, N]
    if (i > 0) gates = ad::add_line_conv(gates, states.back(), w_ss, hidden, kernel, pad);
    c = ad::lstm_cell_state(gates, c, hidden);
    states.push_back(ad::lstm_hidden(gates, c, hidden));  // [W*h, N]
  }
  return ad::concat_rows(states);
}

void RowLstm::initialize(ParameterStore& params, Rng& rng) const {
  masked_uniform(params.matrix(input_weight), input_mask(*this), rng);
  masked_uniform(params.matrix(state_weight), MatrixD::Ones(4 * hidden, kernel * hidden), rng);
  lstm_gate_bias(params.matrix(input_bias));
}

Index RowLstm::free_parameters() const {
  return static_cast<Index>(input_mask(*this).sum()) + 4 * hidden + 4 * hidden * kernel * hidden;
}

template ad::BasicVar<float> RowLstm::forward(ad::BasicTape<float>&, ad::BasicVar<float>,
                                              const std::vector<ParameterBlock>&, std::span<const float>,
                                              std::span<float>) const;
template ad::BasicVar<double> RowLstm::forward(ad::BasicTape<double>&, ad::BasicVar<double>,
                                               const std::vector<ParameterBlock>&, std::span<const double>,
                                               std::span<double>) const;

}  // namespace logp::nn
