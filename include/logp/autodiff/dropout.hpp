#pragma once
// Inverted dropout.
#include "logp/autodiff/tape.hpp"
#include "logp/core/rng.hpp"

namespace logp::ad {

// [M,N] -> [M,N]. training: each entry is kept with probability 1 - p and scaled by 1/(1 - p)
// (so the expectation is x), else zeroed; the mask is drawn from rng. Not training, or p = 0:
// the identity. 0 <= p < 1.
template <class T>
BasicVar<T> dropout(BasicVar<T> x, double p, Rng& rng, bool training);

}  // namespace logp::ad
