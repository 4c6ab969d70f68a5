#pragma once
// A capability (model.hpp): whole examples from some of their values, as the part-to-whole GAN
// does (`logp complete`). Masks mark the given values.
#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp {

class PatchCompleter {
 public:
  virtual ~PatchCompleter() = default;
  // The side of the square patches the model was trained on.
  virtual Index patch_size() const = 0;
  // x: D x n in the data's stored values, mask: D x n of 0 and 1 (1: given; x's other values are
  // not read) -> D x n whole examples in stored values; column j draws from rng.split(j), so a
  // column does not depend on n.
  virtual Matrix complete(ConstMatrixRef x, ConstMatrixRef mask, Rng& rng) const = 0;
};

}  // namespace logp
