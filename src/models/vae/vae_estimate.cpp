#include "logp/models/vae/vae_estimate.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "logp/core/error.hpp"
#include "logp/core/example_rng.hpp"

namespace logp {
namespace {

// Fills the columns of eps [L, S] with standard normals, column by column.
void draw_normals(Rng& rng, Eigen::Ref<Matrix> eps) {
  for (Index c = 0; c < eps.cols(); ++c)
    for (Index i = 0; i < eps.rows(); ++i) eps(i, c) = static_cast<float>(rng.normal());
}

// A running log-sum-exp of one example's log weights (double).
struct LogSumExp {
  double top = -std::numeric_limits<double>::infinity();
  double sum = 0.0;  // sum of exp(w - top)
  void add(double w) {
    if (w == -std::numeric_limits<double>::infinity()) return;  // a zero weight (exp(-inf - -inf) is NaN)
    if (w <= top) {
      sum += std::exp(w - top);
    } else {
      sum = sum * std::exp(top - w) + 1.0;
      top = w;
    }
  }
  double value() const { return top + std::log(sum); }
};

// Columns of (example, draw) pairs gathered for one decoder pass. Examples are columns of the
// group's x, read in place by the likelihood (no copy per draw).
class SampleChunk {
 public:
  SampleChunk(const VaeNetwork& net, const ParameterStore& params, ConstMatrixRef x, Index capacity,
              ColumnPlaces places)
      : net_(net), params_(params), x_(x), places_(places), z_(net.latent, capacity), log_ratio_(capacity),
        owner_(static_cast<std::size_t>(capacity)), log_px_z_(capacity) {}

  bool full() const { return size_ == z_.cols(); }

  // One draw of example `owner` (a column of x): z = mean + e^s eps;
  // log p(z) - log q(z|x) = (|eps|^2 - |z|^2)/2 + sum s.
  void add(Index owner, const Eigen::Ref<const VectorF>& mean, const Eigen::Ref<const VectorF>& log_scale,
           const Eigen::Ref<const VectorF>& eps) {
    z_.col(size_) = mean.array() + log_scale.array().exp() * eps.array();
    log_ratio_(size_) = 0.5 * (static_cast<double>(eps.squaredNorm()) - static_cast<double>(z_.col(size_).squaredNorm())) +
                        static_cast<double>(log_scale.sum());
    owner_[static_cast<std::size_t>(size_)] = owner;
    ++size_;
  }

  // Runs the decoder on the gathered columns and hands each (owner, log p(x|z), log ratio) to sink.
  template <class Sink>
  void flush(Sink&& sink) {
    if (size_ == 0) return;
    const Matrix out = net_.decoder.forward(params_, z_.leftCols(size_), places_);
    decoder_log_prob(net_.likelihood, out, x_, std::span<const Index>(owner_.data(), static_cast<std::size_t>(size_)),
                     log_px_z_.head(size_));
    for (Index c = 0; c < size_; ++c) sink(owner_[static_cast<std::size_t>(c)], log_px_z_(c), log_ratio_(c));
    size_ = 0;
  }

 private:
  const VaeNetwork& net_;
  const ParameterStore& params_;
  ConstMatrixRef x_;  // [D, examples of the group]
  ColumnPlaces places_;
  Matrix z_;
  Vector log_ratio_;
  std::vector<Index> owner_;
  Vector log_px_z_;
  Index size_ = 0;
};

}  // namespace

double kl_to_standard_normal(const Eigen::Ref<const VectorF>& mean, const Eigen::Ref<const VectorF>& log_scale) {
  const Eigen::ArrayXd m = mean.cast<double>().array(), s = log_scale.cast<double>().array();
  return 0.5 * (m.square() + (2.0 * s).exp() - 1.0 - 2.0 * s).sum();
}

Matrix vae_estimator_draws(Index latent, ConstMatrixRef x, const VaeEstimator& estimator) {
  Matrix eps(latent, x.cols() * estimator.samples);
  for (Index j = 0; j < x.cols(); ++j) {
    Rng rng = example_rng(estimator.seed, x.col(j).data(), x.rows());
    draw_normals(rng, eps.middleCols(j * estimator.samples, estimator.samples));
  }
  return eps;
}

namespace {

// The estimates of the examples in x (all of them), one decoder chunk after another. places:
// fixed when x is one example whatever the batch (its draw s then always sits at column
// s mod chunk of a pass of a size fixed by k and the chunk).
void estimate_group(const VaeNetwork& net, const ParameterStore& params, ConstMatrixRef x,
                    const VaeEstimator& estimator, ColumnPlaces places, Eigen::Ref<Vector> out) {
  const Index n = x.cols(), latent = net.latent, samples = estimator.samples;
  const Matrix h = net.encoder.forward(params, x);  // [2L, N]
  const Matrix mean = h.topRows(latent), log_scale = h.bottomRows(latent);

  std::vector<LogSumExp> weights(static_cast<std::size_t>(n));
  Vector log_px_z_sum = Vector::Zero(n);
  const auto sink = [&](Index j, double log_px_z, double log_ratio) {
    if (estimator.bound == VaeBound::elbo)
      log_px_z_sum(j) += log_px_z;
    else
      weights[static_cast<std::size_t>(j)].add(log_px_z + log_ratio);
  };
  SampleChunk chunk(net, params, x, std::min(estimator.sample_chunk, n * samples), places);
  Matrix eps(latent, 1);
  for (Index j = 0; j < n; ++j) {
    Rng rng = example_rng(estimator.seed, x.col(j).data(), x.rows());
    for (Index s = 0; s < samples; ++s) {
      draw_normals(rng, eps);
      chunk.add(j, mean.col(j), log_scale.col(j), eps.col(0));
      if (chunk.full()) chunk.flush(sink);
    }
  }
  chunk.flush(sink);

  for (Index j = 0; j < n; ++j) {
    if (estimator.bound == VaeBound::iwae)
      out(j) = weights[static_cast<std::size_t>(j)].value() - std::log(static_cast<double>(samples));
    else
      out(j) = log_px_z_sum(j) / static_cast<double>(samples) - kl_to_standard_normal(mean.col(j), log_scale.col(j));
  }
}

}  // namespace

Vector vae_estimate(const VaeNetwork& net, const ParameterStore& params, ConstMatrixRef x,
                    const VaeEstimator& estimator) {
  require(estimator.samples >= 1, "vae: the estimator needs at least one sample per example, got " +
                                      std::to_string(estimator.samples));
  require(estimator.sample_chunk >= 1, "vae: --sample-chunk must be positive");
  // Groups of examples that fill about one decoder chunk, estimated in parallel (TBB). The groups
  // depend only on N, k and the chunk size, never on the thread count.
  const Index group = std::max<Index>(1, estimator.sample_chunk / estimator.samples);
  // With one example per group, an example's decoder passes have the same columns in any batch:
  // their products may be the faster fixed-shape ones (core/gemm.hpp).
  const ColumnPlaces places = group == 1 ? ColumnPlaces::fixed : ColumnPlaces::vary;
  const Index groups = (x.cols() + group - 1) / group;
  // A block's padding (model.hpp: trailing copies of its first column) is not estimated again: a
  // group made only of copies of column 0 gets column 0's estimate. An example's draws depend on
  // its content alone, and the other groups keep their columns, so no value changes (with k >=
  // sample_chunk a group is one example: a block of 20 examples then costs 20 estimates, not 32).
  Index distinct = x.cols();
  while (distinct > 1 && x.col(distinct - 1) == x.col(0)) --distinct;
  const Index estimated_groups = std::min(groups, (distinct + group - 1) / group);
  Vector out(x.cols());
  tbb::parallel_for(tbb::blocked_range<Index>(0, estimated_groups, 1), [&](const tbb::blocked_range<Index>& range) {
    for (Index g = range.begin(); g != range.end(); ++g) {
      const Index first = g * group, count = std::min(group, x.cols() - first);
      estimate_group(net, params, x.middleCols(first, count), estimator, places, out.segment(first, count));
    }
  }, tbb::simple_partitioner());
  const Index estimated = std::min(x.cols(), estimated_groups * group);
  out.tail(x.cols() - estimated).setConstant(out(0));
  return out;
}

}  // namespace logp
