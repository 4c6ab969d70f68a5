#pragma once
// The assignment problem (Kuhn 1955; Munkres 1957): a one-to-one matching of rows to columns
// of a cost matrix with the least total cost, by the O(n^2 m) shortest-augmenting-path form of
// the Hungarian algorithm. InfoGAN's code accuracy uses it to match latent codes to classes.
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

// cost: rows x cols, finite. Returns, for each row, its column, or -1 for rows left unmatched
// when rows > cols (every column is then used once); when rows <= cols each row gets a distinct
// column. The total cost of the matched pairs is the least possible.
std::vector<Index> solve_assignment(const MatrixD& cost);

// The same for a gain to maximize (e.g. a confusion matrix's counts): -gain minimized.
std::vector<Index> maximize_assignment(const MatrixD& gain);

}  // namespace logp
