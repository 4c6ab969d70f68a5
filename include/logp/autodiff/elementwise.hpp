#pragma once
// Elementwise functions of a tape node: [M,N] -> [M,N]. Vectorized through Eigen arrays.
#include <type_traits>

#include "logp/autodiff/tape.hpp"

namespace logp::ad {

template <class T> BasicVar<T> sigmoid(BasicVar<T> a);   // 1 / (1 + e^-a)
template <class T> BasicVar<T> tanh(BasicVar<T> a);
template <class T> BasicVar<T> relu(BasicVar<T> a);      // max(a, 0); derivative 0 at 0
template <class T> BasicVar<T> leaky_relu(BasicVar<T> a, std::type_identity_t<T> slope);  // a > 0 ? a : slope a
template <class T> BasicVar<T> softplus(BasicVar<T> a);  // log(1 + e^a), stable for every a
template <class T> BasicVar<T> exp(BasicVar<T> a);
template <class T> BasicVar<T> log(BasicVar<T> a);       // natural log; a > 0
template <class T> BasicVar<T> square(BasicVar<T> a);    // a^2

}  // namespace logp::ad
