#pragma once
// A capability a model may add (model.hpp, "Capabilities"): it translates images of one class
// (domain) into another. `logp translate --to T` finds it by dynamic_cast; CycleGAN
// (models/gan/cyclegan.hpp) implements it.
#include <string>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp {

class Translator {
 public:
  virtual ~Translator() = default;
  // The class label named by `to` (CycleGAN: "A", "B" or either domain's class number); throws an
  // Error naming `to` and the choices when the model cannot translate into it.
  virtual Index target_class(const std::string& to) const = 0;
  // Whether examples of class `label` are translated into class `target` (a target_class()).
  virtual bool translates(Index label, Index target) const = 0;
  // x: D x n examples of classes that translates() into target, in the data's stored values ->
  // D x n translations in stored values; column j rounds (binary data: draws) from rng.split(j).
  // A column's translation does not depend on the others or on n.
  virtual Matrix translate(ConstMatrixRef x, Index target, Rng& rng) const = 0;
};

}  // namespace logp
