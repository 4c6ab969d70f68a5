#pragma once
// Seeded draws of example subsets, shared by the sample metrics (private to src/eval).
#include <numeric>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"

namespace logp::detail {

// `count` distinct indices of 0..n-1, uniformly (a partial Fisher-Yates shuffle), in draw order.
inline std::vector<Index> draw_without_replacement(Index n, Index count, Rng& rng) {
  std::vector<Index> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), Index{0});
  for (Index i = 0; i < count; ++i) {
    const Index j = i + static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(n - i)));
    std::swap(order[static_cast<size_t>(i)], order[static_cast<size_t>(j)]);
  }
  order.resize(static_cast<size_t>(count));
  return order;
}

// The columns of x at `columns`, in that order: F x columns.size().
inline MatrixD gather_columns(const Eigen::Ref<const MatrixD>& x, const std::vector<Index>& columns) {
  MatrixD out(x.rows(), static_cast<Index>(columns.size()));
  for (size_t j = 0; j < columns.size(); ++j) out.col(static_cast<Index>(j)) = x.col(columns[j]);
  return out;
}

// Sample mean and standard deviation (divisor n - ddof) of values, summed in order.
inline void mean_and_std(const std::vector<double>& values, int ddof, double& mean, double& std) {
  mean = 0.0;
  double m2 = 0.0;
  for (size_t i = 0; i < values.size(); ++i) {
    const double delta = values[i] - mean;
    mean += delta / static_cast<double>(i + 1);
    m2 += delta * (values[i] - mean);
  }
  const double dof = static_cast<double>(values.size()) - ddof;
  std = dof > 0 ? std::sqrt(m2 / dof) : 0.0;
}

}  // namespace logp::detail
