#pragma once
// A capability a model may add (model.hpp, "Capabilities"): it assigns each example one of
// classes() labels. `logp classify` finds it by dynamic_cast and reports test accuracy; the
// semi-supervised GAN (models/gan/sgan.hpp) implements it.
#include <cstdint>
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

class Classifier {
 public:
  virtual ~Classifier() = default;
  // x: D x N in the data's stored values -> N labels in [0, classes()). A column's label does not
  // depend on the other columns (fixed evaluation blocks, running batch-norm statistics).
  virtual std::vector<std::int64_t> classify(ConstMatrixRef x) const = 0;
  virtual Index classes() const = 0;
};

}  // namespace logp
