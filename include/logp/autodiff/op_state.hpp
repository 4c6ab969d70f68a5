#pragma once
// The typed per-op state of a tape node (tape.hpp): what an op's backward needs besides the
// node's matrices, one small struct per kind of op. A node holds one of them in a std::variant;
// the op sets it in its forward (n.state = SliceBounds{...}) and its backward reads it with
// std::get<SliceBounds>(n.state), which throws std::bad_variant_access on a wrong type instead
// of misreading. Every alternative is trivially copyable: setting one never allocates.
#include <type_traits>
#include <variant>

#include "logp/core/types.hpp"

namespace logp::ad {

// scale (arithmetic.cpp): y = factor a.
template <class T>
struct ScaleFactor {
  T factor;
};

// leaky_relu (elementwise.cpp): y = a for a > 0, negative_slope a otherwise.
template <class T>
struct LeakySlope {
  T negative_slope;
};

// batch_norm (batch_norm.cpp): normalized with the batch statistics (training) or the running
// ones.
struct BatchNormMode {
  bool training;
};

// conv2d and conv_transpose2d (conv.cpp): the geometry of one im2col, a "big" image
// (H x W x C) seen through a k x k window with stride and padding, giving a "small" grid of
// Ho x Wo window positions.
struct ConvWindow {
  Index height, width, channels;  // the big image
  Index out_height, out_width;    // the small grid
  Index kernel, stride, padding;
  Index patch() const { return kernel * kernel * channels; }
  Index positions() const { return out_height * out_width; }
};

// line_conv (line_conv.cpp): lines of `length` positions of `channels` values, a kernel of
// `kernel` positions, `pad` zeros before each line.
struct LineConvGeometry {
  Index length, channels, kernel, pad;
};

// skew and unskew (skew.cpp): the image map's shape (skew.hpp's SkewShape, whose fields these are).
struct SkewGeometry {
  Index height, width, channels;
  bool reverse;
};

// slice_rows and slice_cols (shape.cpp): rows (or columns) begin .. begin+count-1 of the input.
struct SliceBounds {
  Index begin, count;
};

// tile_columns (shape.cpp): each input column repeated `copies` times.
struct TileCopies {
  Index copies;
};

// log_mean_exp_groups (reduce.cpp): groups of `size` consecutive entries.
struct GroupSize {
  Index size;
};

// lstm_cell_state and lstm_hidden (lstm_gates.cpp): the hidden width h.
struct LstmWidth {
  Index hidden;
};

// nn::detail::dense (nn/dense.hpp): W [rows, cols] and b [rows, 1] at their offsets in the flat
// parameter values and in the gradient buffer that backward adds into (the caller owns both;
// they outlive the tape's backward pass).
template <class T>
struct DenseBuffers {
  const T* values;
  T* grad;
  Index weight_offset, bias_offset;
  Index rows, cols;  // W's shape: out x in
};

// A node's op state: std::monostate for leaves and for ops that need nothing but their inputs,
// their value and the node's saved matrices.
template <class T>
using OpState = std::variant<std::monostate, ScaleFactor<T>, LeakySlope<T>, BatchNormMode, ConvWindow,
                             LineConvGeometry, SkewGeometry, SliceBounds, TileCopies, GroupSize, LstmWidth,
                             DenseBuffers<T>>;

static_assert(std::is_trivially_copyable_v<OpState<float>> && std::is_trivially_copyable_v<OpState<double>>,
              "op state must not allocate or own anything");

}  // namespace logp::ad
