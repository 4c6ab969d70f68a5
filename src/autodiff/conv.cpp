// 2-D convolution and its transpose by im2col + GEMM (include/logp/autodiff/conv.hpp).
#include "logp/autodiff/conv.hpp"

#include <algorithm>
#include <vector>

#include "op_support.hpp"

namespace logp::ad {

namespace {

using detail::shape_text;

// The geometry of one im2col (op_state.hpp): a "big" image (H x W x C) seen through a k x k
// window with stride and padding, giving a "small" grid of Ho x Wo window positions. It is the
// node's state. Only the window's first `taps` taps in raster order (t = ky*k + kx) are read:
// k*k, or fewer for a masked convolution's causal taps (conv2d_taps); the weight's shape,
// [C_out, taps*C_in], tells the backward how many.
using Window = ConvWindow;

// The taps of kernel row ky of the window at image column x0 (tap kx = 0) that read inside the
// image's width: kx in [lo, hi) of the row's first `row_taps` taps. They read consecutive pixels,
// so im2col and col2im move them as one block of (hi - lo)*C values.
struct RowSpan {
  Index lo, hi;
};
RowSpan inside(Index x0, Index row_taps, Index width) {
  const Index lo = std::clamp<Index>(-x0, 0, row_taps);
  return {lo, std::clamp<Index>(width - x0, lo, row_taps)};
}

// The spans of every window column ox (x0 = ox*stride - padding) for rows of `row_taps` taps:
// they depend on ox alone, so im2col and col2im compute them once per call, not per window row.
std::vector<RowSpan> column_spans(const Window& w, Index row_taps) {
  std::vector<RowSpan> spans(static_cast<std::size_t>(w.out_width));
  for (Index ox = 0; ox < w.out_width; ++ox)
    spans[static_cast<std::size_t>(ox)] = inside(ox * w.stride - w.padding, row_taps, w.width);
  return spans;
}

// col2im adds blocks of (hi - lo)*C values by Eigen's packets (-O2 leaves a plain loop scalar).
// Each value is added alone: the result does not depend on the lane width.
template <class T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <class T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

// columns [taps*C, Ho*Wo*N]: column (oy*Wo + ox) + Ho*Wo*e holds the window at (oy, ox) of
// example e, row t*C + c (tap t = ky*k + kx < taps) = image(oy*stride - padding + ky,
// ox*stride - padding + kx, c), zero outside the image. images: [H*W*C, N].
template <class T>
void im2col(const Window& w, Index taps, const T* images, Index n, MatrixOf<T>& columns) {
  const Index c = w.channels, patch = taps * c;
  columns.resize(patch, w.positions() * n);
  const Index image_size = w.height * w.width * c, rows = (taps + w.kernel - 1) / w.kernel;
  const std::vector<RowSpan> full = column_spans(w, w.kernel), last = column_spans(w, taps - (rows - 1) * w.kernel);
  for (Index e = 0; e < n; ++e) {
    const T* image = images + e * image_size;
    for (Index oy = 0; oy < w.out_height; ++oy)
      for (Index ox = 0; ox < w.out_width; ++ox) {
        T* column = columns.data() + (oy * w.out_width + ox + w.positions() * e) * patch;
        const Index x0 = ox * w.stride - w.padding;
        for (Index ky = 0; ky < rows; ++ky) {
          const Index iy = oy * w.stride - w.padding + ky, row_taps = std::min(w.kernel, taps - ky * w.kernel);
          T* dst = column + ky * w.kernel * c;
          const RowSpan span =
              iy < 0 || iy >= w.height ? RowSpan{0, 0} : (ky + 1 < rows ? full : last)[static_cast<std::size_t>(ox)];
          const Index first = (iy * w.width + x0) * c;  // image index of tap kx = 0, read only inside the span
          if (c == 1) {  // a few values: a plain loop, where memset/memmove calls cost more than the copy
            for (Index kx = 0; kx < row_taps; ++kx) dst[kx] = kx >= span.lo && kx < span.hi ? image[first + kx] : T(0);
            continue;
          }
          std::fill(dst, dst + span.lo * c, T(0));
          std::copy(image + first + span.lo * c, image + first + span.hi * c, dst + span.lo * c);
          std::fill(dst + span.hi * c, dst + row_taps * c, T(0));
        }
      }
  }
}

// The adjoint of im2col: adds each column entry back into the image pixel it was read from; a
// pixel receives its terms in window-position order, then tap order.
template <class T>
void col2im_add(const Window& w, Index taps, const MatrixOf<T>& columns, Index n, T* images) {
  const Index c = w.channels, patch = taps * c;
  const Index image_size = w.height * w.width * c, rows = (taps + w.kernel - 1) / w.kernel;
  const std::vector<RowSpan> full = column_spans(w, w.kernel), last = column_spans(w, taps - (rows - 1) * w.kernel);
  for (Index e = 0; e < n; ++e) {
    T* image = images + e * image_size;
    for (Index oy = 0; oy < w.out_height; ++oy)
      for (Index ox = 0; ox < w.out_width; ++ox) {
        const T* column = columns.data() + (oy * w.out_width + ox + w.positions() * e) * patch;
        const Index x0 = ox * w.stride - w.padding;
        for (Index ky = 0; ky < rows; ++ky) {
          const Index iy = oy * w.stride - w.padding + ky;
          if (iy < 0 || iy >= w.height) continue;
          const RowSpan span = (ky + 1 < rows ? full : last)[static_cast<std::size_t>(ox)];
          if (c == 1) {  // as in im2col
            const Index first = iy * w.width + x0;  // image index of tap kx = 0
            for (Index kx = span.lo; kx < span.hi; ++kx) image[first + kx] += column[ky * w.kernel + kx];
            continue;
          }
          if (span.hi <= span.lo) continue;
          const T* src = column + (ky * w.kernel + span.lo) * c;
          ArrayMap<T>(image + (iy * w.width + x0 + span.lo) * c, (span.hi - span.lo) * c) +=
              ConstArrayMap<T>(src, (span.hi - span.lo) * c);
        }
      }
  }
}

// A 1x1 window with stride 1 and no padding reads each pixel once: the im2col matrix is the
// batch itself, [C, H*W*N] in memory, and is neither copied nor kept.
bool reads_pixels_once(const Window& w) { return w.kernel == 1 && w.stride == 1 && w.padding == 0; }

template <class T>
using MapT = Eigen::Map<MatrixOf<T>>;
template <class T>
using ConstMapT = Eigen::Map<const MatrixOf<T>>;

// conv2d: Y [C_out, Ho*Wo*N] = W [C_out, taps*C_in] cols [taps*C_in, Ho*Wo*N] + b.
// dW = G cols^T, db = row sums of G, dcols = W^T G, dx = col2im(dcols).
// saved: cols (empty when the input is its own im2col); saved2: dcols (backward scratch);
// state: the Window.
template <class T>
void conv2d_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const Window& w = std::get<Window>(n.state);
  const int x_id = n.inputs[0], w_id = n.inputs[1], b_id = n.inputs[2];
  const MatrixOf<T>& weight = tape.node(w_id).value;
  const Index batch = n.value.cols();
  const ConstMapT<T> g(n.grad.data(), weight.rows(), w.positions() * batch);
  if (tape.needs_grad(b_id)) tape.add_grad(b_id, g.rowwise().sum());
  if (reads_pixels_once(w)) {
    const ConstMapT<T> xs(tape.node(x_id).value.data(), w.channels, w.positions() * batch);
    detail::add_product_grad<T>(tape, w_id, g, Op::none, xs, Op::transpose);
    detail::add_product_grad<T>(tape, x_id, weight, Op::transpose, g, Op::none);
    return;
  }
  detail::add_product_grad<T>(tape, w_id, g, Op::none, n.saved, Op::transpose);
  if (tape.needs_grad(x_id)) {
    n.saved2.resize(weight.cols(), g.cols());
    fixed_shape_gemm<T>(weight, Op::transpose, g, Op::none, n.saved2);  // d columns [k*k*C_in, Ho*Wo*N]
    col2im_add(w, weight.cols() / w.channels, n.saved2, batch, tape.grad_accumulator(x_id).data());
  }
}

// conv_transpose2d: cols [k*k*C_out, H*W*N] = W^T [k*k*C_out, C_in] X [C_in, H*W*N];
// Y = col2im(cols) + b. dX = W im2col(G), dW = X im2col(G)^T, db = row sums of G.
// saved: cols in the forward, im2col(G) in the backward (scratch); state: the Window.
template <class T>
void conv_transpose2d_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const Window& w = std::get<Window>(n.state);
  const int x_id = n.inputs[0], w_id = n.inputs[1], b_id = n.inputs[2];
  const MatrixOf<T>& weight = tape.node(w_id).value;
  const MatrixOf<T>& x = tape.node(x_id).value;
  const Index batch = x.cols();
  const ConstMapT<T> g(n.grad.data(), w.channels, w.height * w.width * batch);
  if (tape.needs_grad(b_id)) tape.add_grad(b_id, g.rowwise().sum());
  if (!tape.needs_grad(x_id) && !tape.needs_grad(w_id)) return;
  im2col(w, w.kernel * w.kernel, n.grad.data(), batch, n.saved);  // [k*k*C_out, H*W*N]
  const ConstMapT<T> xs(x.data(), weight.rows(), w.positions() * batch);
  detail::add_product_grad<T>(tape, w_id, xs, Op::none, n.saved, Op::transpose);
  if (tape.needs_grad(x_id)) {
    MatrixOf<T>& gx = tape.grad_accumulator(x_id);
    fixed_shape_gemm<T>(weight, Op::none, n.saved, Op::none, MapT<T>(gx.data(), weight.rows(), w.positions() * batch), T(1));
  }
}

void require_geometry(const char* op, const Conv2dShape& s, Index out_height, Index out_width) {
  require(s.in_height > 0 && s.in_width > 0 && s.in_channels > 0 && s.out_channels > 0 && s.kernel > 0 &&
              s.stride > 0 && s.padding >= 0 && s.output_padding >= 0 && out_height > 0 && out_width > 0,
          std::string("autodiff ") + op + ": bad geometry: input " + std::to_string(s.in_height) + "x" +
              std::to_string(s.in_width) + "x" + std::to_string(s.in_channels) + ", " +
              std::to_string(s.out_channels) + " output channels, kernel " + std::to_string(s.kernel) + ", stride " +
              std::to_string(s.stride) + ", padding " + std::to_string(s.padding) + " gives output " +
              std::to_string(out_height) + "x" + std::to_string(out_width));
  require(s.padding < s.kernel, std::string("autodiff ") + op + ": padding " + std::to_string(s.padding) +
                                    " must be smaller than the kernel " + std::to_string(s.kernel));
}

template <class T>
void require_operands(const char* op, const BasicVar<T>& x, const BasicVar<T>& weight, const BasicVar<T>& bias,
                      Index x_rows, Index w_rows, Index w_cols, Index channels) {
  detail::require_same_tape(op, x, weight);
  detail::require_same_tape(op, x, bias);
  require(x.rows() == x_rows, std::string("autodiff ") + op + ": input is " + shape_text(x) + ", the shape needs " +
                                  std::to_string(x_rows) + " rows (H*W*C)");
  require(weight.rows() == w_rows && weight.cols() == w_cols,
          std::string("autodiff ") + op + ": weight is " + shape_text(weight) + ", expected " +
              std::to_string(w_rows) + "x" + std::to_string(w_cols));
  require(bias.rows() == channels && bias.cols() == 1, std::string("autodiff ") + op + ": bias is " +
                                                           shape_text(bias) + ", expected " +
                                                           std::to_string(channels) + "x1");
}

}  // namespace

template <class T>
BasicVar<T> conv2d(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, const Conv2dShape& shape) {
  return conv2d_taps(x, weight, bias, shape, shape.kernel * shape.kernel);
}

template <class T>
BasicVar<T> conv2d_taps(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, const Conv2dShape& shape, Index taps) {
  const Window w{shape.in_height, shape.in_width, shape.in_channels, shape.conv_height(), shape.conv_width(),
                 shape.kernel, shape.stride, shape.padding};
  require_geometry("conv2d", shape, w.out_height, w.out_width);
  require(taps >= 1 && taps <= shape.kernel * shape.kernel,
          "autodiff conv2d: " + std::to_string(taps) + " taps of a " + std::to_string(shape.kernel) + "x" +
              std::to_string(shape.kernel) + " window");
  require_operands("conv2d", x, weight, bias, shape.in_size(), shape.out_channels, taps * shape.in_channels,
                   shape.out_channels);
  BasicTape<T>& tape = *x.tape;
  const BasicVar<T> out = tape.push(&conv2d_backward<T>, {x, weight, bias});
  BasicNode<T>& n = tape.node(out);
  n.state = w;
  const Index batch = x.cols();
  n.value.resize(w.positions() * shape.out_channels, batch);
  MapT<T> y(n.value.data(), shape.out_channels, w.positions() * batch);
  y.colwise() = bias.value().col(0);  // then y += W cols: no zero fill, no second pass for the bias
  if (reads_pixels_once(w)) {
    n.saved.resize(0, 0);
    gemm_for<T>(tape.column_places(), weight.value(), Op::none,
                ConstMapT<T>(x.value().data(), w.channels, w.positions() * batch), Op::none, y, T(1));
  } else {
    im2col(w, taps, x.value().data(), batch, n.saved);  // [taps*C_in, Ho*Wo*N]
    gemm_for<T>(tape.column_places(), weight.value(), Op::none, n.saved, Op::none, y, T(1));
  }
  return out;
}

template <class T>
BasicVar<T> conv_transpose2d(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, const Conv2dShape& shape) {
  // The window runs over the (big) output image; its grid of positions is the input image.
  const Window w{shape.transposed_height(), shape.transposed_width(), shape.out_channels, shape.in_height,
                 shape.in_width, shape.kernel, shape.stride, shape.padding};
  require_geometry("conv_transpose2d", shape, w.height, w.width);
  require(shape.output_padding < shape.stride,
          "autodiff conv_transpose2d: output_padding " + std::to_string(shape.output_padding) +
              " must be smaller than the stride " + std::to_string(shape.stride));
  require_operands("conv_transpose2d", x, weight, bias, shape.in_size(), shape.in_channels, w.patch(),
                   shape.out_channels);
  BasicTape<T>& tape = *x.tape;
  const BasicVar<T> out = tape.push(&conv_transpose2d_backward<T>, {x, weight, bias});
  BasicNode<T>& n = tape.node(out);
  n.state = w;
  const Index batch = x.cols();
  const ConstMapT<T> xs(x.value().data(), shape.in_channels, w.positions() * batch);
  n.saved.resize(weight.cols(), xs.cols());
  gemm_for<T>(tape.column_places(), weight.value(), Op::transpose, xs, Op::none, n.saved);  // [k*k*C_out, H*W*N]
  n.value.resize(w.height * w.width * w.channels, batch);
  MapT<T> y(n.value.data(), w.channels, w.height * w.width * batch);
  y.colwise() = bias.value().col(0);
  col2im_add(w, w.kernel * w.kernel, n.saved, batch, n.value.data());
  return out;
}

#define LOGP_INSTANTIATE(T)                                                                             \
  template BasicVar<T> conv2d(BasicVar<T>, BasicVar<T>, BasicVar<T>, const Conv2dShape&);              \
  template BasicVar<T> conv2d_taps(BasicVar<T>, BasicVar<T>, BasicVar<T>, const Conv2dShape&, Index);  \
  template BasicVar<T> conv_transpose2d(BasicVar<T>, BasicVar<T>, BasicVar<T>, const Conv2dShape&);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp::ad
