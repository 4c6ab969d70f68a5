#include "logp/model.hpp"

#include "logp/core/error.hpp"

namespace logp {

std::string_view to_string(LikelihoodKind kind) {
  switch (kind) {
    case LikelihoodKind::exact: return "exact";
    case LikelihoodKind::lower_bound: return "lower bound";
    case LikelihoodKind::estimate: return "estimate";
  }
  return "unknown";
}

namespace {

void require_dim(const Model& model, std::string_view call, ConstMatrixRef x) {
  if (x.rows() != model.dim())
    throw Error(std::string(model.type()) + " " + std::string(call) + ": examples have D=" + std::to_string(x.rows()) +
                " but the model expects D=" + std::to_string(model.dim()));
}

}  // namespace

Vector DensityModel::log_prob(ConstMatrixRef x) const {
  require_dim(*this, "log_prob", x);
  return log_prob_impl(x);
}

Vector ScoringModel::score(ConstMatrixRef x) const {
  require_dim(*this, "score", x);
  return score_impl(x);
}

}  // namespace logp
