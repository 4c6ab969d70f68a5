#include "logp/eval/typicality.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/eval/bootstrap.hpp"

namespace logp {
namespace {

// The mean of M values drawn with replacement from nll.
double random_batch_mean(ConstVectorRef nll, Index batch_size, Rng& rng) {
  double sum = 0.0;
  for (Index k = 0; k < batch_size; ++k) sum += nll(static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(nll.size()))));
  return sum / static_cast<double>(batch_size);
}

}  // namespace

TypicalityThreshold fit_typicality(ConstVectorRef reference_nll, ConstVectorRef validation_nll, Index batch_size,
                                   Index batches, double alpha, const Rng& rng) {
  require(batch_size >= 1, "typicality: the batch size must be at least 1, got " + std::to_string(batch_size));
  require(batches >= 2, "typicality: need at least 2 validation batches, got " + std::to_string(batches));
  require(alpha > 0.0 && alpha < 1.0, "typicality: alpha must be in (0, 1), got " + std::to_string(alpha));
  require(reference_nll.size() > 0 && validation_nll.size() > 0, "typicality: reference and validation need examples");
  TypicalityThreshold t;
  t.batch_size = batch_size;
  t.alpha = alpha;
  t.entropy = reference_nll.mean();
  std::vector<double> distances(static_cast<size_t>(batches));
  for (Index b = 0; b < batches; ++b) {
    Rng r = rng.split(static_cast<std::uint64_t>(b));
    distances[static_cast<size_t>(b)] = std::abs(random_batch_mean(validation_nll, batch_size, r) - t.entropy);
  }
  std::sort(distances.begin(), distances.end());
  t.epsilon = sorted_quantile(distances, 1.0 - alpha);
  return t;
}

bool typicality_flags(ConstVectorRef batch_nll, const TypicalityThreshold& threshold) {
  require(batch_nll.size() > 0, "typicality: empty batch");
  return std::abs(batch_nll.mean() - threshold.entropy) > threshold.epsilon;
}

double fraction_flagged(ConstVectorRef nll, const TypicalityThreshold& threshold, Index batches, const Rng& rng) {
  require(nll.size() > 0 && batches >= 1, "typicality: need examples and at least one batch");
  Index flagged = 0;
  for (Index b = 0; b < batches; ++b) {
    Rng r = rng.split(static_cast<std::uint64_t>(b));
    const double distance = std::abs(random_batch_mean(nll, threshold.batch_size, r) - threshold.entropy);
    if (distance > threshold.epsilon) ++flagged;
  }
  return static_cast<double>(flagged) / static_cast<double>(batches);
}

}  // namespace logp
