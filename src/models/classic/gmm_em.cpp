// GmmModel::fit: k-means++ seeding, then EM in log space (see gmm.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "logp/core/error.hpp"
#include "logp/core/progress.hpp"
#include "logp/core/math.hpp"
#include "logp/models/classic/gmm.hpp"

namespace logp {
namespace {

// Examples per E-step product: D x block doubles of about 512 KiB at most, which stay in a core's
// L2 cache while the block's densities and statistics read them (measured on Fashion-MNIST, D =
// 784, diag K = 10: 64 columns 1.2x faster than 256); 256 for small D (digits).
Index block_columns(Index d) { return std::clamp<Index>(65536 / std::max<Index>(d, 1) / 32 * 32, 64, 256); }
// An E-step task is a chunk of blocks with its own partial sum of the statistics: at most
// kMaxBlocksPerChunk blocks, fewer while there are under kChunks chunks (parallel work for small N).
constexpr Index kMaxBlocksPerChunk = 16;
constexpr Index kChunks = 64;
const double kTinyCount = 10.0 * std::numeric_limits<double>::epsilon();  // keeps an empty component finite

// Squared distances from every example of x to x's column `seed`: N values, computed in parallel
// over blocks of columns (each value alike at any thread count).
Vector squared_distances(const MatrixD& x, Index seed) {
  Vector out(x.cols());
  tbb::parallel_for(tbb::blocked_range<Index>(0, x.cols(), 512), [&](const tbb::blocked_range<Index>& range) {
    const Index first = range.begin(), count = range.size();
    out.segment(first, count) =
        (x.middleCols(first, count).colwise() - x.col(seed)).colwise().squaredNorm().transpose();
  });
  return out;
}

// k-means++ seeding and the assignment it gives: the first seed uniform, each next one drawn with
// probability proportional to the squared distance to the nearest seed so far. Returns K x N
// one-hot responsibilities: each example to its nearest seed (the first of equally near ones),
// tracked while seeding, so the data is read once per seed.
MatrixD kmeans_plus_plus_assignment(const MatrixD& x, Index k, Rng& rng) {
  const Index n = x.cols();
  Index pick = static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(n)));
  Vector nearest = squared_distances(x, pick);      // N: squared distance to the nearest seed
  std::vector<Index> owner(static_cast<size_t>(n), 0);  // N: that seed's number
  for (Index seed = 1; seed < k; ++seed) {
    const double total = nearest.sum();
    pick = static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(n)));  // all seeds coincide
    if (total > 0) {
      double u = rng.uniform() * total;
      for (pick = 0; pick + 1 < n && u >= nearest(pick); ++pick) u -= nearest(pick);
    }
    const Vector distances = squared_distances(x, pick);
    for (Index j = 0; j < n; ++j) {
      if (distances(j) < nearest(j)) {
        nearest(j) = distances(j);
        owner[static_cast<size_t>(j)] = seed;
      }
    }
  }
  MatrixD resp = MatrixD::Zero(k, n);
  for (Index j = 0; j < n; ++j) resp(owner[static_cast<size_t>(j)], j) = 1.0;
  return resp;
}

// X X^T (D x D, lower triangle): the data's part of a tied covariance, the same in every M-step.
MatrixD scatter_lower(const MatrixD& x) {
  MatrixD scatter = MatrixD::Zero(x.rows(), x.rows());
  fixed_shape_syrk_lower(x, scatter);
  return scatter;
}

// The shared covariance of a tied mixture: sum_k sum_n r_kn (x_n - m_k)(x_n - m_k)^T / N + ridge,
// as scikit-learn computes it: (X X^T - sum_k N_k m_k m_k^T) / N; `scatter` is X X^T's lower
// triangle (scatter_lower), so an M-step adds only the rank-K update.
MatrixD tied_covariance(const MatrixD& scatter, Index n, const MatrixD& means, const Vector& counts, double ridge) {
  MatrixD cov = scatter;
  cov.selfadjointView<Eigen::Lower>().rankUpdate(means * counts.cwiseSqrt().asDiagonal(), -1.0);
  cov = cov.selfadjointView<Eigen::Lower>();
  cov /= static_cast<double>(n);
  cov.diagonal().array() += ridge;
  return cov;
}

// One covariance per component (full): sum_n r_kn (x_n - m_k)(x_n - m_k)^T / N_k + ridge. The tasks
// are (component, chunk of examples) pairs, at least kMinCovarianceTasks of them, so that a few
// components still fill the cores; each adds rank updates of kRankBlock examples at a time into
// its own lower triangle (fixed_shape_syrk_lower: a D x kRankBlock buffer, no D x N copies), and
// a component's chunks are added in chunk order. The chunks depend on N and K alone, so the
// covariances are the same at any thread count.
std::vector<MatrixD> full_covariances(const MatrixD& x, const MatrixD& resp, const MatrixD& means,
                                      const Vector& counts, double ridge) {
  constexpr Index kRankBlock = 1024, kMinCovarianceTasks = 8;
  const Index k = resp.rows(), d = x.rows(), n = x.cols();
  const Index chunks = std::clamp<Index>((kMinCovarianceTasks + k - 1) / k, 1, std::max<Index>(1, n / kRankBlock));
  std::vector<MatrixD> partials(static_cast<size_t>(k * chunks));  // task c * chunks + h
  tbb::parallel_for(tbb::blocked_range<Index>(0, k * chunks, 1), [&](const tbb::blocked_range<Index>& range) {
    MatrixD weighted(d, std::min(kRankBlock, n));  // (x_n - mean) sqrt(r_n / count), D x block
    for (Index task = range.begin(); task < range.end(); ++task) {
      const Index c = task / chunks, h = task % chunks;
      const Index first = n * h / chunks, last = n * (h + 1) / chunks;
      const Vector scale = (resp.row(c).segment(first, last - first).transpose() / counts(c)).cwiseSqrt();
      MatrixD cov = MatrixD::Zero(d, d);
      for (Index b = first; b < last; b += kRankBlock) {
        const Index width = std::min(kRankBlock, last - b);
        weighted.leftCols(width) =
            (x.middleCols(b, width).colwise() - means.col(c)) * scale.segment(b - first, width).asDiagonal();
        fixed_shape_syrk_lower(weighted.leftCols(width), cov);  // half a GEMM
      }
      partials[static_cast<size_t>(task)] = std::move(cov);
    }
  }, tbb::simple_partitioner());
  std::vector<MatrixD> covariances(static_cast<size_t>(k));
  for (Index c = 0; c < k; ++c) {
    MatrixD& cov = covariances[static_cast<size_t>(c)];
    cov = std::move(partials[static_cast<size_t>(c * chunks)]);
    for (Index h = 1; h < chunks; ++h) cov += partials[static_cast<size_t>(c * chunks + h)];
    cov = cov.selfadjointView<Eigen::Lower>();
    cov.diagonal().array() += ridge;
  }
  return covariances;
}

// The sums an M-step needs from responsibilities r (K x N) over x (D x N).
struct EmStatistics {
  Vector counts;        // K: sum_n r_kn
  MatrixD sums;         // D x K: x r^T
  MatrixD square_sums;  // diag, spherical: D x K, x^2 r^T (empty otherwise)
};

bool diagonal(CovarianceType type) { return type == CovarianceType::diag || type == CovarianceType::spherical; }

// What the EM loop holds besides the model: the data, and X X^T for a tied mixture.
struct EmData {
  const MatrixD& x;  // D x N
  MatrixD scatter;   // tied: scatter_lower(x); empty otherwise
};

// Adds block's statistics (x_block: D x B, resp_block: K x B) to `partial`.
void add_statistics(const Eigen::Ref<const MatrixD>& x_block, const Eigen::Ref<const MatrixD>& resp_block, bool squares,
                    EmStatistics& partial) {
  partial.counts += resp_block.rowwise().sum();
  fixed_shape_gemm<double>(x_block, Op::none, resp_block, Op::transpose, partial.sums, 1.0);  // D x K
  if (squares)
    fixed_shape_gemm<double>(x_block.cwiseAbs2(), Op::none, resp_block, Op::transpose, partial.square_sums, 1.0);
}

// Calls block(b, width) for the blocks of block_columns(d) examples of [first, first + count).
template <class Block>
void for_each_block(Index d, Index first, Index count, const Block& block) {
  const Index columns = block_columns(d);
  for (Index b = first; b < first + count; b += columns) block(b, std::min(columns, first + count - b));
}

// Runs `chunk(first, count, partial)` for every chunk of examples in parallel, each adding to its own
// zeroed partial statistics, and sums the partials in chunk order. The chunks depend on N and D
// alone, so the sums are the same at any thread count.
template <class Chunk>
EmStatistics chunked_statistics(Index n, Index d, Index k, bool squares, const Chunk& chunk) {
  const Index columns = block_columns(d), blocks = (n + columns - 1) / columns;
  const Index chunk_size = columns * std::clamp<Index>((blocks + kChunks - 1) / kChunks, 1, kMaxBlocksPerChunk);
  const Index chunks = (n + chunk_size - 1) / chunk_size;
  const EmStatistics zero{Vector::Zero(k), MatrixD::Zero(d, k), squares ? MatrixD::Zero(d, k) : MatrixD()};
  std::vector<EmStatistics> partials(static_cast<size_t>(chunks), zero);
  tbb::parallel_for(tbb::blocked_range<Index>(0, chunks, 1), [&](const tbb::blocked_range<Index>& range) {
    for (Index c = range.begin(); c < range.end(); ++c)
      chunk(c * chunk_size, std::min(chunk_size, n - c * chunk_size), partials[static_cast<size_t>(c)]);
  }, tbb::simple_partitioner());
  EmStatistics total = zero;
  for (const EmStatistics& partial : partials) {
    total.counts += partial.counts;
    total.sums += partial.sums;
    if (squares) total.square_sums += partial.square_sums;
  }
  return total;
}

// The statistics of given responsibilities (the k-means++ assignment).
EmStatistics statistics(const MatrixD& x, const MatrixD& resp, bool squares) {
  return chunked_statistics(x.cols(), x.rows(), resp.rows(), squares,
                            [&](Index first, Index count, EmStatistics& partial) {
                              for_each_block(x.rows(), first, count, [&](Index b, Index width) {
                                add_statistics(x.middleCols(b, width), resp.middleCols(b, width), squares, partial);
                              });
                            });
}

// M-step: the weights, means and covariances maximizing the expected complete log-likelihood
// under responsibilities resp (K x N) with statistics `stats`, plus the ridge. Spherical variances
// are the diagonal ones averaged over dimensions.
GmmModel m_step(const EmData& data, const MatrixD& resp, const EmStatistics& stats, const DataSpec& spec,
                const GmmOptions& options) {
  const MatrixD& x = data.x;
  const Index k = resp.rows(), d = x.rows();
  const double n = static_cast<double>(x.cols());
  const Vector counts = (stats.counts.array() + kTinyCount).matrix();  // K
  MatrixD means = stats.sums * counts.cwiseInverse().asDiagonal();  // D x K
  std::vector<GaussianFactor> factors;
  MatrixD variances;
  const auto where = [&](Index c) {
    return "gmm fit: component " + std::to_string(c) + " (" + std::to_string(counts(c)) + " examples' weight)";
  };
  switch (options.covariance) {
    case CovarianceType::full: {
      const std::vector<MatrixD> covariances = full_covariances(x, resp, means, counts, options.ridge);
      for (Index c = 0; c < k; ++c) factors.emplace_back(means.col(c), covariances[static_cast<size_t>(c)], where(c));
      break;
    }
    case CovarianceType::tied: {
      const GaussianFactor shared(means.col(0), tied_covariance(data.scatter, x.cols(), means, counts, options.ridge),
                                  "gmm fit: the tied covariance");
      for (Index c = 0; c < k; ++c) factors.push_back(GaussianFactor::from_cholesky(means.col(c), shared.cholesky(), where(c)));
      break;
    }
    case CovarianceType::diag:
    case CovarianceType::spherical: {
      // E_r[x^2] - mean^2, as scikit-learn computes it; on standardized data the cancellation is
      // harmless, and a negative rounding result is clipped to 0 before the ridge is added.
      variances = stats.square_sums * counts.cwiseInverse().asDiagonal();
      variances = (variances - means.cwiseAbs2()).cwiseMax(0.0).array() + options.ridge;
      if (options.covariance == CovarianceType::spherical)
        variances = variances.colwise().mean().replicate(d, 1);
      if (!(variances.array() > 0).all())
        throw Error("gmm fit: a component has a zero variance (a constant dimension?); use --ridge > 0");
      break;
    }
  }
  const Vector log_weights = (counts / n).array().log();
  return GmmModel(spec, options, log_weights, std::move(means), std::move(factors), std::move(variances));
}

// E-step: sets resp (K x N) to the posterior responsibilities and `stats` to their statistics
// (computed block by block while the block is in cache); returns the mean log-likelihood.
double e_step(const GmmModel& model, const MatrixD& x, MatrixD& resp, EmStatistics& stats) {
  const Index n = x.cols();
  const bool squares = diagonal(model.covariance_type());
  Vector log_p(n);
  resp.resize(model.components(), n);
  stats = chunked_statistics(n, x.rows(), model.components(), squares,
                             [&](Index first, Index count, EmStatistics& partial) {
    for_each_block(x.rows(), first, count, [&](Index b, Index width) {
      const MatrixD block = x.middleCols(b, width);                         // D x width
      const MatrixD weighted = model.weighted_log_densities(block, ColumnPlaces::fixed);  // K x width
      for (Index j = 0; j < width; ++j) {
        const double total = log_sum_exp(weighted.col(j));
        log_p(b + j) = total;
        resp.col(b + j) = (weighted.col(j).array() - total).exp();
      }
      add_statistics(block, resp.middleCols(b, width), squares, partial);
    });
  });
  return log_p.sum() / static_cast<double>(n);  // Eigen's sum: a fixed order
}

struct EmRun {
  std::unique_ptr<GmmModel> model;
  GmmFitReport report;
};

EmRun run_em(const EmData& data, const DataSpec& spec, const GmmOptions& options, Rng rng, int restart) {
  const MatrixD& x = data.x;
  EmRun run;
  run.report.restart = restart;
  MatrixD resp = kmeans_plus_plus_assignment(x, options.components, rng);
  EmStatistics stats = statistics(x, resp, diagonal(options.covariance));
  run.model = std::make_unique<GmmModel>(m_step(data, resp, stats, spec, options));
  Progress progress("gmm EM restart " + std::to_string(restart + 1) + "/" + std::to_string(options.restarts),
                    options.max_iterations + 1, "iterations");
  for (int iteration = 0;; ++iteration) {
    const double log_likelihood = e_step(*run.model, x, resp, stats);
    progress.set_detail("mean log-likelihood " + std::to_string(log_likelihood));
    progress.advance();
    if (!std::isfinite(log_likelihood))
      throw Error("gmm fit: the training log-likelihood became " + std::to_string(log_likelihood) + " at iteration " +
                  std::to_string(iteration) + " (restart " + std::to_string(restart) + "); increase --ridge");
    std::vector<double>& trace = run.report.log_likelihood;
    trace.push_back(log_likelihood);
    if (trace.size() >= 2) {
      const double previous = trace[trace.size() - 2];
      if (std::abs(log_likelihood - previous) <= options.tolerance * std::abs(previous)) {
        run.report.converged = true;
        break;
      }
    }
    if (iteration == options.max_iterations) break;
    run.model = std::make_unique<GmmModel>(m_step(data, resp, stats, spec, options));
    run.report.iterations = iteration + 1;
  }
  progress.step("gmm EM restart " + std::to_string(restart + 1) + "/" + std::to_string(options.restarts) + ": " +
                std::to_string(run.report.iterations) + " iterations" + (run.report.converged ? " (converged)" : "") +
                ", mean log-likelihood " + std::to_string(run.report.log_likelihood.back()) + ", " +
                format_duration(progress.elapsed_seconds()));
  return run;
}

}  // namespace

GmmModel GmmModel::fit(ConstMatrixRef x, const DataSpec& spec, const GmmOptions& options, GmmFitReport* report) {
  require(x.rows() == spec.dim, "gmm fit: data has D=" + std::to_string(x.rows()) + ", spec says " +
                                    std::to_string(spec.dim));
  require(options.components >= 1 && options.components <= x.cols(),
          "gmm: --components must be in 1..N (N=" + std::to_string(x.cols()) + " training examples), got " +
              std::to_string(options.components));
  require(options.restarts >= 1, "gmm: --restarts must be >= 1");
  require(options.max_iterations >= 0, "gmm: --max-iterations must be >= 0");
  require(options.ridge >= 0.0 && options.tolerance >= 0.0, "gmm: --ridge and --tolerance must be >= 0");
  require(x.allFinite(), "gmm fit: the training data has NaN or infinite values");
  const MatrixD data = x.cast<double>();  // D x N
  for (Index i = 0; i < data.rows() && options.ridge == 0.0; ++i)
    require(data.row(i).maxCoeff() > data.row(i).minCoeff(),
            "gmm fit: dimension " + std::to_string(i) + " is constant (" + std::to_string(data(i, 0)) +
                "), so its variance is 0; use --ridge > 0 (e.g. the default 1e-6) or drop the column");
  const EmData em{data, options.covariance == CovarianceType::tied ? scatter_lower(data) : MatrixD()};
  const Rng base(options.seed);
  EmRun best;
  for (int restart = 0; restart < options.restarts; ++restart) {
    EmRun run = run_em(em, spec, options, base.split(static_cast<std::uint64_t>(restart)), restart);
    if (!best.model || run.report.log_likelihood.back() > best.report.log_likelihood.back()) best = std::move(run);
  }
  if (report != nullptr) *report = best.report;
  return std::move(*best.model);
}

}  // namespace logp
