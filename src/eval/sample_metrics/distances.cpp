#include "logp/eval/sample_metrics/distances.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <limits>
#include <string>

#include "logp/core/error.hpp"
#include "logp/eval/sample_metrics/exact_products.hpp"

namespace logp {

void for_each_distance_block(MatrixDRef queries, MatrixDRef references, const DistanceBlockVisitor& visit) {
  require(queries.rows() == references.rows(), "distances: feature dimensions differ, " +
                                                   std::to_string(queries.rows()) + " vs " +
                                                   std::to_string(references.rows()));
  const Index nq = queries.cols(), nr = references.cols();
  if (nq == 0 || nr == 0) return;
  const Vector reference_norms = references.colwise().squaredNorm().transpose();  // Nr
  // Float32 copies when R^T Q is exact in float (exact_products.hpp): the same d2, bit for bit.
  const bool in_float = products_exact_in_float(queries, references);
  const Matrix queries_float = in_float ? Matrix(queries.cast<float>()) : Matrix();
  const Matrix references_float = in_float ? Matrix(references.cast<float>()) : Matrix();
  const Index blocks = (nq + kQueryBlock - 1) / kQueryBlock;
  tbb::parallel_for(tbb::blocked_range<Index>(0, blocks, 1), [&](const tbb::blocked_range<Index>& range) {
    MatrixD d2;
    Matrix product;
    for (Index b = range.begin(); b < range.end(); ++b) {
      const Index qf = b * kQueryBlock, qn = std::min(kQueryBlock, nq - qf);
      const Eigen::Ref<const MatrixD> query = queries.middleCols(qf, qn);  // F x qn
      const Eigen::RowVectorXd query_norms = query.colwise().squaredNorm();  // 1 x qn
      for (Index rf = 0; rf < nr; rf += kReferenceBlock) {
        const Index rn = std::min(kReferenceBlock, nr - rf);
        d2.resize(rn, qn);
        if (in_float) {
          product.resize(rn, qn);
          product.noalias() = references_float.middleCols(rf, rn).transpose() * queries_float.middleCols(qf, qn);
          d2 = -2.0 * product.cast<double>();  // rn x qn
        } else {
          d2.noalias() = -2.0 * references.middleCols(rf, rn).transpose() * query;  // rn x qn
        }
        d2.colwise() += reference_norms.segment(rf, rn);
        d2.rowwise() += query_norms;
        d2 = d2.cwiseMax(0.0);  // rounding can make ||q - r||^2 slightly negative
        visit(qf, rf, d2);
      }
    }
  }, tbb::simple_partitioner());
}

Neighbours nearest_neighbours(MatrixDRef queries, MatrixDRef references, Index k, bool exclude_self) {
  const Index nq = queries.cols(), nr = references.cols();
  require(k >= 1, "nearest_neighbours: k must be at least 1, got " + std::to_string(k));
  require(!exclude_self || nq == nr, "nearest_neighbours: exclude_self needs the same set as queries and references");
  require(k <= nr - (exclude_self ? 1 : 0), "nearest_neighbours: k=" + std::to_string(k) + " needs more than " +
                                                std::to_string(nr) + " reference points");
  Neighbours result;
  result.squared_distances.setConstant(k, nq, std::numeric_limits<double>::infinity());
  result.indices.setConstant(k, nq, -1);
  for_each_distance_block(queries, references, [&](Index qf, Index rf, const MatrixD& d2) {
    for (Index j = 0; j < d2.cols(); ++j) {
      double* best = &result.squared_distances(0, qf + j);  // k ascending values
      Index* best_index = &result.indices(0, qf + j);
      for (Index i = 0; i < d2.rows(); ++i) {
        const double d = d2(i, j);
        if (!(d < best[k - 1])) continue;  // ties keep the earlier (smaller) index
        if (exclude_self && rf + i == qf + j) continue;
        Index pos = k - 1;
        while (pos > 0 && d < best[pos - 1]) {
          best[pos] = best[pos - 1];
          best_index[pos] = best_index[pos - 1];
          --pos;
        }
        best[pos] = d;
        best_index[pos] = rf + i;
      }
    }
  });
  return result;
}

MatrixD direct_squared_distances(MatrixDRef queries, MatrixDRef references) {
  require(queries.rows() == references.rows(), "distances: feature dimensions differ");
  MatrixD d2(references.cols(), queries.cols());
  for (Index j = 0; j < queries.cols(); ++j)
    for (Index i = 0; i < references.cols(); ++i) {
      double sum = 0.0;
      for (Index f = 0; f < queries.rows(); ++f) {
        const double diff = queries(f, j) - references(f, i);
        sum += diff * diff;
      }
      d2(i, j) = sum;
    }
  return d2;
}

}  // namespace logp
