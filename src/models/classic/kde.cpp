#include "logp/models/classic/kde.hpp"

#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "logp/core/error.hpp"
#include "logp/core/progress.hpp"
#include "logp/core/math.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {
namespace {

constexpr Index kBlock = 64;  // examples per task: a N x 64 distance block
constexpr double kMinBandwidth = 1e-150, kMaxBandwidth = 1e150;  // 1/h^2 stays finite and nonzero

}  // namespace

KdeModel::KdeModel(DataSpec spec, const Matrix& points, double bandwidth, std::string rule)
    : DensityModel(std::move(spec)), points_(points.cast<double>()), bandwidth_(bandwidth), rule_(std::move(rule)) {
  require(!data_spec().is_discrete(), "kde: needs real data, got " + data_spec().describe());
  require(points_.rows() == dim() && points_.cols() >= 1,
          "kde: needs at least one point of D=" + std::to_string(dim()) + ", got " + std::to_string(points_.rows()) +
              "x" + std::to_string(points_.cols()));
  require(points_.allFinite(), "kde: the points have NaN or infinite values");
  // 1/h^2 must stay finite: at h = 0+ a point scored against itself gives 0 * inf = NaN.
  if (!(bandwidth_ >= kMinBandwidth && bandwidth_ <= kMaxBandwidth)) {
    std::ostringstream text;
    text << "kde: the bandwidth must be within [1e-150, 1e150], got " << bandwidth_;
    throw Error(text.str());
  }
  point_norms_ = points_.colwise().squaredNorm().transpose();
}

double KdeModel::rule_of_thumb(const std::string& rule, Index n, Index d) {
  const double nn = static_cast<double>(n), dd = static_cast<double>(d);
  if (rule == "scott") return std::pow(nn, -1.0 / (dd + 4.0));
  if (rule == "silverman") return std::pow(nn * (dd + 2.0) / 4.0, -1.0 / (dd + 4.0));
  throw Error("kde: unknown bandwidth rule '" + rule + "' (scott, silverman, valid, loo, or a number)");
}

Vector KdeModel::bandwidth_grid(Index n, Index d, int count) {
  require(count >= 2, "kde: --bandwidth-grid needs at least 2 candidates, got " + std::to_string(count));
  const double scott = rule_of_thumb("scott", n, d);
  return Vector::LinSpaced(count, std::log(scott / 50.0), std::log(scott * 5.0)).array().exp();
}

MatrixD KdeModel::log_prob_for_bandwidths(ConstMatrixRef x, const Vector& bandwidths, bool leave_one_out) const {
  const Index m = x.cols(), n = points_.cols(), d = dim();
  require(!leave_one_out || (m == n && n >= 2), "kde: leave-one-out scores the stored points themselves (N >= 2)");
  const double count = static_cast<double>(leave_one_out ? n - 1 : n);
  // Per bandwidth: -1 / (2 h^2) and the normalizer -ln N - D ln h - D/2 ln(2 pi).
  const Vector scale = -0.5 * bandwidths.array().square().inverse();
  const Vector normalizer = -std::log(count) - static_cast<double>(d) * bandwidths.array().log() -
                            0.5 * static_cast<double>(d) * std::log(2.0 * std::numbers::pi);
  MatrixD result(bandwidths.size(), m);
  const Index blocks = (m + kBlock - 1) / kBlock;
  // Silent when nested in scoring's progress; shown for the bandwidth searches of `fit kde`.
  Progress progress("kde: " + std::to_string(bandwidths.size()) + " bandwidths", m, "examples");
  tbb::parallel_for(tbb::blocked_range<Index>(0, blocks, 1), [&](const tbb::blocked_range<Index>& range) {
    for (Index b = range.begin(); b < range.end(); ++b) {
      const Index first = b * kBlock, size = std::min(kBlock, m - first);
      const MatrixD block = x.middleCols(first, size).cast<double>();  // D x size
      MatrixD distances(n, size);                                      // N x size, squared
      distances.noalias() = -2.0 * points_.transpose() * block;
      distances.colwise() += point_norms_;
      distances.rowwise() += block.colwise().squaredNorm();
      distances = distances.cwiseMax(0.0);  // rounding can make ||x - p||^2 slightly negative
      for (Index j = 0; j < size; ++j) {
        if (leave_one_out) distances(first + j, j) = std::numeric_limits<double>::infinity();
        const double nearest = distances.col(j).minCoeff();
        for (Index h = 0; h < bandwidths.size(); ++h) {
          // log sum_n exp(scale * d_n), shifted by the nearest point's term.
          const double top = scale(h) * nearest;
          const double sum = (scale(h) * distances.col(j).array() - top).exp().sum();
          result(h, first + j) = top + std::log(sum) + normalizer(h);
        }
      }
      progress.advance(size);
    }
  }, tbb::simple_partitioner());
  return result;
}

Vector KdeModel::log_prob_impl(ConstMatrixRef x) const {
  return log_prob_for_bandwidths(x, Vector::Constant(1, bandwidth_), false).row(0).transpose();
}

std::string KdeModel::hyperparameters() const {
  std::ostringstream out;
  out << "gaussian kernel, bandwidth=" << bandwidth_ << " (" << rule_ << "), N=" << num_points() << " points";
  return out.str();
}

Matrix KdeModel::sample(Index n, Rng& rng) const {
  Matrix x(dim(), n);
  for (Index j = 0; j < n; ++j) {
    const Index point = static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(num_points())));
    for (Index i = 0; i < dim(); ++i) x(i, j) = static_cast<float>(points_(i, point) + bandwidth_ * rng.normal());
  }
  return x;
}

void KdeModel::save(const H5Group& g) const {
  g.set_attr("bandwidth", bandwidth_);
  g.set_attr("bandwidth_rule", rule_);
  const Matrix points = points_.cast<float>();  // the training data's own float32 values
  g.write<float>("points", {static_cast<std::uint64_t>(points.cols()), static_cast<std::uint64_t>(points.rows())},
                 points.data());
}

std::unique_ptr<Model> KdeModel::load(const H5Group& g, const DataSpec& spec) {
  const std::vector<std::uint64_t> dims = g.dims("points");  // checked before anything is read
  require(dims.size() == 2 && dims[1] == static_cast<std::uint64_t>(spec.dim) && dims[0] >= 1,
          g.where("points") + ": expected N x " + std::to_string(spec.dim) + " points (N >= 1, D from /data)");
  const double bandwidth = read_real_attr(g, "bandwidth", kMinBandwidth, kMaxBandwidth);
  const std::vector<float> values = g.read<float>("points");
  require_finite(values, g.where("points"));
  const Matrix points = Eigen::Map<const Matrix>(values.data(), spec.dim, static_cast<Index>(dims[0]));
  return std::make_unique<KdeModel>(spec, points, bandwidth, g.attr_string("bandwidth_rule"));
}

}  // namespace logp
