#pragma once
// A matrix-level reverse-mode tape (docs/architecture.md, "Gradients").
//
// A node holds one matrix (rows x cols); an op is a free function that computes its value on
// plain matrices and records a backward function, written beside it, that adds the op's
// contribution into its inputs' gradients. backward() replays the nodes in reverse creation
// order. One node per matrix op, never per scalar.
//
// The tape is templated on the scalar so the same ops run in float (training) and in double
// (the gradient checks, tests/support/op_check.hpp): Tape and Var are the float names.
// One tape per TBB shard; a tape is not thread-safe. clear() keeps every node's storage, so a
// training loop that builds the same graph each step allocates nothing after the first step.
#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "logp/autodiff/op_state.hpp"
#include "logp/core/error.hpp"
#include "logp/core/gemm.hpp"
#include "logp/core/types.hpp"

namespace logp::ad {

template <class T>
class BasicTape;

template <class T>
using MatrixOf = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;

// A node of a tape: a matrix value, rows x cols. Cheap to copy (a pointer and an id).
template <class T>
struct BasicVar {
  BasicTape<T>* tape = nullptr;
  int id = -1;

  const MatrixOf<T>& value() const { return tape->value(*this); }
  Index rows() const { return value().rows(); }
  Index cols() const { return value().cols(); }
};

enum class NodeKind { constant, input, parameter, op };

// What a node stores. An op keeps what its backward needs in `saved` and `saved2` (matrices whose
// use each op names beside it: a mask, normalized values, im2col columns, backward scratch) and
// in `state`, a typed struct of its own (op_state.hpp: a slice's bounds, a convolution's window,
// a scale factor) read back with std::get, which throws on a wrong type. Nothing here is freed by
// clear().
template <class T>
struct BasicNode {
  using MatrixT = MatrixOf<T>;
  using Backward = void (*)(BasicTape<T>& tape, BasicNode& node);

  MatrixT value;                 // rows x cols
  MatrixT grad;                  // rows x cols, d loss / d value, valid when grad_written
  MatrixT saved;                 // op-specific (masks, normalized inputs, im2col columns)
  MatrixT saved2;                // op-specific (per-channel statistics, backward scratch)
  std::vector<int> inputs;       // ids of the nodes this op read
  OpState<T> state;              // op-specific typed state (op_state.hpp); monostate when unused
  Backward backward = nullptr;   // null for leaves
  NodeKind kind = NodeKind::constant;
  bool needs_grad = false;       // some parameter or input is upstream
  bool grad_written = false;     // grad holds a value in the current backward pass
  T* external_grad = nullptr;    // parameters: the gradient buffer backward() adds into
};

template <class T>
class BasicTape {
 public:
  using Scalar = T;
  using MatrixT = MatrixOf<T>;
  using Var = BasicVar<T>;
  using Node = BasicNode<T>;

  BasicTape() = default;
  BasicTape(const BasicTape&) = delete;
  BasicTape& operator=(const BasicTape&) = delete;

  // Leaves. A constant receives no gradient; an input's grad() is readable after backward();
  // a parameter views a block of a ParameterStore and the same block of a gradient buffer, and
  // backward() ADDS d loss / d value into that buffer (never overwrites).
  Var constant(const Eigen::Ref<const MatrixT>& value);
  Var input(const Eigen::Ref<const MatrixT>& value);
  Var parameter(Eigen::Map<const MatrixT> value, Eigen::Map<MatrixT> grad);

  const MatrixT& value(Var v) const { return node(v).value; }
  // d loss / d v after backward(); zeros where no gradient flowed. Only for nodes created before
  // the loss and upstream of a parameter or input.
  const MatrixT& grad(Var v) const;

  // Replays the nodes up to `loss` (1 x 1) in reverse creation order.
  void backward(Var loss);
  // Drops all nodes and keeps their storage for the next graph.
  void clear() { size_ = 0; }
  Index size() const { return size_; }

  // For checks: when on, backward() fills every gradient buffer with +inf before the pass, so
  // an op that reads a gradient it never initialized shows it (tests/support/op_check.hpp).
  void set_poison_gradients(bool on) { poison_ = on; }

  // Whether the graph's shapes and column places are fixed (a training shard: ColumnPlaces::fixed)
  // or a column's value must not depend on its batch (evaluation: vary, the default). Forward
  // products follow it (core/gemm.hpp: gemm_for); clear() keeps it.
  void set_column_places(ColumnPlaces places) { column_places_ = places; }
  ColumnPlaces column_places() const { return column_places_; }

  // ---- For op authors (src/autodiff/*.cpp) ----
  // Appends a node with the given inputs and backward; its value is left for the op to fill.
  // needs_grad is set when some input needs a gradient.
  Var push(typename Node::Backward backward_fn, std::initializer_list<Var> inputs);
  Var push(typename Node::Backward backward_fn, std::span<const Var> inputs);
  Node& node(Var v) { return node(v.id); }
  const Node& node(Var v) const { return node(v.id); }
  Node& node(int id) { return *nodes_[static_cast<std::size_t>(id)]; }
  const Node& node(int id) const { return *nodes_[static_cast<std::size_t>(id)]; }
  bool needs_grad(int id) const { return node(id).needs_grad; }

  // Adds `g` (same shape as node id) into node id's gradient: assigns on first touch.
  template <class Expr>
  void add_grad(int id, const Eigen::MatrixBase<Expr>& g) {
    Node& n = node(id);
    if (!n.needs_grad) return;
    if (n.grad_written) {
      n.grad.noalias() += g;
    } else {
      n.grad.noalias() = g;
      n.grad_written = true;
    }
  }
  // node id's gradient, zero-filled on first touch, for ops that add into parts of it.
  MatrixT& grad_accumulator(int id);

 private:
  Var leaf(NodeKind kind, const Eigen::Ref<const MatrixT>& value);
  Node& fresh_node();
  void check_var(Var v, const char* what) const;

  std::vector<std::unique_ptr<Node>> nodes_;  // nodes_[0 .. size_) are live; the rest are spare
  Index size_ = 0;
  bool poison_ = false;
  ColumnPlaces column_places_ = ColumnPlaces::vary;
};

using Tape = BasicTape<float>;
using Var = BasicVar<float>;

extern template class BasicTape<float>;
extern template class BasicTape<double>;

}  // namespace logp::ad
