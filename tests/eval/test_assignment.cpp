// The Hungarian algorithm against brute force (eval/assignment.hpp).
#include <algorithm>
#include <catch2/catch.hpp>
#include <limits>
#include <numeric>

#include "logp/core/rng.hpp"
#include "logp/eval/assignment.hpp"

namespace logp::testing {
namespace {

// The least total cost over every matching of min(rows, cols) pairs, by enumeration.
double brute_force_cost(const MatrixD& cost) {
  const bool wide = cost.rows() <= cost.cols();
  const MatrixD c = wide ? cost : MatrixD(cost.transpose());
  std::vector<Index> columns(static_cast<std::size_t>(c.cols()));
  std::iota(columns.begin(), columns.end(), 0);
  double best = std::numeric_limits<double>::infinity();
  do {  // the first c.rows() entries of each permutation (repeats are harmless)
    double total = 0.0;
    for (Index i = 0; i < c.rows(); ++i) total += c(i, columns[static_cast<std::size_t>(i)]);
    best = std::min(best, total);
  } while (std::next_permutation(columns.begin(), columns.end()));
  return best;
}

double cost_of(const MatrixD& cost, const std::vector<Index>& assignment) {
  double total = 0.0;
  std::vector<bool> used(static_cast<std::size_t>(cost.cols()), false);
  Index matched = 0;
  for (Index i = 0; i < cost.rows(); ++i) {
    const Index j = assignment[static_cast<std::size_t>(i)];
    if (j < 0) continue;
    REQUIRE(j < cost.cols());
    REQUIRE_FALSE(used[static_cast<std::size_t>(j)]);  // one-to-one
    used[static_cast<std::size_t>(j)] = true;
    total += cost(i, j);
    ++matched;
  }
  CHECK(matched == std::min(cost.rows(), cost.cols()));
  return total;
}

MatrixD random_cost(Index rows, Index cols, Rng& rng, bool integers) {
  MatrixD m(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i)
      m(i, j) = integers ? static_cast<double>(rng.uniform_index(4)) : rng.normal();  // ties with integers
  return m;
}

}  // namespace

TEST_CASE("assignment: the Hungarian algorithm finds the brute-force optimum on random matrices", "[gan][assignment]") {
  Rng rng(17);
  for (int trial = 0; trial < 200; ++trial) {
    const bool integers = trial % 2 == 1;
    for (auto [rows, cols] : {std::pair<Index, Index>{5, 5}, {3, 5}, {5, 3}, {1, 4}}) {
      const MatrixD cost = random_cost(rows, cols, rng, integers);
      INFO("trial " << trial << ", " << rows << "x" << cols << "\n" << cost);
      const std::vector<Index> assignment = solve_assignment(cost);
      REQUIRE(static_cast<Index>(assignment.size()) == rows);
      CHECK(cost_of(cost, assignment) == Approx(brute_force_cost(cost)).margin(1e-12));
    }
  }
}

TEST_CASE("assignment: maximizing a gain, and refusing non-finite costs", "[gan][assignment]") {
  MatrixD gain(3, 3);
  gain << 0, 9, 1,  //
      8, 0, 0,      //
      0, 1, 7;
  CHECK(maximize_assignment(gain) == std::vector<Index>{1, 0, 2});
  CHECK(solve_assignment(MatrixD(0, 3)).empty());
  gain(0, 0) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS(solve_assignment(gain));
}

}  // namespace logp::testing
