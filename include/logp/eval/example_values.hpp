#pragma once
// Per-example values of one model on one split, in input order: the one result type that
// `logp score`, `logp anomaly` and `logp compare` compute, write (score_file.hpp) and read back.
#include <string>
#include <string_view>

#include "logp/core/types.hpp"
#include "logp/model.hpp"

namespace logp {

// What the values are: log-likelihoods in nats of a LikelihoodKind, or a score (larger = more
// anomalous) in the scoring model's unit.
enum class ValueKind { exact, lower_bound, estimate, score };
std::string_view to_string(ValueKind kind);  // "exact", "lower bound", "estimate", "score"
ValueKind value_kind(LikelihoodKind kind);
// The likelihood kind of log-likelihood values; throws Error for scores, naming `where`.
LikelihoodKind likelihood_kind(ValueKind kind, const std::string& where);

struct ExampleValues {
  std::string name;                   // log_prob, elbo, iwae, reconstruction_error, nll_nats, ...
  ValueKind kind = ValueKind::exact;
  std::string unit = "nats";          // nats, bits/dim, or the scoring model's unit
  Vector values;                      // N values, example 0..N-1
};

// A density model's values before any are computed: name value_name(), its kind, nats.
ExampleValues empty_values_of(const DensityModel& model);
// A scoring model's: name score_name(), kind score, unit score_unit().
ExampleValues empty_values_of(const ScoringModel& model);

}  // namespace logp
