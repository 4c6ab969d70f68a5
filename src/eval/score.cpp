#include "logp/eval/score.hpp"

#include <algorithm>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include "logp/core/error.hpp"
#include "logp/core/progress.hpp"
#include "logp/parallel/communicator.hpp"

namespace logp {
namespace {

// A mean over no examples is not a number: an empty split is refused, not summarized as 0.
void require_examples(const DatasetSplit& data) {
  if (data.size() == 0) throw Error(data.where() + ": the split is empty (N = 0); there is nothing to score");
}

}  // namespace

Vector parallel_map_columns(ConstMatrixRef x, const ColumnFunction& f, Index block) {
  // Tasks over whole blocks (columns b*block ..), so that only the last one is partial: a range of
  // columns halved down to the grain would start and end anywhere, and a model pads the last
  // kEvaluationBlock of every call (up to a quarter of the work at 4 * kEvaluationBlock columns).
  const Index n = x.cols(), width = std::max<Index>(block, 1), blocks = (n + width - 1) / width;
  Vector out(n);
  tbb::parallel_for(tbb::blocked_range<Index>(0, blocks, 1),
                    [&](const tbb::blocked_range<Index>& range) {
                      for (Index b = range.begin(); b != range.end(); ++b) {
                        const Index first = b * width, count = std::min(width, n - first);
                        out.segment(first, count) = f(x.middleCols(first, count));
                      }
                    },
                    tbb::simple_partitioner());
  return out;
}

Vector sharded_map_columns(const DatasetSplit& data, Index chunk, const ColumnFunction& f) {
  require(chunk > 0, "chunk must be positive, got " + std::to_string(chunk));
  const Communicator& ranks = world();
  const RankRange mine = rank_range(data.size(), ranks.rank(), ranks.size());
  Vector values(data.size());
  for (Index first = mine.begin; first < mine.end; first += chunk) {
    const Matrix batch = data.read(first, std::min(chunk, mine.end - first));
    values.segment(first, batch.cols()) = parallel_map_columns(batch, f);
  }
  if (ranks.size() > 1) {
    const Vector own = values.segment(mine.begin, mine.size());
    ranks.all_gather(std::span<const double>(own.data(), static_cast<std::size_t>(own.size())),
                     std::span<double>(values.data(), static_cast<std::size_t>(values.size())),
                     rank_counts(data.size(), ranks.size()));
  }
  return values;
}

Vector parallel_log_prob(const DensityModel& model, ConstMatrixRef x, Index block) {
  return parallel_map_columns(x, [&model](ConstMatrixRef columns) { return model.log_prob(columns); }, block);
}

LikelihoodSummary score_split(const DensityModel& model, const DatasetSplit& data, Index chunk,
                              const std::function<void(Index first, const Vector& log_probs)>& sink) {
  model.data_spec().check_accepts(data.spec(), data.where());
  require_examples(data);
  LikelihoodAccumulator accumulator;
  // Advanced per block, from the TBB tasks: slow estimators (IWAE) show progress within a chunk.
  Progress progress("scoring " + data.where(), data.size(), "examples");
  const ColumnFunction log_prob = [&](ConstMatrixRef columns) {
    Vector values = model.log_prob(columns);
    progress.advance(columns.cols());
    return values;
  };
  for_each_batch(data, chunk, [&](Index first, const Matrix& batch) {
    const Vector log_probs = parallel_map_columns(batch, log_prob);
    accumulator.add(log_probs);
    if (sink) sink(first, log_probs);
  });
  return accumulator.summary(model.dim(), model.likelihood_kind());
}

ExampleValues score_values(const DensityModel& model, const DatasetSplit& data, Index chunk) {
  model.data_spec().check_accepts(data.spec(), data.where());
  require_examples(data);
  ExampleValues out = empty_values_of(model);
  out.values = sharded_map_columns(data, chunk, [&model](ConstMatrixRef columns) { return model.log_prob(columns); });
  return out;
}

ExampleValues score_values(const ScoringModel& model, const DatasetSplit& data, Index chunk) {
  model.data_spec().check_accepts(data.spec(), data.where());
  require_examples(data);
  ExampleValues out = empty_values_of(model);
  Progress progress("scoring " + data.where(), data.size(), "examples");
  out.values = sharded_map_columns(data, chunk, [&](ConstMatrixRef columns) {
    Vector values = model.score(columns);
    progress.advance(columns.cols());
    return values;
  });
  return out;
}

}  // namespace logp
