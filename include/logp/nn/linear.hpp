#pragma once
// A fully connected layer on the tape: y = W x + b.
#include <cstddef>
#include <span>
#include <string>

#include "logp/autodiff/tape.hpp"
#include "logp/core/rng.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp::nn {

using ad::Tape;
using ad::Var;

struct Linear {
  std::size_t weight = 0, bias = 0;  // block indices in the store: W [out,in], b [out,1]
  Index in = 0, out = 0;

  // Adds blocks "<name>.weight" [out,in] and "<name>.bias" [out,1] (zeros) to the store.
  static Linear add_to(ParameterStore& store, const std::string& name, Index in, Index out);
  // x: [in,N] -> [out,N]. Gradients of W and b are ADDED into the same blocks of grad.
  Var forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad) const;
  // Glorot-uniform (or He-normal, for relu layers) weights and zero bias.
  void initialize(ParameterStore& params, Rng& rng, bool relu_like = false) const;
};

}  // namespace logp::nn
