#include "logp/eval/example_values.hpp"

#include "logp/core/error.hpp"

namespace logp {

std::string_view to_string(ValueKind kind) {
  switch (kind) {
    case ValueKind::exact: return to_string(LikelihoodKind::exact);
    case ValueKind::lower_bound: return to_string(LikelihoodKind::lower_bound);
    case ValueKind::estimate: return to_string(LikelihoodKind::estimate);
    case ValueKind::score: return "score";
  }
  return "unknown";
}

ValueKind value_kind(LikelihoodKind kind) {
  switch (kind) {
    case LikelihoodKind::exact: return ValueKind::exact;
    case LikelihoodKind::lower_bound: return ValueKind::lower_bound;
    case LikelihoodKind::estimate: return ValueKind::estimate;
  }
  return ValueKind::exact;
}

LikelihoodKind likelihood_kind(ValueKind kind, const std::string& where) {
  switch (kind) {
    case ValueKind::exact: return LikelihoodKind::exact;
    case ValueKind::lower_bound: return LikelihoodKind::lower_bound;
    case ValueKind::estimate: return LikelihoodKind::estimate;
    case ValueKind::score: break;
  }
  throw Error(where + ": the values are scores, not log-likelihoods");
}

ExampleValues empty_values_of(const DensityModel& model) {
  return {std::string(model.value_name()), value_kind(model.likelihood_kind()), "nats", {}};
}

ExampleValues empty_values_of(const ScoringModel& model) {
  return {std::string(model.score_name()), ValueKind::score, std::string(model.score_unit()), {}};
}

}  // namespace logp
