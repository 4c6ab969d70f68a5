#pragma once
// The Row LSTM layer of PixelRNN (van den Oord et al. 2016, section 3.1): an LSTM that walks down
// the image one row at a time, updating a whole row per step.
//   input-to-state: a 1 x k (k = 3) mask-B convolution over the whole input map at once, taps on
//     the pixel's left neighbour and the pixel itself (the input map is already causal);
//   state-to-state: a 1 x k convolution over the previous row's hidden state, taps x-1, x, x+1,
//     so the receptive field is a triangle above the pixel.
// Per row: gates [W*4h, N] = is_row + line_conv(h_prev) (add_line_conv), then the LSTM update (autodiff/lstm_gates.hpp).
// Each step is one GEMM over the whole batch. Images: [H*W*C, N] (autodiff/conv.hpp).
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/tape.hpp"
#include "logp/core/rng.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp::nn {

struct RowLstm {
  Index height = 0, width = 0, in_channels = 0, hidden = 0;  // H, W, C_in, h
  Index kernel = 3;                                           // k of both 1 x k convolutions
  // Blocks: input_weight [4h, k*C_in] (tap t reads x + t - k/2, masked to t <= k/2),
  // input_bias [4h, 1], state_weight [4h, k*h] (taps x-k/2 .. x+k/2 of the row above).
  // Gate order in 4h: input, forget, output, content (lstm_gates.hpp).
  std::size_t input_weight = 0, input_bias = 0, state_weight = 0;

  static RowLstm add_to(ParameterStore& store, const std::string& name, Index height, Index width,
                        Index in_channels, Index hidden, Index kernel = 3);
  // x: [H*W*C_in, N] -> the hidden states [H*W*h, N].
  template <class T>
  ad::BasicVar<T> forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, const std::vector<ParameterBlock>& blocks,
                          std::span<const T> values, std::span<T> grad) const;
  // Uniform weights on +-sqrt(3 / fan_in) (masked taps zero), forget-gate bias 1, other biases 0.
  void initialize(ParameterStore& params, Rng& rng) const;
  // The parameters less the masked (always zero) input-to-state taps.
  Index free_parameters() const;
};

}  // namespace logp::nn
