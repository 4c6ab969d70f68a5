// The tape: node storage, leaves and the reverse pass (include/logp/autodiff/tape.hpp).
#include "logp/autodiff/tape.hpp"

#include <limits>
#include <string>

namespace logp::ad {

template <class T>
typename BasicTape<T>::Node& BasicTape<T>::fresh_node() {
  if (size_ == static_cast<Index>(nodes_.size())) nodes_.push_back(std::make_unique<Node>());
  Node& n = *nodes_[static_cast<std::size_t>(size_)];
  ++size_;
  n.inputs.clear();
  n.state = std::monostate{};  // an op that forgets to set its state fails its std::get
  n.backward = nullptr;
  n.needs_grad = false;
  n.grad_written = false;
  n.external_grad = nullptr;
  return n;
}

template <class T>
void BasicTape<T>::check_var(Var v, const char* what) const {
  if (!(v.tape == this && v.id >= 0 && v.id < size_))
    throw Error(std::string("autodiff: ") + what + " got a Var of another tape or of a cleared one (id " +
                std::to_string(v.id) + ", tape size " + std::to_string(size_) + ")");
}

template <class T>
BasicVar<T> BasicTape<T>::leaf(NodeKind kind, const Eigen::Ref<const MatrixT>& value) {
  Node& n = fresh_node();
  n.kind = kind;
  n.value = value;  // reuses the node's storage when the shape repeats
  n.needs_grad = kind != NodeKind::constant;
  return Var{this, static_cast<int>(size_ - 1)};
}

template <class T>
BasicVar<T> BasicTape<T>::constant(const Eigen::Ref<const MatrixT>& value) {
  return leaf(NodeKind::constant, value);
}

template <class T>
BasicVar<T> BasicTape<T>::input(const Eigen::Ref<const MatrixT>& value) {
  return leaf(NodeKind::input, value);
}

template <class T>
BasicVar<T> BasicTape<T>::parameter(Eigen::Map<const MatrixT> value, Eigen::Map<MatrixT> grad) {
  if (!(value.rows() == grad.rows() && value.cols() == grad.cols()))
    throw Error("autodiff: parameter value is " + std::to_string(value.rows()) + "x" + std::to_string(value.cols()) +
                " but its gradient block is " + std::to_string(grad.rows()) + "x" + std::to_string(grad.cols()));
  const Var v = leaf(NodeKind::parameter, value);
  node(v).external_grad = grad.data();
  return v;
}

template <class T>
BasicVar<T> BasicTape<T>::push(typename Node::Backward backward_fn, std::span<const Var> inputs) {
  for (const Var& in : inputs) check_var(in, "an op");
  Node& n = fresh_node();
  n.kind = NodeKind::op;
  n.backward = backward_fn;
  for (const Var& in : inputs) {
    n.inputs.push_back(in.id);
    n.needs_grad = n.needs_grad || node(in.id).needs_grad;
  }
  return Var{this, static_cast<int>(size_ - 1)};
}

template <class T>
BasicVar<T> BasicTape<T>::push(typename Node::Backward backward_fn, std::initializer_list<Var> inputs) {
  return push(backward_fn, std::span<const Var>(inputs.begin(), inputs.size()));
}

template <class T>
const typename BasicTape<T>::MatrixT& BasicTape<T>::grad(Var v) const {
  check_var(v, "grad()");
  const Node& n = node(v);
  if (!(n.grad_written))
    throw Error("autodiff: grad() of node " + std::to_string(v.id) +
                ", which no backward() pass reached (a constant, or created after the loss)");
  return n.grad;
}

template <class T>
typename BasicTape<T>::MatrixT& BasicTape<T>::grad_accumulator(int id) {
  Node& n = node(id);
  if (!n.grad_written) {
    n.grad.setZero(n.value.rows(), n.value.cols());
    n.grad_written = true;
  }
  return n.grad;
}

template <class T>
void BasicTape<T>::backward(Var loss) {
  check_var(loss, "backward()");
  Node& top = node(loss);
  if (!(top.value.rows() == 1 && top.value.cols() == 1))
    throw Error("autodiff: backward() needs a 1x1 loss, got " + std::to_string(top.value.rows()) + "x" +
                std::to_string(top.value.cols()));
  for (int id = 0; id <= loss.id; ++id) {
    Node& n = node(id);
    n.grad_written = false;
    if (poison_ && n.needs_grad)
      n.grad.setConstant(n.value.rows(), n.value.cols(), std::numeric_limits<T>::infinity());
  }
  if (top.needs_grad) {
    top.grad.setOnes(1, 1);
    top.grad_written = true;
  }
  for (int id = loss.id; id >= 0; --id) {
    Node& n = node(id);
    if (!n.needs_grad) continue;
    if (!n.grad_written) {  // nothing flowed here: d loss / d value is zero
      n.grad.setZero(n.value.rows(), n.value.cols());
      n.grad_written = true;
      continue;
    }
    if (n.backward != nullptr) {
      n.backward(*this, n);
    } else if (n.external_grad != nullptr) {
      Eigen::Map<MatrixT>(n.external_grad, n.value.rows(), n.value.cols()) += n.grad;
    }
  }
}

template class BasicTape<float>;
template class BasicTape<double>;

}  // namespace logp::ad
