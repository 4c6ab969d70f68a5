#pragma once
// Products, sums and scalings of tape nodes. Shapes: [rows, cols]; activations are
// features x examples (one column per example).
#include <type_traits>

#include "logp/autodiff/tape.hpp"

namespace logp::ad {

template <class T> BasicVar<T> matmul(BasicVar<T> a, BasicVar<T> b);  // [M,K] x [K,N] -> [M,N]
template <class T> BasicVar<T> add(BasicVar<T> a, BasicVar<T> b);     // same shape, a + b
template <class T> BasicVar<T> sub(BasicVar<T> a, BasicVar<T> b);     // same shape, a - b
template <class T> BasicVar<T> mul(BasicVar<T> a, BasicVar<T> b);     // same shape, elementwise a * b
template <class T> BasicVar<T> scale(BasicVar<T> a, std::type_identity_t<T> s);       // s * a
template <class T> BasicVar<T> add_scalar(BasicVar<T> a, std::type_identity_t<T> s);  // a + s
template <class T> BasicVar<T> add_bias(BasicVar<T> a, BasicVar<T> bias);  // [M,N] + [M,1], over columns
// [M,N] * [1,N]: column j of a times w(j) (per-example weights, e.g. a mask over examples).
template <class T> BasicVar<T> scale_columns(BasicVar<T> a, BasicVar<T> w);

}  // namespace logp::ad
