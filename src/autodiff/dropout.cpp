// Inverted dropout (include/logp/autodiff/dropout.hpp).
#include "logp/autodiff/dropout.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

// y = x mask (mask in saved: 0 or 1/(1-p)): dx = g mask.
template <class T>
void dropout_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], n.grad.cwiseProduct(n.saved));
}

}  // namespace

template <class T>
BasicVar<T> dropout(BasicVar<T> x, double p, Rng& rng, bool training) {
  require(p >= 0.0 && p < 1.0, "autodiff dropout: drop probability must be in [0, 1), got " + std::to_string(p));
  if (!training || p == 0.0) return x;
  const BasicVar<T> out = x.tape->push(&dropout_backward<T>, {x});
  BasicNode<T>& n = x.tape->node(out);
  const T keep_scale = static_cast<T>(1.0 / (1.0 - p));
  n.saved.resize(x.rows(), x.cols());
  for (Index k = 0; k < n.saved.size(); ++k) n.saved(k) = rng.uniform() < p ? T(0) : keep_scale;
  n.value = x.value().cwiseProduct(n.saved);
  return out;
}

template BasicVar<float> dropout(BasicVar<float>, double, Rng&, bool);
template BasicVar<double> dropout(BasicVar<double>, double, Rng&, bool);

}  // namespace logp::ad
