// 1-D convolution along lines (include/logp/autodiff/line_conv.hpp).
#include "logp/autodiff/line_conv.hpp"

#include <algorithm>

#include "op_support.hpp"

namespace logp::ad {

namespace {

using detail::shape_text;

// columns [k*C, L*M]: column p + L*m, row t*C + c = x(p + t - pad, c) of line m, zero outside.
template <class T>
void line_im2col(const T* x, Index length, Index channels, Index kernel, Index pad, Index lines,
                 MatrixOf<T>& columns) {
  columns.resize(kernel * channels, length * lines);
  for (Index m = 0; m < lines; ++m)
    for (Index p = 0; p < length; ++p) {
      T* column = columns.data() + (p + length * m) * kernel * channels;
      for (Index t = 0; t < kernel; ++t) {
        const Index q = p + t - pad;
        T* dst = column + t * channels;
        if (q < 0 || q >= length) {
          std::fill(dst, dst + channels, T(0));
        } else {
          const T* src = x + (q + length * m) * channels;
          std::copy(src, src + channels, dst);
        }
      }
    }
}

// The adjoint of line_im2col: each column entry is added back where it was read.
template <class T>
void line_col2im_add(const MatrixOf<T>& columns, Index length, Index channels, Index kernel, Index pad, Index lines,
                     T* x) {
  for (Index m = 0; m < lines; ++m)
    for (Index p = 0; p < length; ++p) {
      const T* column = columns.data() + (p + length * m) * kernel * channels;
      for (Index t = 0; t < kernel; ++t) {
        const Index q = p + t - pad;
        if (q < 0 || q >= length) continue;
        const T* src = column + t * channels;
        T* dst = x + (q + length * m) * channels;
        for (Index c = 0; c < channels; ++c) dst[c] += src[c];
      }
    }
}

// The product's part of the backward of Y [C_out, L*M] = W [C_out, k*C] cols [k*C, L*M] + ...:
// dW = G cols^T, dcols = W^T G, dx = col2im(dcols). saved: cols; saved2: dcols (backward
// scratch); state: LineConvGeometry.
template <class T>
void line_conv_product_grads(BasicTape<T>& tape, BasicNode<T>& n, int x_id, int w_id) {
  const MatrixOf<T>& weight = tape.node(w_id).value;
  const LineConvGeometry& geometry = std::get<LineConvGeometry>(n.state);
  const Index length = geometry.length, lines = n.value.cols();
  const Eigen::Map<const MatrixOf<T>> g(n.grad.data(), weight.rows(), length * lines);
  detail::add_product_grad<T>(tape, w_id, g, Op::none, n.saved, Op::transpose);
  if (tape.needs_grad(x_id)) {
    n.saved2.resize(weight.cols(), g.cols());
    fixed_shape_gemm<T>(weight, Op::transpose, g, Op::none, n.saved2);  // d columns [k*C, L*M]
    line_col2im_add(n.saved2, length, geometry.channels, geometry.kernel, geometry.pad, lines,
                    tape.grad_accumulator(x_id).data());
  }
}

// line_conv, inputs {x, W, b}: the product's gradients and db = row sums of G.
template <class T>
void line_conv_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const int b_id = n.inputs[2];
  line_conv_product_grads(tape, n, n.inputs[0], n.inputs[1]);
  if (tape.needs_grad(b_id))
    tape.add_grad(b_id, Eigen::Map<const MatrixOf<T>>(n.grad.data(), tape.node(b_id).value.rows(),
                                                      n.grad.size() / tape.node(b_id).value.rows())
                            .rowwise()
                            .sum());
}

// add_line_conv, inputs {base, x, W}: dbase = G and the product's gradients.
template <class T>
void add_line_conv_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], n.grad);
  line_conv_product_grads(tape, n, n.inputs[1], n.inputs[2]);
}

// Checks x [L*C, M] and weight [C_out, k*C] for line_conv and add_line_conv.
template <class T>
void require_line_operands(const char* op, const BasicVar<T>& x, const BasicVar<T>& weight, Index channels,
                           Index kernel, Index pad) {
  detail::require_same_tape(op, x, weight);
  if (!(channels > 0 && kernel > 0 && pad >= 0 && pad < kernel))
    throw Error(std::string("autodiff ") + op + ": bad geometry: " + std::to_string(channels) + " channels, kernel " +
                std::to_string(kernel) + ", pad " + std::to_string(pad));
  if (!(x.rows() % channels == 0))
    throw Error(std::string("autodiff ") + op + ": input is " + shape_text(x) + ", rows not a multiple of " +
                std::to_string(channels) + " channels");
  if (!(weight.cols() == kernel * channels))
    throw Error(std::string("autodiff ") + op + ": weight is " + shape_text(weight) + ", expected " +
                std::to_string(weight.rows()) + "x" + std::to_string(kernel * channels));
}

}  // namespace

template <class T>
BasicVar<T> line_conv(BasicVar<T> x, BasicVar<T> weight, BasicVar<T> bias, Index channels, Index kernel, Index pad) {
  require_line_operands("line_conv", x, weight, channels, kernel, pad);
  detail::require_same_tape("line_conv", x, bias);
  const Index out_channels = weight.rows();
  if (!(bias.rows() == out_channels && bias.cols() == 1))
    throw Error("autodiff line_conv: bias is " + shape_text(bias) + ", expected " + std::to_string(out_channels) +
                "x1");
  BasicTape<T>& tape = *x.tape;
  const Index length = x.rows() / channels, lines = x.cols();
  const BasicVar<T> out = tape.push(&line_conv_backward<T>, {x, weight, bias});
  BasicNode<T>& n = tape.node(out);
  n.state = LineConvGeometry{length, channels, kernel, pad};
  line_im2col(x.value().data(), length, channels, kernel, pad, lines, n.saved);  // [k*C, L*M]
  n.value.resize(length * out_channels, lines);
  Eigen::Map<MatrixOf<T>> y(n.value.data(), out_channels, length * lines);
  y.colwise() = bias.value().col(0);  // then y += W cols: no zero fill, no second pass for the bias
  gemm_for<T>(tape.column_places(), weight.value(), Op::none, n.saved, Op::none, y, T(1));
  return out;
}

template <class T>
BasicVar<T> add_line_conv(BasicVar<T> base, BasicVar<T> x, BasicVar<T> weight, Index channels, Index kernel,
                          Index pad) {
  require_line_operands("add_line_conv", x, weight, channels, kernel, pad);
  detail::require_same_tape("add_line_conv", base, x);
  const Index length = x.rows() / channels, lines = x.cols(), out_channels = weight.rows();
  if (!(base.rows() == length * out_channels && base.cols() == lines))
    throw Error("autodiff add_line_conv: base is " + shape_text(base) + ", expected " +
                std::to_string(length * out_channels) + "x" + std::to_string(lines));
  BasicTape<T>& tape = *x.tape;
  const BasicVar<T> out = tape.push(&add_line_conv_backward<T>, {base, x, weight});
  BasicNode<T>& n = tape.node(out);
  n.state = LineConvGeometry{length, channels, kernel, pad};
  line_im2col(x.value().data(), length, channels, kernel, pad, lines, n.saved);  // [k*C, L*M]
  n.value = base.value();
  Eigen::Map<MatrixOf<T>> y(n.value.data(), out_channels, length * lines);
  gemm_for<T>(tape.column_places(), weight.value(), Op::none, n.saved, Op::none, y, T(1));
  return out;
}

template BasicVar<float> line_conv(BasicVar<float>, BasicVar<float>, BasicVar<float>, Index, Index, Index);
template BasicVar<double> line_conv(BasicVar<double>, BasicVar<double>, BasicVar<double>, Index, Index, Index);
template BasicVar<float> add_line_conv(BasicVar<float>, BasicVar<float>, BasicVar<float>, Index, Index, Index);
template BasicVar<double> add_line_conv(BasicVar<double>, BasicVar<double>, BasicVar<double>, Index, Index, Index);

}  // namespace logp::ad
