#include "logp/eval/score.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

#include "logp/core/error.hpp"
#include "logp/core/progress.hpp"

namespace logp {
namespace {

// A mean over no examples is not a number: an empty split is refused, not summarized as 0.
void require_examples(const DatasetSplit& data) {
  if (data.size() == 0) throw Error(data.where() + ": the split is empty (N = 0); there is nothing to score");
}

}  // namespace

Vector parallel_map_columns(ConstMatrixRef x, const ColumnFunction& f, Index block) {
  Vector out(x.cols());
  tbb::parallel_for(tbb::blocked_range<Index>(0, x.cols(), std::max<Index>(block, 1)),
                    [&](const tbb::blocked_range<Index>& range) {
                      const Index first = range.begin();
                      const Index count = range.end() - range.begin();
                      out.segment(first, count) = f(x.middleCols(first, count));
                    },
                    tbb::simple_partitioner());
  return out;
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
  ExampleValues out = empty_values_of(model);
  out.values.resize(data.size());
  score_split(model, data, chunk, [&](Index first, const Vector& lp) { out.values.segment(first, lp.size()) = lp; });
  return out;
}

ExampleValues score_values(const ScoringModel& model, const DatasetSplit& data, Index chunk) {
  model.data_spec().check_accepts(data.spec(), data.where());
  require_examples(data);
  ExampleValues out = empty_values_of(model);
  out.values.resize(data.size());
  Progress progress("scoring " + data.where(), data.size(), "examples");
  const ColumnFunction score = [&](ConstMatrixRef columns) {
    Vector values = model.score(columns);
    progress.advance(columns.cols());
    return values;
  };
  for_each_batch(data, chunk, [&](Index first, const Matrix& batch) {
    out.values.segment(first, batch.cols()) = parallel_map_columns(batch, score);
  });
  return out;
}

}  // namespace logp
