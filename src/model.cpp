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

Vector DensityModel::log_prob(ConstMatrixRef x) const {
  if (x.rows() != dim())
    throw Error(std::string(type()) + " log_prob: examples have D=" + std::to_string(x.rows()) +
                " but the model expects D=" + std::to_string(dim()));
  return log_prob_impl(x);
}

}  // namespace logp
