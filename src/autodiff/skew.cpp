// Skew and unskew of image maps (include/logp/autodiff/skew.hpp).
#include "logp/autodiff/skew.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

// The node's state: the shape's fields as a SkewGeometry (op_state.hpp), and back.
SkewGeometry geometry_of(const SkewShape& s) { return SkewGeometry{s.height, s.width, s.channels, s.reverse}; }

template <class T>
SkewShape shape_of(const BasicNode<T>& n) {
  const SkewGeometry& g = std::get<SkewGeometry>(n.state);
  return SkewShape{g.height, g.width, g.channels, g.reverse};
}

// For every example, pixel by pixel: f(image entry offset, skewed entry offset, C).
template <class F>
void for_each_pixel(const SkewShape& s, Index examples, F&& f) {
  for (Index e = 0; e < examples; ++e)
    for (Index i = 0; i < s.height; ++i)
      for (Index x = 0; x < s.width; ++x)
        f(e * s.image_size() + (i * s.width + x) * s.channels, e * s.skewed_size() + s.skewed_index(i, x, 0));
}

// The adjoint of skew is unskew and the other way round.
template <class T>
void skew_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const SkewShape s = shape_of(n);
  T* g = tape.grad_accumulator(n.inputs[0]).data();
  for_each_pixel(s, n.value.cols(), [&](Index image, Index skewed) {
    for (Index c = 0; c < s.channels; ++c) g[image + c] += n.grad.data()[skewed + c];
  });
}

template <class T>
void unskew_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const SkewShape s = shape_of(n);
  T* g = tape.grad_accumulator(n.inputs[0]).data();
  for_each_pixel(s, n.value.cols(), [&](Index image, Index skewed) {
    for (Index c = 0; c < s.channels; ++c) g[skewed + c] += n.grad.data()[image + c];
  });
}

void require_shape(const char* op, const SkewShape& s, Index rows, Index expected) {
  require(s.height > 0 && s.width > 0 && s.channels > 0 && rows == expected,
          std::string("autodiff ") + op + ": input has " + std::to_string(rows) + " rows, a " +
              std::to_string(s.height) + "x" + std::to_string(s.width) + "x" + std::to_string(s.channels) +
              " map needs " + std::to_string(expected));
}

}  // namespace

template <class T>
BasicVar<T> skew(BasicVar<T> image, const SkewShape& shape) {
  require_shape("skew", shape, image.rows(), shape.image_size());
  const BasicVar<T> out = image.tape->push(&skew_backward<T>, {image});
  BasicNode<T>& n = image.tape->node(out);
  n.state = geometry_of(shape);
  n.value.setZero(shape.skewed_size(), image.cols());
  const T* src = image.value().data();
  for_each_pixel(shape, image.cols(), [&](Index pixel, Index skewed) {
    for (Index c = 0; c < shape.channels; ++c) n.value.data()[skewed + c] = src[pixel + c];
  });
  return out;
}

template <class T>
BasicVar<T> unskew(BasicVar<T> skewed, const SkewShape& shape) {
  require_shape("unskew", shape, skewed.rows(), shape.skewed_size());
  const BasicVar<T> out = skewed.tape->push(&unskew_backward<T>, {skewed});
  BasicNode<T>& n = skewed.tape->node(out);
  n.state = geometry_of(shape);
  n.value.resize(shape.image_size(), skewed.cols());
  const T* src = skewed.value().data();
  for_each_pixel(shape, skewed.cols(), [&](Index pixel, Index from) {
    for (Index c = 0; c < shape.channels; ++c) n.value.data()[pixel + c] = src[from + c];
  });
  return out;
}

template BasicVar<float> skew(BasicVar<float>, const SkewShape&);
template BasicVar<double> skew(BasicVar<double>, const SkewShape&);
template BasicVar<float> unskew(BasicVar<float>, const SkewShape&);
template BasicVar<double> unskew(BasicVar<double>, const SkewShape&);

}  // namespace logp::ad
