#pragma once
// Scoring data with a density model, in parallel and in bounded memory.
#include <functional>

#include "logp/data/dataset.hpp"
#include "logp/eval/likelihood_summary.hpp"
#include "logp/model.hpp"

namespace logp {

// model.log_prob(x) computed by TBB over blocks of at most `block` columns. The blocks depend only
// on N and `block` (simple_partitioner), never on the thread count, so the result is the same
// bit for bit with 1 or many threads; models whose per-example value does not depend on the
// rest of the batch (all count models) also equal one serial log_prob(x) call.
Vector parallel_log_prob(const DensityModel& model, ConstMatrixRef x, Index block = 128);

// Streams `data` through the model `chunk` examples at a time (each chunk scored in parallel)
// and calls sink(first, log_probs) in input order. Checks that the data fits the model first.
LikelihoodSummary score_split(const DensityModel& model, const DatasetSplit& data, Index chunk,
                              const std::function<void(Index first, const Vector& log_probs)>& sink);

}  // namespace logp
