#include "logp/eval/anomaly_scores.hpp"

#include <cmath>

#include "logp/core/error.hpp"
#include "logp/eval/compressed_length.hpp"
#include "logp/eval/score.hpp"

namespace logp {
namespace {

const DensityModel& require_density(const Model& model, AnomalyScoreKind kind) {
  const auto* density = dynamic_cast<const DensityModel*>(&model);
  if (!density)
    throw Error("the " + to_string(kind) + " score needs a model with a likelihood; " + std::string(model.type()) +
                " only scores examples (use --score model-score)");
  return *density;
}

// Each example's PNG length, over the ranks of world() like the model's values (each example's
// length depends only on its column).
Vector split_png_bits_per_dim(const DatasetSplit& data, Index chunk) {
  return sharded_map_columns(data, chunk, [&data](ConstMatrixRef columns) {
    return png_bits_per_dim(Matrix(columns), data.spec());
  });
}

}  // namespace

AnomalyScoreKind parse_anomaly_score_kind(const std::string& text) {
  if (text == "nll") return AnomalyScoreKind::nll;
  if (text == "likelihood-ratio") return AnomalyScoreKind::likelihood_ratio;
  if (text == "complexity") return AnomalyScoreKind::complexity;
  if (text == "model-score") return AnomalyScoreKind::model_score;
  throw Error("unknown anomaly score '" + text + "' (expected nll, likelihood-ratio, complexity or model-score)");
}

std::string to_string(AnomalyScoreKind kind) {
  switch (kind) {
    case AnomalyScoreKind::nll: return "nll";
    case AnomalyScoreKind::likelihood_ratio: return "likelihood-ratio";
    case AnomalyScoreKind::complexity: return "complexity";
    case AnomalyScoreKind::model_score: return "model-score";
  }
  return "unknown";
}

AnomalyScores anomaly_scores(AnomalyScoreKind kind, const Model& model, const DensityModel* background,
                             const DatasetSplit& data, Index chunk) {
  AnomalyScores out;
  out.kind = kind;
  if (kind == AnomalyScoreKind::model_score) {
    const auto* scoring = dynamic_cast<const ScoringModel*>(&model);
    if (!scoring)
      throw Error("--score model-score needs a scoring model (e.g. an autoencoder); " + std::string(model.type()) +
                  " has a likelihood: use --score nll");
    out.units = std::string(scoring->score_unit());
    out.scores = score_values(*scoring, data, chunk).values;
    return out;
  }
  require(kind != AnomalyScoreKind::likelihood_ratio || background != nullptr,
          "the likelihood-ratio score needs a background model (--background)");
  const DensityModel& density = require_density(model, kind);
  const ExampleValues log_probs = score_values(density, data, chunk);
  const Vector nll = -log_probs.values;
  out.parts.push_back({"nll_nats", log_probs.kind, "nats", nll});
  switch (kind) {
    case AnomalyScoreKind::nll:
      out.units = "nats";
      out.scores = nll;
      break;
    case AnomalyScoreKind::likelihood_ratio: {
      require(background->dim() == density.dim(), "background model has D=" + std::to_string(background->dim()) +
                                                      " but the model has D=" + std::to_string(density.dim()));
      const ExampleValues background_log_probs = score_values(*background, data, chunk);
      const Vector background_nll = -background_log_probs.values;
      out.parts.push_back({"background_nll_nats", background_log_probs.kind, "nats", background_nll});
      out.units = "nats";
      out.scores = nll - background_nll;  // log p_background - log p_model
      break;
    }
    case AnomalyScoreKind::complexity: {
      const Vector png_bits = split_png_bits_per_dim(data, chunk);
      out.parts.push_back({"png_bits_per_dim", ValueKind::score, "bits/dim", png_bits});
      out.units = "bits/dim";
      out.scores = nll / (static_cast<double>(density.dim()) * std::log(2.0)) - png_bits;
      break;
    }
    case AnomalyScoreKind::model_score: break;
  }
  return out;
}

}  // namespace logp
