#pragma once
// Carving held-out splits (valid, test) out of a training table with a seeded shuffle.
//
// The N row indices are shuffled by Fisher-Yates with logp::Rng(seed); the first n_test go to
// test, the next n_valid to valid, the rest stay in train. Each part is then sorted, so every
// split keeps the file's order. Same N, sizes and seed => the same split on every platform.
#include <cstdint>
#include <string>
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

struct CarvedRows {
  std::vector<Index> train, valid, test;  // ascending row indices into the original table
};

CarvedRows carve_rows(Index n, Index n_valid, Index n_test, std::uint64_t seed);

// How many of n rows a fraction in [0, 1) carves: ceil(fraction * n), as scikit-learn's
// train_test_split does (with a tolerance so that 0.07 * 100 is 7, not 8).
Index carved_count(double fraction, Index n);

// The given rows of a row-major N x d array (d values per row), in the order given.
template <typename T>
std::vector<T> select_rows(const std::vector<T>& values, Index d, const std::vector<Index>& rows) {
  std::vector<T> out;
  out.reserve(rows.size() * static_cast<size_t>(d));
  for (Index r : rows)
    out.insert(out.end(), values.begin() + r * d, values.begin() + (r + 1) * d);
  return out;
}

}  // namespace logp
