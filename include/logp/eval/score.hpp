#pragma once
// Scoring data with a model, in parallel and in bounded memory.
#include <functional>

#include "logp/data/dataset.hpp"
#include "logp/eval/example_values.hpp"
#include "logp/eval/likelihood_summary.hpp"
#include "logp/model.hpp"

namespace logp {

// A per-example function of the columns of x: D x n -> n values.
using ColumnFunction = std::function<Vector(ConstMatrixRef)>;

// f(x) computed by TBB over blocks of `block` columns (a multiple of kEvaluationBlock). The blocks
// depend only on N and `block` (simple_partitioner), never on the thread count; since models
// evaluate fixed-width blocks (model.hpp), the result equals one serial f(x) bit for bit.
Vector parallel_map_columns(ConstMatrixRef x, const ColumnFunction& f, Index block = 4 * kEvaluationBlock);

// f over every example of `data`, in input order, spread over the ranks of world(): rank r reads
// and computes its rank_range of the examples, `chunk` at a time through parallel_map_columns,
// and every rank receives all N values. Equal bit for bit to the single-process values for any
// rank count (each example's value depends only on its column, model.hpp).
Vector sharded_map_columns(const DatasetSplit& data, Index chunk, const ColumnFunction& f);

// model.log_prob(x) through parallel_map_columns.
Vector parallel_log_prob(const DensityModel& model, ConstMatrixRef x, Index block = 4 * kEvaluationBlock);

// Streams `data` through the model `chunk` examples at a time (each chunk scored in parallel)
// and calls sink(first, log_probs) in input order. Checks that the data fits the model and is not
// empty (a mean over no examples is refused, never reported as 0) first.
LikelihoodSummary score_split(const DensityModel& model, const DatasetSplit& data, Index chunk,
                              const std::function<void(Index first, const Vector& log_probs)>& sink);

// All N values of a split in input order, read `chunk` examples at a time and scored in
// parallel (and over ranks: sharded_map_columns): a density model's log-likelihoods (named and kinded as the model says, nats), or a
// scoring model's scores. Checks that the data fits the model and is not empty first.
ExampleValues score_values(const DensityModel& model, const DatasetSplit& data, Index chunk);
ExampleValues score_values(const ScoringModel& model, const DatasetSplit& data, Index chunk);

}  // namespace logp
