#pragma once
// A capability a model may add (model.hpp, "Capabilities"): it draws examples of a named class,
// given as a label or as a description. `logp sample --label K` and `--text "..."` find it by
// dynamic_cast; the conditional GAN (models/gan/cgan.hpp) implements it.
#include <string>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp {

class ConditionalSampler {
 public:
  virtual ~ConditionalSampler() = default;
  virtual Index classes() const = 0;
  // D x n examples of class label in [0, classes()), in the data's stored values; column j draws
  // from rng.split(j), so the first k of n samples are the k samples.
  virtual Matrix sample_label(Index label, Index n, Rng& rng) const = 0;
  // D x n examples for a description (the same streams). Throws naming the text when the model
  // takes no text, or knows none of its words.
  virtual Matrix sample_text(const std::string& text, Index n, Rng& rng) const = 0;
};

}  // namespace logp
