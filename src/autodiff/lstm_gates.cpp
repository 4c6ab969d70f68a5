// LSTM gates over many positions (include/logp/autodiff/lstm_gates.hpp).
#include "logp/autodiff/lstm_gates.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

using detail::shape_text;

template <class T>
using MapT = Eigen::Map<MatrixOf<T>>;
template <class T>
using ConstMapT = Eigen::Map<const MatrixOf<T>>;

// The columns P*N of the [h, P*N] view of a [P*h, N] state, after checking it against the
// [P*4h, N] pre-activation.
template <class T>
Index position_columns(const char* op, const BasicVar<T>& pre, const BasicVar<T>& state, Index hidden) {
  detail::require_same_tape(op, pre, state);
  if (!(hidden > 0 && state.rows() % hidden == 0 && pre.cols() == state.cols() && pre.rows() == 4 * state.rows()))
    throw Error(std::string("autodiff ") + op + ": gates are " + shape_text(pre) + ", state is " + shape_text(state) +
                ", expected [P*4h, N] and [P*h, N] with h = " + std::to_string(hidden));
  return state.rows() / hidden * state.cols();
}

// saved: the activated gates [4h, P*N] (sigmoid i, f, o; tanh g). state: LstmWidth h.
// dc_prev = dc f, di = dc g i(1-i), df = dc c_prev f(1-f), dg = dc i (1-g^2).
template <class T>
void cell_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const Index h = std::get<LstmWidth>(n.state).hidden, cols = n.saved.cols();
  const MatrixOf<T>& a = n.saved;  // [4h, P*N]: sigmoid(i), sigmoid(f), sigmoid(o), tanh(g)
  const ConstMapT<T> dc(n.grad.data(), h, cols);
  if (tape.needs_grad(n.inputs[0])) {
    const MatrixOf<T>& c_prev_value = tape.node(n.inputs[1]).value;
    const ConstMapT<T> c_prev(c_prev_value.data(), h, cols);
    MatrixOf<T>& gp = tape.grad_accumulator(n.inputs[0]);
    MapT<T> dpre(gp.data(), 4 * h, cols);
    dpre.topRows(h).array() +=
        dc.array() * a.bottomRows(h).array() * a.topRows(h).array() * (T(1) - a.topRows(h).array());
    dpre.middleRows(h, h).array() +=
        dc.array() * c_prev.array() * a.middleRows(h, h).array() * (T(1) - a.middleRows(h, h).array());
    dpre.bottomRows(h).array() += dc.array() * a.topRows(h).array() * (T(1) - a.bottomRows(h).array().square());
  }
  if (tape.needs_grad(n.inputs[1])) {
    MatrixOf<T>& gc = tape.grad_accumulator(n.inputs[1]);
    MapT<T>(gc.data(), h, cols).array() += dc.array() * a.middleRows(h, h).array();
  }
}

// saved: sigmoid(o) [h, P*N]; saved2: tanh(c) [h, P*N]; state: LstmWidth h.
// do = dh tanh(c) o(1-o), dc = dh o (1 - tanh(c)^2).
template <class T>
void hidden_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const Index h = std::get<LstmWidth>(n.state).hidden, cols = n.saved.cols();
  const ConstMapT<T> dh(n.grad.data(), h, cols);
  const MatrixOf<T>& o = n.saved;
  const MatrixOf<T>& tc = n.saved2;
  if (tape.needs_grad(n.inputs[0])) {
    MatrixOf<T>& gp = tape.grad_accumulator(n.inputs[0]);
    MapT<T>(gp.data(), 4 * h, cols).middleRows(2 * h, h).array() +=
        dh.array() * tc.array() * o.array() * (T(1) - o.array());
  }
  if (tape.needs_grad(n.inputs[1])) {
    MatrixOf<T>& gc = tape.grad_accumulator(n.inputs[1]);
    MapT<T>(gc.data(), h, cols).array() += dh.array() * o.array() * (T(1) - tc.array().square());
  }
}

}  // namespace

template <class T>
BasicVar<T> lstm_cell_state(BasicVar<T> pre, BasicVar<T> c_prev, Index hidden) {
  const Index h = hidden, cols = position_columns("lstm_cell_state", pre, c_prev, hidden);
  BasicTape<T>& tape = *pre.tape;
  const BasicVar<T> out = tape.push(&cell_backward<T>, {pre, c_prev});
  BasicNode<T>& n = tape.node(out);
  n.state = LstmWidth{h};
  const ConstMapT<T> p(pre.value().data(), 4 * h, cols);
  n.saved.resize(4 * h, cols);
  n.saved.topRows(3 * h) = p.topRows(3 * h).array().logistic();
  n.saved.bottomRows(h) = p.bottomRows(h).array().tanh();
  n.value.resize(c_prev.rows(), c_prev.cols());
  const ConstMapT<T> c0(c_prev.value().data(), h, cols);
  MapT<T>(n.value.data(), h, cols).array() =
      n.saved.middleRows(h, h).array() * c0.array() + n.saved.topRows(h).array() * n.saved.bottomRows(h).array();
  return out;
}

template <class T>
BasicVar<T> lstm_hidden(BasicVar<T> pre, BasicVar<T> c, Index hidden) {
  const Index h = hidden, cols = position_columns("lstm_hidden", pre, c, hidden);
  BasicTape<T>& tape = *pre.tape;
  const BasicVar<T> out = tape.push(&hidden_backward<T>, {pre, c});
  BasicNode<T>& n = tape.node(out);
  n.state = LstmWidth{h};
  const ConstMapT<T> p(pre.value().data(), 4 * h, cols);
  n.saved = p.middleRows(2 * h, h).array().logistic();
  n.saved2 = ConstMapT<T>(c.value().data(), h, cols).array().tanh();
  n.value.resize(c.rows(), c.cols());
  MapT<T>(n.value.data(), h, cols).array() = n.saved.array() * n.saved2.array();
  return out;
}

template BasicVar<float> lstm_cell_state(BasicVar<float>, BasicVar<float>, Index);
template BasicVar<double> lstm_cell_state(BasicVar<double>, BasicVar<double>, Index);
template BasicVar<float> lstm_hidden(BasicVar<float>, BasicVar<float>, Index);
template BasicVar<double> lstm_hidden(BasicVar<double>, BasicVar<double>, Index);

}  // namespace logp::ad
