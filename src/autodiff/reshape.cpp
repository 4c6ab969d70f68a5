// Reshape (include/logp/autodiff/reshape.hpp).
#include "logp/autodiff/reshape.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

// The gradient is G read back in the input's shape.
template <class T>
void reshape_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const MatrixOf<T>& a = tape.node(n.inputs[0]).value;
  tape.add_grad(n.inputs[0], Eigen::Map<const MatrixOf<T>>(n.grad.data(), a.rows(), a.cols()));
}

}  // namespace

template <class T>
BasicVar<T> reshape(BasicVar<T> a, Index rows, Index cols) {
  require(rows >= 0 && cols >= 0 && rows * cols == a.rows() * a.cols(),
          "autodiff reshape: " + detail::shape_text(a) + " cannot become " + std::to_string(rows) + "x" +
              std::to_string(cols));
  const BasicVar<T> out = a.tape->push(&reshape_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  n.value = Eigen::Map<const MatrixOf<T>>(a.value().data(), rows, cols);
  return out;
}

template BasicVar<float> reshape(BasicVar<float>, Index, Index);
template BasicVar<double> reshape(BasicVar<double>, Index, Index);

}  // namespace logp::ad
