#pragma once
// Blocked pairwise squared Euclidean distances, the engine of every k-NN search and kernel sum
// of the sample metrics.
//
// A block of squared distances is ||q||^2 + ||r||^2 - 2 R^T Q (one GEMM, double, clamped at 0).
// Query blocks are fixed (kQueryBlock columns) and run in parallel under TBB's
// simple_partitioner; inside one query block the reference blocks are visited in ascending
// order. A caller that accumulates per query therefore gets bit-identical results for any thread
// count. With integer-valued features (binary or 8-bit pixels) every distance is exact in double,
// so comparisons such as d <= r have no rounding ambiguity; where R^T Q is also exact in float32
// (binary pixels) the GEMM runs in float32, with the same result (exact_products.hpp).
#include <functional>

#include "logp/eval/sample_metrics/metric_value.hpp"

namespace logp {

inline constexpr Index kQueryBlock = 256;       // query columns per task
inline constexpr Index kReferenceBlock = 2048;  // reference columns per GEMM

using IndexMatrix = Eigen::Matrix<Index, Eigen::Dynamic, Eigen::Dynamic>;

// Calls visit(query_first, reference_first, d2) for every (query block, reference block) pair;
// d2 is references x queries squared distances (refs rows, queries columns). Calls for one query
// block come from one thread, in ascending reference_first order. queries: F x Nq, references:
// F x Nr, same F.
using DistanceBlockVisitor = std::function<void(Index query_first, Index reference_first, const MatrixD& d2)>;
void for_each_distance_block(MatrixDRef queries, MatrixDRef references, const DistanceBlockVisitor& visit);

// The k nearest references of each query: k x Nq squared distances in ascending order and their
// reference indices. Ties go to the smaller reference index. exclude_self: queries and
// references are the same set and a point is not its own neighbour (compared by index, so a
// duplicate point still counts as a neighbour at distance 0). Needs k <= Nr (minus 1 with
// exclude_self).
struct Neighbours {
  MatrixD squared_distances;  // k x Nq, ascending per column
  IndexMatrix indices;        // k x Nq, columns of `references`
};
Neighbours nearest_neighbours(MatrixDRef queries, MatrixDRef references, Index k, bool exclude_self);

// The direct O(Nq Nr F) computation, sum_f (q_f - r_f)^2: Nr x Nq. For tests and small sets.
MatrixD direct_squared_distances(MatrixDRef queries, MatrixDRef references);

}  // namespace logp
