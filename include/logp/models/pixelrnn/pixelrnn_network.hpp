#pragma once
// The PixelRNN network (van den Oord et al. 2016) on a tape, templated on the scalar (float to
// train, double for the gradient checks). For an H x W image with one channel and L levels:
//
//   x [H*W, N] (values 0..L-1, fed as x / (L-1))
//   -> 7x7 mask-A conv, 1 -> 2h channels
//   -> `layers` residual layers, each  r = r + f(r):
//        row-lstm:     f = 1x1 conv h -> 2h of RowLstm(r) (h hidden units)
//        diag-bilstm:  f = 1x1 conv h -> 2h of DiagonalBiLstm(r)
//        conv:         f = relu(3x3 mask-B conv 2h -> 2h of r) (PixelCNN)
//   -> relu -> 1x1 mask-B conv 2h -> 2h -> relu -> 1x1 mask-B conv 2h -> outputs per pixel
//   outputs: L = 2 (binary): one Bernoulli logit per pixel, [H*W, N];
//            L > 2: L logits per pixel of a softmax, [H*W*L, N], entry p*L + l.
//
// Output pixel p depends only on input pixels before p in raster order, so
// log p(x) = sum_p log p(x_p | x_<p) exactly, in nats.
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "logp/autodiff/tape.hpp"
#include "logp/nn/pixelrnn/diagonal_bilstm.hpp"
#include "logp/nn/pixelrnn/masked_conv_layer.hpp"
#include "logp/nn/pixelrnn/row_lstm.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp {

enum class PixelRnnLayer { row_lstm, diagonal_bilstm, conv };
PixelRnnLayer parse_pixelrnn_layer(std::string_view text);  // "row-lstm" | "diag-bilstm" | "conv"
std::string_view to_string(PixelRnnLayer layer);

struct PixelRnnNetwork {
  PixelRnnLayer layer_type = PixelRnnLayer::diagonal_bilstm;
  Index height = 0, width = 0;  // the image; one channel
  int levels = 2;               // L
  Index hidden = 16;            // h
  nn::MaskedConvLayer input;    // 7x7 mask A
  std::vector<nn::RowLstm> row_lstms;              // row-lstm layers
  std::vector<nn::DiagonalBiLstm> diagonal_lstms;  // diag-bilstm layers
  std::vector<nn::MaskedConvLayer> residual;       // per layer: 1x1 h -> 2h (LSTMs) or 3x3 2h -> 2h (conv)
  nn::MaskedConvLayer output_hidden, output;       // 1x1 mask B: 2h -> 2h, 2h -> outputs

  // Adds every block to the store.
  static PixelRnnNetwork add_to(ParameterStore& store, PixelRnnLayer layer_type, Index height, Index width,
                                int levels, Index hidden, Index layers);
  Index outputs_per_pixel() const { return levels == 2 ? 1 : levels; }
  Index layers() const { return static_cast<Index>(residual.size()); }
  void initialize(ParameterStore& params, Rng& rng) const;
  // The parameters that can be non-zero: the store's size less the masked convolution taps.
  Index free_parameters() const;

  // x: [H*W, N] (levels as numbers) -> logits [H*W*outputs_per_pixel(), N].
  template <class T>
  ad::BasicVar<T> logits(ad::BasicTape<T>& tape, const Eigen::Ref<const ad::MatrixOf<T>>& x,
                         const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                         std::span<T> grad) const;
  // The 1x1 node -sum over examples of log p(x), nats; backward() adds its gradient into grad.
  template <class T>
  ad::BasicVar<T> negative_log_likelihood(ad::BasicTape<T>& tape, const Eigen::Ref<const ad::MatrixOf<T>>& x,
                                          const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                                          std::span<T> grad) const;
};

// log p(x) per example from the network's logits: logits [H*W*outputs, N], x [H*W, N] -> [N], nats.
Vector pixelrnn_log_prob(const Matrix& logits, ConstMatrixRef x, int levels);

}  // namespace logp
