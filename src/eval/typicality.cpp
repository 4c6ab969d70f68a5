#include "logp/eval/typicality.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/eval/bootstrap.hpp"
#include "logp/parallel/communicator.hpp"

namespace logp {
namespace {

// The mean of M values drawn with replacement from nll.
double random_batch_mean(ConstVectorRef nll, Index batch_size, Rng& rng) {
  double sum = 0.0;
  for (Index k = 0; k < batch_size; ++k) sum += nll(static_cast<Index>(rng.uniform_index(static_cast<std::uint64_t>(nll.size()))));
  return sum / static_cast<double>(batch_size);
}

// value(b) for b = 0 .. batches-1, spread over the ranks of world() (rank r computes
// rank_range(batches, r, R)) and gathered on every rank in batch order.
std::vector<double> over_batches(Index batches, const std::function<double(Index)>& value) {
  const Communicator& ranks = world();
  const RankRange mine = rank_range(batches, ranks.rank(), ranks.size());
  std::vector<double> own;
  for (Index b = mine.begin; b < mine.end; ++b) own.push_back(value(b));
  std::vector<double> all(static_cast<std::size_t>(batches));
  ranks.all_gather(own, all, rank_counts(batches, ranks.size()));
  return all;
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
  std::vector<double> distances = over_batches(batches, [&](Index b) {
    Rng r = rng.split(static_cast<std::uint64_t>(b));
    return std::abs(random_batch_mean(validation_nll, batch_size, r) - t.entropy);
  });
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
  const std::vector<double> flags = over_batches(batches, [&](Index b) {
    Rng r = rng.split(static_cast<std::uint64_t>(b));
    const double distance = std::abs(random_batch_mean(nll, threshold.batch_size, r) - threshold.entropy);
    return distance > threshold.epsilon ? 1.0 : 0.0;
  });
  Index flagged = 0;
  for (double flag : flags) flagged += flag > 0.0 ? 1 : 0;
  return static_cast<double>(flagged) / static_cast<double>(batches);
}

}  // namespace logp
