// Upsampling and average pooling by 2 (include/logp/autodiff/resample.hpp). State: ConvWindow,
// the big image (H, W, C) and the small grid (H/2, W/2) of 2x2 windows.
#include "logp/autodiff/resample.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

// For each example, each small pixel (y, x) and channel c: f(small index, big index of window
// pixel (a, b)) for a, b in {0, 1}.
template <class F>
void for_each_window(const ConvWindow& w, Index examples, F&& f) {
  const Index big = w.height * w.width * w.channels, small = w.out_height * w.out_width * w.channels;
  for (Index e = 0; e < examples; ++e)
    for (Index y = 0; y < w.out_height; ++y)
      for (Index x = 0; x < w.out_width; ++x)
        for (Index a = 0; a < 2; ++a)
          for (Index b = 0; b < 2; ++b)
            for (Index c = 0; c < w.channels; ++c)
              f(e * small + (y * w.out_width + x) * w.channels + c,
                e * big + ((2 * y + a) * w.width + 2 * x + b) * w.channels + c);
}

ConvWindow halving_window(Index height, Index width, Index channels) {
  return ConvWindow{height, width, channels, height / 2, width / 2, 2, 2, 0};
}

// out = in(small): the gradient of a small pixel is the sum of its 4 copies'.
template <class T>
void upsample_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  if (!tape.needs_grad(n.inputs[0])) return;
  MatrixOf<T>& g = tape.grad_accumulator(n.inputs[0]);
  const T* pg = n.grad.data();
  T* out = g.data();
  for_each_window(std::get<ConvWindow>(n.state), n.grad.cols(), [&](Index s, Index b) { out[s] += pg[b]; });
}

// out = mean of 4: each big pixel gets a quarter of its window's gradient.
template <class T>
void avg_pool_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  if (!tape.needs_grad(n.inputs[0])) return;
  MatrixOf<T>& g = tape.grad_accumulator(n.inputs[0]);
  const T* pg = n.grad.data();
  T* out = g.data();
  for_each_window(std::get<ConvWindow>(n.state), n.grad.cols(), [&](Index s, Index b) { out[b] += T(0.25) * pg[s]; });
}

template <class T>
void require_image(const char* op, const BasicVar<T>& x, Index height, Index width, Index channels) {
  if (!(height >= 1 && width >= 1 && channels >= 1 && x.rows() == height * width * channels))
    throw Error(std::string("autodiff ") + op + ": " + detail::shape_text(x) + " is not a batch of " +
                std::to_string(height) + "x" + std::to_string(width) + "x" + std::to_string(channels) + " images");
}

}  // namespace

template <class T>
BasicVar<T> upsample2x(BasicVar<T> x, Index height, Index width, Index channels) {
  require_image("upsample2x", x, height, width, channels);
  const BasicVar<T> out = x.tape->push(&upsample_backward<T>, {x});
  BasicNode<T>& n = x.tape->node(out);
  n.state = halving_window(2 * height, 2 * width, channels);
  n.value.resize(4 * x.rows(), x.cols());
  const T* in = x.value().data();
  T* pv = n.value.data();
  for_each_window(std::get<ConvWindow>(n.state), x.cols(), [&](Index s, Index b) { pv[b] = in[s]; });
  return out;
}

template <class T>
BasicVar<T> avg_pool2x(BasicVar<T> x, Index height, Index width, Index channels) {
  require_image("avg_pool2x", x, height, width, channels);
  if (height % 2 != 0 || width % 2 != 0)
    throw Error("autodiff avg_pool2x: image height and width must be even, got " + std::to_string(height) + "x" +
                std::to_string(width));
  const BasicVar<T> out = x.tape->push(&avg_pool_backward<T>, {x});
  BasicNode<T>& n = x.tape->node(out);
  n.state = halving_window(height, width, channels);
  n.value.setZero(x.rows() / 4, x.cols());
  const T* in = x.value().data();
  T* pv = n.value.data();
  for_each_window(std::get<ConvWindow>(n.state), x.cols(), [&](Index s, Index b) { pv[s] += T(0.25) * in[b]; });
  return out;
}

template BasicVar<float> upsample2x(BasicVar<float>, Index, Index, Index);
template BasicVar<double> upsample2x(BasicVar<double>, Index, Index, Index);
template BasicVar<float> avg_pool2x(BasicVar<float>, Index, Index, Index);
template BasicVar<double> avg_pool2x(BasicVar<double>, Index, Index, Index);

}  // namespace logp::ad
