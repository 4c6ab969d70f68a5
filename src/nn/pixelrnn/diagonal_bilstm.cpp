// The Diagonal BiLSTM layer (include/logp/nn/pixelrnn/diagonal_bilstm.hpp).
#include "logp/nn/pixelrnn/diagonal_bilstm.hpp"

#include "logp/autodiff/arithmetic.hpp"
#include "logp/autodiff/line_conv.hpp"
#include "logp/autodiff/lstm_gates.hpp"
#include "logp/autodiff/reshape.hpp"
#include "logp/autodiff/shape.hpp"
#include "logp/autodiff/skew.hpp"
#include "logp/nn/pixelrnn/lstm_init.hpp"
#include "logp/nn/pixelrnn/tape_parameter.hpp"

namespace logp::nn {

DiagonalLstm DiagonalLstm::add_to(ParameterStore& store, const std::string& name, Index height, Index width,
                                  Index in_channels, Index hidden, bool reverse, Index image_channels) {
  require(height > 0 && width > 0 && in_channels > 0 && hidden > 0 && image_channels >= 0,
          "diagonal lstm " + name + ": needs a non-empty map and h > 0, got h " + std::to_string(hidden));
  DiagonalLstm l;
  l.height = height;
  l.width = width;
  l.in_channels = in_channels;
  l.hidden = hidden;
  l.reverse = reverse;
  l.image_channels = image_channels;
  l.input_weight = store.add(name + ".input_weight", 4 * hidden, in_channels);
  l.input_bias = store.add(name + ".input_bias", 4 * hidden, 1);
  l.state_weight = store.add(name + ".state_weight", 4 * hidden, 2 * hidden);
  if (image_channels > 0) l.image_weight = store.add(name + ".image_weight", 4 * hidden, image_channels);
  return l;
}

template <class T>
ad::BasicVar<T> DiagonalLstm::forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, ad::BasicVar<T> image,
                                      const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                                      std::span<T> grad) const {
  using MatrixT = ad::MatrixOf<T>;
  require(x.rows() == height * width * in_channels,
          "diagonal lstm: input has " + std::to_string(x.rows()) + " rows, expected H*W*C = " +
              std::to_string(height * width * in_channels));
  const Index n = x.cols(), h4 = 4 * hidden;
  // 1x1 input-to-state on the image (cheaper than on the skewed map): [C_in, H*W*N] -> [4h, H*W*N].
  const ad::BasicVar<T> w_is = tape_parameter(tape, blocks[input_weight], values, grad);
  const ad::BasicVar<T> b_is = tape_parameter(tape, blocks[input_bias], values, grad);
  ad::BasicVar<T> is_flat = ad::matmul(w_is, ad::reshape(x, in_channels, height * width * n));
  if (image_channels > 0) {
    require(image.rows() == height * width * image_channels && image.cols() == n,
            "diagonal lstm: the image has " + std::to_string(image.rows()) + " rows, expected H*W*C_img = " +
                std::to_string(height * width * image_channels));
    const ad::BasicVar<T> w_image = tape_parameter(tape, blocks[image_weight], values, grad);
    is_flat = ad::add(is_flat, ad::matmul(w_image, ad::reshape(image, image_channels, height * width * n)));
  }
  const ad::BasicVar<T> is = ad::reshape(ad::add_bias(is_flat, b_is), height * width * h4, n);
  const ad::SkewShape gates_shape{height, width, h4, reverse};
  const ad::BasicVar<T> skewed = ad::skew(is, gates_shape);  // [S*H*4h, N], a block of H*4h rows per column
  const ad::BasicVar<T> w_ss = tape_parameter(tape, blocks[state_weight], values, grad);
  std::vector<ad::BasicVar<T>> states;
  ad::BasicVar<T> c = tape.constant(MatrixT::Zero(height * hidden, n));
  for (Index j = 0; j < gates_shape.columns(); ++j) {
    ad::BasicVar<T> gates = ad::slice_rows(skewed, j * height * h4, height * h4);  // [H*4h, N]
    // Taps t = 0, 1 on map rows i-1, i of the previous column: kernel 2, pad 1.
    if (j > 0) gates = ad::add_line_conv(gates, states.back(), w_ss, hidden, 2, 1);
    c = ad::lstm_cell_state(gates, c, hidden);
    states.push_back(ad::lstm_hidden(gates, c, hidden));  // [H*h, N]
  }
  return ad::unskew(ad::concat_rows(states), ad::SkewShape{height, width, hidden, reverse});
}

void DiagonalLstm::initialize(ParameterStore& params, Rng& rng) const {
  masked_uniform(params.matrix(input_weight), MatrixD::Ones(4 * hidden, in_channels), rng);
  masked_uniform(params.matrix(state_weight), MatrixD::Ones(4 * hidden, 2 * hidden), rng);
  lstm_gate_bias(params.matrix(input_bias));
  // The image path starts at zero: at initialization the layer is the one without it.
  if (image_channels > 0) params.matrix(image_weight).setZero();
}

Index DiagonalLstm::free_parameters() const {
  return 4 * hidden * (in_channels + 1 + 2 * hidden + image_channels);
}

DiagonalBiLstm DiagonalBiLstm::add_to(ParameterStore& store, const std::string& name, Index height, Index width,
                                      Index in_channels, Index hidden, Index image_channels) {
  return DiagonalBiLstm{
      DiagonalLstm::add_to(store, name + ".ltr", height, width, in_channels, hidden, false),
      DiagonalLstm::add_to(store, name + ".rtl", height, width, in_channels, hidden, true, image_channels)};
}

template <class T>
ad::BasicVar<T> shift_down_one_row(ad::BasicVar<T> x, Index height, Index width, Index channels) {
  require(x.rows() == height * width * channels,
          "shift_down_one_row: input has " + std::to_string(x.rows()) + " rows, expected " +
              std::to_string(height * width * channels));
  const Index row = width * channels;
  const ad::BasicVar<T> zero_row = x.tape->constant(ad::MatrixOf<T>::Zero(row, x.cols()));
  if (height == 1) return zero_row;
  return ad::concat_rows<T>({zero_row, ad::slice_rows(x, 0, (height - 1) * row)});
}

template <class T>
ad::BasicVar<T> DiagonalBiLstm::forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, ad::BasicVar<T> image,
                                        const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                                        std::span<T> grad) const {
  const ad::BasicVar<T> ltr = left_to_right.forward(tape, x, image, blocks, values, grad);
  const ad::BasicVar<T> rtl = right_to_left.forward(tape, x, image, blocks, values, grad);
  return ad::add(ltr, shift_down_one_row(rtl, right_to_left.height, right_to_left.width, right_to_left.hidden));
}

void DiagonalBiLstm::initialize(ParameterStore& params, Rng& rng) const {
  left_to_right.initialize(params, rng);
  right_to_left.initialize(params, rng);
}

#define LOGP_INSTANTIATE(T)                                                                                      \
  template ad::BasicVar<T> DiagonalLstm::forward(ad::BasicTape<T>&, ad::BasicVar<T>, ad::BasicVar<T>,           \
                                                 const std::vector<ParameterBlock>&, std::span<const T>,         \
                                                 std::span<T>) const;                                            \
  template ad::BasicVar<T> DiagonalBiLstm::forward(ad::BasicTape<T>&, ad::BasicVar<T>, ad::BasicVar<T>,         \
                                                   const std::vector<ParameterBlock>&, std::span<const T>,       \
                                                   std::span<T>) const;                                          \
  template ad::BasicVar<T> shift_down_one_row(ad::BasicVar<T>, Index, Index, Index);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp::nn
