#include "logp/train/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"

namespace logp {

double scheduled_learning_rate(const OptimizerOptions& options, int epoch) {
  switch (options.schedule) {
    case Schedule::constant:
      return options.learning_rate;
    case Schedule::step:
      return options.learning_rate * std::pow(options.step_gamma, epoch / std::max(options.step_epochs, 1));
    case Schedule::cosine: {
      const double progress = std::min(1.0, static_cast<double>(epoch) / std::max(options.total_epochs, 1));
      return options.learning_rate * 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    }
  }
  return options.learning_rate;
}

Optimizer::Optimizer(OptimizerOptions options, Index parameters) : options_(std::move(options)) {
  if (options_.kind != "adam" && options_.kind != "sgd")
    throw Error("unknown optimizer '" + options_.kind + "' (expected adam or sgd)");
  // Every setting finite and in range: a NaN or inf here would train a NaN model without an error.
  const auto in_range = [](double value, double low, double high, bool low_open) {
    return std::isfinite(value) && value <= high && (low_open ? value > low : value >= low);
  };
  const auto refuse = [](const std::string& option, double value, const std::string& range) {
    std::ostringstream text;
    text << "--" << option << " must be " << range << ", got " << value;
    throw Error(text.str());
  };
  const double huge = std::numeric_limits<double>::max();
  if (!in_range(options_.learning_rate, 0, huge, true)) refuse("learning-rate", options_.learning_rate, "finite and > 0");
  if (!in_range(options_.clip_norm, 0, huge, false)) refuse("clip-norm", options_.clip_norm, "finite and >= 0");
  if (!in_range(options_.l2, 0, huge, false)) refuse("l2", options_.l2, "finite and >= 0");
  if (!in_range(options_.momentum, 0, 1, false) || options_.momentum == 1) refuse("momentum", options_.momentum, "in [0, 1)");
  if (!in_range(options_.beta1, 0, 1, false) || options_.beta1 == 1) refuse("beta1", options_.beta1, "in [0, 1)");
  if (!in_range(options_.beta2, 0, 1, false) || options_.beta2 == 1) refuse("beta2", options_.beta2, "in [0, 1)");
  if (!in_range(options_.epsilon, 0, huge, true)) refuse("epsilon", options_.epsilon, "finite and > 0");
  if (!in_range(options_.step_gamma, 0, huge, true)) refuse("step-gamma", options_.step_gamma, "finite and > 0");
  first_.assign(static_cast<size_t>(parameters), 0.0f);
  if (options_.kind == "adam") second_.assign(static_cast<size_t>(parameters), 0.0f);
}

// The update runs over cache-sized chunks of the parameter vector: each chunk's gradient,
// moments and values are read once and updated while in L1/L2 (one pass over memory instead of
// one per Eigen expression), chunks in parallel (TBB). Every element's arithmetic is the same
// whatever the chunking and the thread count; the squared norm is summed per chunk (float) and
// the chunks' sums are added in chunk order (double), so the norm is thread-count independent.
namespace {

constexpr Index optimizer_chunk = 4096;

// Calls chunk_fn(chunk, begin, size) for every chunk of [0, size), in parallel.
template <class ChunkFn>
void for_each_chunk(Index size, ChunkFn&& chunk_fn) {
  const Index chunks = (size + optimizer_chunk - 1) / optimizer_chunk;
  tbb::parallel_for(tbb::blocked_range<Index>(0, chunks, 16), [&](const tbb::blocked_range<Index>& range) {
    for (Index c = range.begin(); c != range.end(); ++c) {
      const Index begin = c * optimizer_chunk;
      chunk_fn(c, begin, std::min(optimizer_chunk, size - begin));
    }
  });
}

}  // namespace

double Optimizer::step(std::span<float> theta, std::span<float> grad, int epoch) {
  require(theta.size() == first_.size() && grad.size() == first_.size(),
          "Optimizer::step: " + std::to_string(theta.size()) + " parameters for an optimizer of " +
              std::to_string(first_.size()));
  const Index size = static_cast<Index>(grad.size());
  const float l2 = static_cast<float>(options_.l2);
  const bool clip = options_.clip_norm > 0;
  std::vector<double> chunk_norm_sq(static_cast<std::size_t>((size + optimizer_chunk - 1) / optimizer_chunk), 0.0);
  const auto add_l2_and_norm = [&](Index c, Eigen::Map<VectorF>& g, const Eigen::Map<VectorF>& t) {
    if (l2 > 0) g += l2 * t;
    chunk_norm_sq[static_cast<std::size_t>(c)] = static_cast<double>(g.squaredNorm());
  };
  const auto norm = [&] {
    double sum = 0.0;
    for (double value : chunk_norm_sq) sum += value;
    return std::sqrt(sum);
  };
  // With clipping the norm is needed before the update: a first pass adds L2 and measures it.
  float grad_scale = 1.0f;
  if (clip) {
    for_each_chunk(size, [&](Index c, Index begin, Index n) {
      Eigen::Map<VectorF> g(grad.data() + begin, n);
      add_l2_and_norm(c, g, Eigen::Map<VectorF>(theta.data() + begin, n));
    });
    const double before = norm();
    if (before > options_.clip_norm) grad_scale = static_cast<float>(options_.clip_norm / before);
  }

  ++steps_;
  const float lr = static_cast<float>(scheduled_learning_rate(options_, epoch));
  const bool adam = options_.kind == "adam";
  const float momentum = static_cast<float>(options_.momentum);
  const float b1 = static_cast<float>(options_.beta1), b2 = static_cast<float>(options_.beta2);
  const double k = static_cast<double>(steps_);
  const float step_size = static_cast<float>(lr * std::sqrt(1.0 - std::pow(options_.beta2, k)) /
                                             (1.0 - std::pow(options_.beta1, k)));
  const float eps = static_cast<float>(options_.epsilon);
  for_each_chunk(size, [&](Index c, Index begin, Index n) {
    Eigen::Map<VectorF> g(grad.data() + begin, n);
    Eigen::Map<VectorF> t(theta.data() + begin, n);
    Eigen::Map<VectorF> m(first_.data() + begin, n);
    if (!clip)
      add_l2_and_norm(c, g, t);
    else if (grad_scale != 1.0f)
      g *= grad_scale;
    if (!adam) {
      m = momentum * m + g;
      t -= lr * m;
      return;
    }
    Eigen::Map<VectorF> v(second_.data() + begin, n);
    m = b1 * m + (1.0f - b1) * g;
    v = b2 * v + (1.0f - b2) * g.cwiseAbs2();
    t.array() -= step_size * m.array() / (v.array().sqrt() + eps);
  });
  return norm();
}

void Optimizer::save(const H5Group& g) const {
  g.set_attr("kind", options_.kind);
  g.set_attr("steps", steps_);
  g.write<float>("first_moment", {first_.size()}, first_.data());
  if (!second_.empty()) g.write<float>("second_moment", {second_.size()}, second_.data());
}

void Optimizer::load(const H5Group& g) {
  if (g.attr_string("kind") != options_.kind)
    throw Error(g.where("") + ": the checkpoint used optimizer " + g.attr_string("kind") + ", this run asks for " +
                options_.kind);
  steps_ = g.attr_int("steps");
  std::vector<float> first = g.read<float>("first_moment");
  require(first.size() == first_.size(), g.where("first_moment") + ": wrong number of parameters");
  first_ = std::move(first);
  if (!second_.empty()) {
    std::vector<float> second = g.read<float>("second_moment");
    require(second.size() == second_.size(), g.where("second_moment") + ": wrong number of parameters");
    second_ = std::move(second);
  }
}

}  // namespace logp
