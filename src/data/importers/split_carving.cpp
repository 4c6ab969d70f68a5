#include "logp/data/importers/split_carving.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"

namespace logp {

CarvedRows carve_rows(Index n, Index n_valid, Index n_test, std::uint64_t seed) {
  require(n_valid >= 0 && n_test >= 0 && n_valid + n_test < n,
          "cannot carve " + std::to_string(n_valid) + " valid and " + std::to_string(n_test) + " test examples out of " +
              std::to_string(n) + " and keep any for training");
  std::vector<Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  Rng rng(seed);
  for (Index i = n - 1; i > 0; --i) {
    const Index j = static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(i + 1)));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  const auto cut = [&](Index from, Index to) {
    std::vector<Index> part(order.begin() + from, order.begin() + to);
    std::sort(part.begin(), part.end());
    return part;
  };
  return {cut(n_test + n_valid, n), cut(n_test, n_test + n_valid), cut(0, n_test)};
}

Index carved_count(double fraction, Index n) {
  require(fraction >= 0 && fraction < 1, "a split fraction must be in [0, 1), got " + std::to_string(fraction));
  return static_cast<Index>(std::ceil(fraction * static_cast<double>(n) - 1e-9));
}

}  // namespace logp
