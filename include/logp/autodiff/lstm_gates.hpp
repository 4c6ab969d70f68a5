#pragma once
// The elementwise part of an LSTM step (Hochreiter & Schmidhuber 1997), over many positions at
// once: the Row LSTM updates a whole image row per step, the Diagonal LSTM a whole column of the
// skewed map (PixelRNN, van den Oord et al. 2016).
//
// Layout: P positions (times examples) with h hidden units each. A state (cell or hidden) is
// [P*h, N] with entry (p*h + u, n); gate pre-activations are [P*4h, N] with entry
// (p*4h + g*h + u, n), g = 0 input i, 1 forget f, 2 output o, 3 content g. Only the product P*N
// matters: both ops see the storage as [h, P*N] and [4h, P*N], so they take h = `hidden`.
//   c = sigmoid(f) * c_prev + sigmoid(i) * tanh(g)      (lstm_cell_state)
//   h = sigmoid(o) * tanh(c)                            (lstm_hidden)
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// pre: [P*4h, N], c_prev: [P*h, N] -> c: [P*h, N].
template <class T> BasicVar<T> lstm_cell_state(BasicVar<T> pre, BasicVar<T> c_prev, Index hidden);
// pre: [P*4h, N], c: [P*h, N] -> h: [P*h, N].
template <class T> BasicVar<T> lstm_hidden(BasicVar<T> pre, BasicVar<T> c, Index hidden);

}  // namespace logp::ad
