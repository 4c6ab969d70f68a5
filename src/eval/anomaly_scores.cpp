#include "logp/eval/anomaly_scores.hpp"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/partitioner.h>

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

Vector split_png_bits_per_dim(const DatasetSplit& data, Index chunk) {
  Vector bits(data.size());
  for_each_batch(data, chunk, [&](Index first, const Matrix& batch) {
    bits.segment(first, batch.cols()) = png_bits_per_dim(batch, data.spec());
  });
  return bits;
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

Vector split_log_probs(const DensityModel& model, const DatasetSplit& data, Index chunk) {
  Vector log_probs(data.size());
  score_split(model, data, chunk, [&](Index first, const Vector& lp) { log_probs.segment(first, lp.size()) = lp; });
  return log_probs;
}

Vector split_model_scores(const ScoringModel& model, const DatasetSplit& data, Index chunk) {
  model.data_spec().check_accepts(data.spec(), data.where());
  Vector scores(data.size());
  const Index block = 128;  // fixed blocks: the result does not depend on the thread count
  for_each_batch(data, chunk, [&](Index first, const Matrix& batch) {
    tbb::parallel_for(tbb::blocked_range<Index>(0, batch.cols(), block),
                      [&](const tbb::blocked_range<Index>& range) {
                        const Index count = range.end() - range.begin();
                        scores.segment(first + range.begin(), count) = model.score(batch.middleCols(range.begin(), count));
                      },
                      tbb::simple_partitioner());
  });
  return scores;
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
    out.scores = split_model_scores(*scoring, data, chunk);
    return out;
  }
  require(kind != AnomalyScoreKind::likelihood_ratio || background != nullptr,
          "the likelihood-ratio score needs a background model (--background)");
  const DensityModel& density = require_density(model, kind);
  const Vector nll = -split_log_probs(density, data, chunk);
  out.parts.push_back({"nll_nats", "nats", nll});
  switch (kind) {
    case AnomalyScoreKind::nll:
      out.units = "nats";
      out.scores = nll;
      break;
    case AnomalyScoreKind::likelihood_ratio: {
      require(background->dim() == density.dim(), "background model has D=" + std::to_string(background->dim()) +
                                                      " but the model has D=" + std::to_string(density.dim()));
      const Vector background_nll = -split_log_probs(*background, data, chunk);
      out.parts.push_back({"background_nll_nats", "nats", background_nll});
      out.units = "nats";
      out.scores = nll - background_nll;  // log p_background - log p_model
      break;
    }
    case AnomalyScoreKind::complexity: {
      const Vector png_bits = split_png_bits_per_dim(data, chunk);
      out.parts.push_back({"png_bits_per_dim", "bits/dim", png_bits});
      out.units = "bits/dim";
      out.scores = nll / (static_cast<double>(density.dim()) * std::log(2.0)) - png_bits;
      break;
    }
    case AnomalyScoreKind::model_score: break;
  }
  return out;
}

}  // namespace logp
