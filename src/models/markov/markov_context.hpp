#pragma once
// Which earlier pixels form the context of each pixel of a Markov model, and how their values
// combine into a context code. Conventions (slot order, padding, mixed radix) are in
// include/logp/models/markov/markov.hpp.
#include <cstdint>
#include <vector>

#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"
#include "logp/models/markov/markov.hpp"

namespace logp::markov {

class ContextLayout {
 public:
  // The `order` raster predecessors of each of `dim` pixels (order >= 0).
  static ContextLayout raster(Index dim, int order, int levels);
  // A causal template of (dy, dx) offsets over the H x W x 1 image of spec.shape.
  static ContextLayout image(const DataSpec& spec, const std::vector<ContextOffset>& offsets);

  Index dim() const { return dim_; }
  int slots() const { return slots_; }
  int levels() const { return levels_; }
  std::uint64_t radix() const { return radix_; }          // levels + 1 (the padding value)
  std::uint64_t num_codes() const { return num_codes_; }  // radix^slots

  // The context code of pixel i. values: D + 1 pixel values with values[D] = levels (padding).
  // Only pixels before i (and the padding entry) are read.
  std::uint64_t code(const std::uint16_t* values, Index i) const {
    const std::int32_t* source = sources_.data() + i * slots_;
    std::uint64_t c = 0;
    for (int j = slots_ - 1; j >= 0; --j) c = c * radix_ + values[source[j]];
    return c;
  }
  // The code of explicit slot values, each 0..levels; `what` names the caller in errors.
  std::uint64_t code_of(const std::vector<int>& slot_values, const std::string& what) const;

  // Whether `code` can occur at pixel i: padded slots hold the padding value, the others a level.
  bool can_occur(Index i, std::uint64_t code) const;
  // The number of context codes that can occur at pixel i: levels^(slots not padded at i).
  std::uint64_t reachable_codes(Index i) const;
  // The number of distinct codes that can occur at some pixel (what a tied table can see).
  std::uint64_t reachable_codes_any() const;

 private:
  ContextLayout(Index dim, int slots, int levels);
  std::uint64_t padding_mask(Index i) const;  // bit j set: slot j of pixel i is padding

  Index dim_;
  int slots_;
  int levels_;
  std::uint64_t radix_;
  std::uint64_t num_codes_;
  std::vector<std::int32_t> sources_;  // dim x slots, by pixel: a pixel index < i, or dim (padding)
};

}  // namespace logp::markov
