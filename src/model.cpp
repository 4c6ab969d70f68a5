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

// Runs `hook` on blocks of exactly kEvaluationBlock columns of x (D x N) and returns the N values.
// The last block is padded with copies of its first column (valid data for any model).
template <class Hook>
Vector in_fixed_blocks(ConstMatrixRef x, const Hook& hook) {
  const Index n = x.cols();
  Vector out(n);
  Matrix padded;
  for (Index first = 0; first < n; first += kEvaluationBlock) {
    const Index count = std::min(kEvaluationBlock, n - first);
    if (count == kEvaluationBlock) {
      out.segment(first, count) = hook(x.middleCols(first, count));
      continue;
    }
    padded.resize(x.rows(), kEvaluationBlock);
    padded.leftCols(count) = x.middleCols(first, count);
    padded.rightCols(kEvaluationBlock - count) = x.col(first).replicate(1, kEvaluationBlock - count);
    out.segment(first, count) = hook(padded).head(count);
  }
  return out;
}

}  // namespace

Vector DensityModel::log_prob(ConstMatrixRef x) const {
  require_dim(*this, "log_prob", x);
  return in_fixed_blocks(x, [this](ConstMatrixRef block) { return log_prob_impl(block); });
}

Vector ScoringModel::score(ConstMatrixRef x) const {
  require_dim(*this, "score", x);
  return in_fixed_blocks(x, [this](ConstMatrixRef block) { return score_impl(block); });
}

}  // namespace logp
