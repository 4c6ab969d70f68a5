#pragma once
// The tape a training shard builds its graph on (Trainable::objective_and_grad and the GAN
// players' losses): one per thread and slot, kept between shards so that clear() keeps every
// node's storage and a step allocates nothing; a graph of another shape belongs in another slot
// (a GAN's two players), or each step would resize, hence reallocate and page-fault, its nodes.
// The tape is marked ColumnPlaces::fixed: the shard size fixes every shape, so its forward
// products may be the fixed-shape ones (core/gemm.hpp).
#include <array>
#include <cstddef>

#include "logp/autodiff/tape.hpp"

namespace logp {

inline constexpr std::size_t kTrainingTapeSlots = 2;

// The calling thread's tape in `slot` (< kTrainingTapeSlots), cleared.
inline ad::Tape& training_tape(std::size_t slot = 0) {
  thread_local std::array<ad::Tape, kTrainingTapeSlots> tapes;
  ad::Tape& tape = tapes.at(slot);
  tape.clear();
  tape.set_column_places(ColumnPlaces::fixed);
  return tape;
}

}  // namespace logp
