#pragma once
// Per-example anomaly scores of a data split, in input order. Larger = more anomalous, always.
//   nll               -log p(x), nats (the model's likelihood kind is kept)
//   likelihood_ratio  log p_background(x) - log p(x), nats: minus the likelihood ratio of Ren et
//                     al. 2019 (background model trained on randomly perturbed inputs)
//   complexity        NLL in bits/dim minus PNG length in bits/dim (Serra et al. 2020)
//   model_score       ScoringModel::score (e.g. an autoencoder's reconstruction error): a score,
//                     not a likelihood
#include <string>
#include <vector>

#include "logp/data/dataset.hpp"
#include "logp/eval/example_values.hpp"
#include "logp/model.hpp"

namespace logp {

enum class AnomalyScoreKind { nll, likelihood_ratio, complexity, model_score };
AnomalyScoreKind parse_anomaly_score_kind(const std::string& text);  // "nll", "likelihood-ratio", ...
std::string to_string(AnomalyScoreKind kind);

struct AnomalyScores {
  AnomalyScoreKind kind = AnomalyScoreKind::nll;
  std::string units;         // "nats", "bits/dim", or the scoring model's unit
  Vector scores;             // N values
  // What the score is made of: nll_nats (kind: the model's likelihood kind), background_nll_nats,
  // png_bits_per_dim (kind score).
  std::vector<ExampleValues> parts;
};

// model: a DensityModel for nll/likelihood_ratio/complexity, a ScoringModel for model_score.
// background: the background density model (likelihood_ratio only, else null).
// Data are read `chunk` examples at a time and scored in parallel.
AnomalyScores anomaly_scores(AnomalyScoreKind kind, const Model& model, const DensityModel* background,
                             const DatasetSplit& data, Index chunk);

}  // namespace logp
