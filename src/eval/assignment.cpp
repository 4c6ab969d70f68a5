// The Hungarian algorithm (include/logp/eval/assignment.hpp).
#include "logp/eval/assignment.hpp"

#include <cmath>
#include <limits>

#include "logp/core/error.hpp"

namespace logp {

std::vector<Index> solve_assignment(const MatrixD& cost) {
  require(cost.allFinite(), "solve_assignment: the cost matrix must be finite");
  const Index rows = cost.rows(), cols = cost.cols();
  if (rows == 0) return {};
  if (rows > cols) {  // match the columns to rows instead, then invert
    const std::vector<Index> by_column = solve_assignment(cost.transpose());
    std::vector<Index> out(static_cast<std::size_t>(rows), -1);
    for (Index c = 0; c < cols; ++c) out[static_cast<std::size_t>(by_column[static_cast<std::size_t>(c)])] = c;
    return out;
  }
  // Potentials u (rows), v (columns), 1-based with a virtual column 0; way[j]: the previous column
  // on the augmenting path to j; match[j]: the row matched to column j (0: none).
  const double inf = std::numeric_limits<double>::infinity();
  const auto n = static_cast<std::size_t>(rows), m = static_cast<std::size_t>(cols);
  std::vector<double> u(n + 1, 0.0), v(m + 1, 0.0);
  std::vector<std::size_t> match(m + 1, 0), way(m + 1, 0);
  for (std::size_t i = 1; i <= n; ++i) {
    match[0] = i;
    std::size_t j0 = 0;
    std::vector<double> min_slack(m + 1, inf);
    std::vector<bool> used(m + 1, false);
    do {
      used[j0] = true;
      const std::size_t i0 = match[j0];
      double delta = inf;
      std::size_t j1 = 0;
      for (std::size_t j = 1; j <= m; ++j) {
        if (used[j]) continue;
        const double slack = cost(static_cast<Index>(i0 - 1), static_cast<Index>(j - 1)) - u[i0] - v[j];
        if (slack < min_slack[j]) {
          min_slack[j] = slack;
          way[j] = j0;
        }
        if (min_slack[j] < delta) {
          delta = min_slack[j];
          j1 = j;
        }
      }
      for (std::size_t j = 0; j <= m; ++j) {
        if (used[j]) {
          u[match[j]] += delta;
          v[j] -= delta;
        } else {
          min_slack[j] -= delta;
        }
      }
      j0 = j1;
    } while (match[j0] != 0);
    do {  // flip the augmenting path
      const std::size_t j1 = way[j0];
      match[j0] = match[j1];
      j0 = j1;
    } while (j0 != 0);
  }
  std::vector<Index> out(n, -1);
  for (std::size_t j = 1; j <= m; ++j)
    if (match[j] != 0) out[match[j] - 1] = static_cast<Index>(j - 1);
  return out;
}

std::vector<Index> maximize_assignment(const MatrixD& gain) { return solve_assignment(-gain); }

}  // namespace logp
