#pragma once
// The Diagonal BiLSTM layer of PixelRNN (van den Oord et al. 2016, section 3.2).
//
// One direction (DiagonalLstm): the input map goes through a 1x1 input-to-state convolution
// (mask B; with one channel group nothing is masked), is skewed (autodiff/skew.hpp) so that the
// image diagonals become columns, and an LSTM walks the skewed map column by column with a 2 x 1
// state-to-state convolution: the state at map row i sees the previous column's states at rows
// i and i-1, that is, the pixel's left neighbour and the pixel above it. The states are unskewed
// back to the image. `reverse` runs right to left (the image mirrored left-right).
//
// Both directions (DiagonalBiLstm): left-to-right + right-to-left shifted down one row. The
// right-to-left state at (i, x) has seen pixels to the right in row i, which come later in raster
// order; after the shift, pixel (i, x) gets the state computed at (i-1, x), which has not.
//
// The first layer's context. Its input map (the 7x7 mask-A convolution) at (i, x) never holds the
// pixel (i, x) itself, so the shifted right-to-left state at (i-1, x), which reads map positions in
// rows <= i-1, columns >= x, would miss pixel (i-1, W-1), the last pixel of the row above (no map
// position in its reach lies right of it), and the left-to-right state reaches it only within
// the 7x7 window (x >= W-4): for x < W-4 that pixel would be outside the output's context in every
// layer. So the first layer's right-to-left direction also reads the image itself
// (`image_channels` > 0: a 1x1 input-to-state on the image, centre included): after the shift
// down, pixel (i, x) then sees every pixel of rows < i. Later layers read maps that already hold it.
//
// Map positions of the skewed map outside the image are zero input; their states are computed
// like the others and depend on the parameters only (never on the data), and unskew drops them.
// Each column step is one GEMM over the whole batch. Images: [H*W*C, N] (autodiff/conv.hpp).
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/tape.hpp"
#include "logp/core/rng.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp::nn {

struct DiagonalLstm {
  Index height = 0, width = 0, in_channels = 0, hidden = 0;  // H, W, C_in, h
  bool reverse = false;                                       // right to left
  Index image_channels = 0;  // C_img > 0: the input-to-state also reads the image (first layer, right to left)
  // Blocks: input_weight [4h, C_in] (1x1), input_bias [4h, 1], state_weight [4h, 2h] (column
  // t*h + u: tap t = 0 reads map row i-1, t = 1 row i, of the previous column), and when
  // image_channels > 0 image_weight [4h, C_img] (1x1 on the image).
  std::size_t input_weight = 0, input_bias = 0, state_weight = 0, image_weight = 0;

  static DiagonalLstm add_to(ParameterStore& store, const std::string& name, Index height, Index width,
                             Index in_channels, Index hidden, bool reverse, Index image_channels = 0);
  // x: [H*W*C_in, N], image: [H*W*C_img, N] (read only when image_channels > 0)
  //   -> the hidden states [H*W*h, N], not shifted.
  template <class T>
  ad::BasicVar<T> forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, ad::BasicVar<T> image,
                          const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                          std::span<T> grad) const;
  void initialize(ParameterStore& params, Rng& rng) const;  // as RowLstm::initialize; image_weight zero
  Index free_parameters() const;                             // all of its blocks (nothing is masked)
};

struct DiagonalBiLstm {
  DiagonalLstm left_to_right, right_to_left;

  // Blocks "<name>.ltr.*" and "<name>.rtl.*"; image_channels > 0 (the first layer): the
  // right-to-left direction also reads the image ("<name>.rtl.image_weight").
  static DiagonalBiLstm add_to(ParameterStore& store, const std::string& name, Index height, Index width,
                               Index in_channels, Index hidden, Index image_channels = 0);
  // x: [H*W*C_in, N], image [H*W*C_img, N] -> [H*W*h, N]: left_to_right(x) + right_to_left(x,
  // image) shifted down one row.
  template <class T>
  ad::BasicVar<T> forward(ad::BasicTape<T>& tape, ad::BasicVar<T> x, ad::BasicVar<T> image,
                          const std::vector<ParameterBlock>& blocks, std::span<const T> values,
                          std::span<T> grad) const;
  void initialize(ParameterStore& params, Rng& rng) const;
  Index free_parameters() const { return left_to_right.free_parameters() + right_to_left.free_parameters(); }
};

// [H*W*C, N] -> [H*W*C, N]: row i of the output is row i-1 of x, row 0 is zero.
template <class T>
ad::BasicVar<T> shift_down_one_row(ad::BasicVar<T> x, Index height, Index width, Index channels);

}  // namespace logp::nn
