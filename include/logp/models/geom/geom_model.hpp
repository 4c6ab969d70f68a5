#pragma once
// GEOM (Golan & El-Yaniv 2018): anomaly scores from a self-supervised transformation classifier
// trained on the normal class only. Every normal image is shown under T geometric
// transformations (geometric_transforms.hpp) and the feature network (models/features) learns
// which one was applied; no other class, label or network is involved.
//
// Scores of an image x (larger = more anomalous; scores, never image log-likelihoods):
//   geom             -sum_t log p(t | T_t(x)), nats: the classifier's log-likelihood of the true
//                    transformations (GEOM's simple score, not its Dirichlet one)
//   feature-density  -sum_t log N_t(f(T_t(x))), nats in feature space: f = the network's F
//                    penultimate features, N_t a full Gaussian (logp's gaussian, with a ridge)
//                    fitted on the normal class's features of transformation t
//   combined         the sum of the two, each standardized by its mean and standard deviation on
//                    the normal training data (dimensionless)
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "logp/model.hpp"
#include "logp/models/classic/gaussian.hpp"
#include "logp/models/features/feature_network.hpp"

namespace logp {

enum class GeomScore { geom, feature_density, combined };

struct GeomOptions {
  Index transforms = 8;              // 4: rotations; 8: rotations x horizontal flip
  double ridge = 1e-2;               // added to each feature Gaussian's covariance diagonal
  GeomScore score = GeomScore::combined;  // what score() gives unless another is selected
  FeatureNetworkOptions network;     // the transformation classifier (K = transforms classes)
};

// Mean and standard deviation of a score on the normal training data.
struct ScoreScale {
  double mean = 0.0;
  double sd = 1.0;
};

class GeomModel final : public ScoringModel, public SelectableScore {
 public:
  GeomModel(DataSpec spec, FeatureNetwork network, std::vector<GaussianModel> densities, ScoreScale geom_scale,
            ScoreScale density_scale, GeomScore score);

  // x: D x N normal images (square, N >= 2). Trains the network on the T*N transformed copies,
  // fits the T feature Gaussians and the standardization, all on x alone. log: one line per epoch.
  static std::unique_ptr<GeomModel> fit(const Matrix& x, const DataSpec& spec, const GeomOptions& options,
                                        std::ostream& log);
  static std::unique_ptr<Model> load(const H5Group& g, const DataSpec& spec);

  std::string_view type() const override { return "geom"; }
  std::string hyperparameters() const override;
  Index num_parameters() const override;
  Matrix sample(Index n, Rng& rng) const override;  // refused: no distribution over images
  void save(const H5Group& g) const override;

  std::string_view score_name() const override;
  std::string_view score_unit() const override;
  std::vector<std::string> score_names() const override { return {"geom", "feature-density", "combined"}; }
  void select_score(const std::string& name) override;

  // x: D x N -> both raw scores (nats), column by column as score() computes them.
  struct Parts {
    Vector geom;             // N: -sum_t log p(t | T_t x)
    Vector feature_density;  // N: -sum_t log N_t(f(T_t x))
  };
  Parts parts(ConstMatrixRef x) const;

  Index transforms() const { return static_cast<Index>(densities_.size()); }
  const FeatureNetwork& network() const { return network_; }

 private:
  Vector score_impl(ConstMatrixRef x) const override;

  FeatureNetwork network_;
  std::vector<GaussianModel> densities_;  // T, over the F features
  ScoreScale geom_scale_, density_scale_;
  GeomScore score_;
};

}  // namespace logp
