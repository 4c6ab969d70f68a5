// GEOM (include/logp/models/geom/geom_model.hpp).
#include "logp/models/geom/geom_model.hpp"

#include <cmath>
#include <iomanip>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/geom/geometric_transforms.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {
namespace {

const char* score_text(GeomScore score) {
  switch (score) {
    case GeomScore::geom: return "geom";
    case GeomScore::feature_density: return "feature-density";
    case GeomScore::combined: return "combined";
  }
  return "combined";
}

GeomScore parse_geom_score(const std::string& text, const std::string& where) {
  if (text == "geom") return GeomScore::geom;
  if (text == "feature-density") return GeomScore::feature_density;
  if (text == "combined") return GeomScore::combined;
  throw Error(where + "score '" + text + "' is not one of geom's scores (geom, feature-density, combined)");
}

DataSpec feature_spec(Index features) { return DataSpec{DataKind::real, 0, features, {}}; }

// out: the network's outputs on D x (T*n) transformed images (column t*n + j is example j under
// transformation t) -> the two raw scores of the n examples.
GeomModel::Parts parts_from(const FeatureNetwork::Outputs& out, Index n, const std::vector<GaussianModel>& densities) {
  const Index transforms = static_cast<Index>(densities.size());
  GeomModel::Parts parts{Vector::Zero(n), Vector::Zero(n)};
  for (Index t = 0; t < transforms; ++t) {  // fixed order: the sums do not depend on threads
    parts.geom -= out.log_probs.row(t).segment(t * n, n).transpose();
    const Matrix features = out.features.middleCols(t * n, n).cast<float>();  // exact: computed in float
    parts.feature_density -= densities[static_cast<size_t>(t)].log_prob(features);
  }
  return parts;
}

ScoreScale scale_of(const Vector& scores) {
  const double mean = scores.mean();
  const double sd = std::sqrt((scores.array() - mean).square().sum() / static_cast<double>(scores.size() - 1));
  return {mean, sd > 0.0 && std::isfinite(sd) ? sd : 1.0};
}

}  // namespace

GeomModel::GeomModel(DataSpec spec, FeatureNetwork network, std::vector<GaussianModel> densities, ScoreScale geom_scale,
                     ScoreScale density_scale, GeomScore score)
    : ScoringModel(std::move(spec)),
      network_(std::move(network)),
      densities_(std::move(densities)),
      geom_scale_(geom_scale),
      density_scale_(density_scale),
      score_(score) {
  check_geometric_transforms(data_spec(), transforms());
  require(network_.classes() == transforms(), "geom: the network tells " + std::to_string(network_.classes()) +
                                                  " transformations apart but there are " +
                                                  std::to_string(transforms()) + " feature densities");
  require(network_.data_spec().describe() == data_spec().describe(),
          "geom: the network takes " + network_.data_spec().describe() + ", the model " + data_spec().describe());
  for (const GaussianModel& density : densities_)
    require(density.dim() == network_.feature_dim(), "geom: a feature density has D=" + std::to_string(density.dim()) +
                                                         ", the network gives " +
                                                         std::to_string(network_.feature_dim()) + " features");
  require(geom_scale_.sd > 0.0 && density_scale_.sd > 0.0, "geom: standardization needs positive deviations");
}

std::unique_ptr<GeomModel> GeomModel::fit(const Matrix& x, const DataSpec& spec, const GeomOptions& options,
                                          std::ostream& log) {
  check_geometric_transforms(spec, options.transforms);
  require(x.cols() >= 2, "geom: needs at least 2 normal examples, got " + std::to_string(x.cols()));
  require(options.ridge >= 0.0, "geom: ridge must be >= 0");
  const Index n = x.cols(), transforms = options.transforms;
  const Matrix transformed = all_geometric_transforms(x, spec, transforms);  // D x (T*n)
  std::vector<std::int64_t> labels(static_cast<size_t>(transforms * n));
  for (Index i = 0; i < transforms * n; ++i) labels[static_cast<size_t>(i)] = i / n;

  FeatureNetwork network(spec, transforms, options.network);
  network.train(transformed, labels, [&](int epoch, double loss) {
    log << "epoch " << epoch + 1 << "/" << options.network.epochs << ": transformation cross-entropy " << std::fixed
        << std::setprecision(4) << loss << " nats/image" << std::endl;
  });
  const FeatureNetwork::Outputs out = network.outputs(transformed);
  std::vector<GaussianModel> densities;
  for (Index t = 0; t < transforms; ++t)
    densities.push_back(GaussianModel::fit(out.features.middleCols(t * n, n).cast<float>(),
                                           feature_spec(network.feature_dim()), options.ridge));
  const Parts train = parts_from(out, n, densities);
  Index correct = 0;
  for (Index i = 0; i < transforms * n; ++i) {
    Index best = 0;
    out.log_probs.col(i).maxCoeff(&best);
    correct += best == i / n ? 1 : 0;
  }
  log << "transformations recognised in " << std::fixed << std::setprecision(1)
      << 100.0 * static_cast<double>(correct) / static_cast<double>(transforms * n) << "% of the training images"
      << std::endl;
  return std::make_unique<GeomModel>(spec, std::move(network), std::move(densities), scale_of(train.geom),
                                     scale_of(train.feature_density), options.score);
}

GeomModel::Parts GeomModel::parts(ConstMatrixRef x) const {
  require(x.rows() == dim(), "geom: examples have D=" + std::to_string(x.rows()) + ", the model takes " +
                                 std::to_string(dim()));
  return parts_from(network_.outputs(all_geometric_transforms(x, data_spec(), transforms())), x.cols(), densities_);
}

Vector GeomModel::score_impl(ConstMatrixRef x) const {
  const Parts p = parts(x);
  switch (score_) {
    case GeomScore::geom: return p.geom;
    case GeomScore::feature_density: return p.feature_density;
    case GeomScore::combined:
      return ((p.geom.array() - geom_scale_.mean) / geom_scale_.sd +
              (p.feature_density.array() - density_scale_.mean) / density_scale_.sd)
          .matrix();
  }
  return p.geom;
}

std::string_view GeomModel::score_name() const {
  switch (score_) {
    case GeomScore::geom: return "geom";
    case GeomScore::feature_density: return "feature_density";
    case GeomScore::combined: return "geom_combined";
  }
  return "geom";
}

std::string_view GeomModel::score_unit() const {
  switch (score_) {
    case GeomScore::geom:
      return "nats: -sum over transformations t of log p(t | T_t x), the transformation classifier's (not an image "
             "likelihood)";
    case GeomScore::feature_density:
      return "nats in feature space: -sum over transformations of Gaussian log-densities of CNN features (not an "
             "image likelihood)";
    case GeomScore::combined:
      return "standardized geom + standardized feature density (z-scores fitted on the normal training data)";
  }
  return "";
}

void GeomModel::select_score(const std::string& name) { score_ = parse_geom_score(name, "--model-score: "); }

std::string GeomModel::hyperparameters() const {
  std::ostringstream out;
  out << "transforms=" << transforms() << ", score=" << score_text(score_) << ", feature Gaussians: "
      << densities_.front().hyperparameters() << ", transformation classifier: " << network_.architecture();
  return out.str();
}

Index GeomModel::num_parameters() const {
  Index count = network_.num_parameters();
  for (const GaussianModel& density : densities_) count += density.num_parameters();
  return count;
}

Matrix GeomModel::sample(Index, Rng&) const {
  throw Error("geom: a transformation classifier defines no distribution over images to sample from");
}

void GeomModel::save(const H5Group& g) const {
  g.set_attr("transforms", static_cast<std::int64_t>(transforms()));
  g.set_attr("score", std::string(score_text(score_)));
  g.set_attr("geom_mean", geom_scale_.mean);
  g.set_attr("geom_sd", geom_scale_.sd);
  g.set_attr("density_mean", density_scale_.mean);
  g.set_attr("density_sd", density_scale_.sd);
  network_.save(g.create_group("network"));
  const H5Group densities = g.create_group("densities");
  for (Index t = 0; t < transforms(); ++t) densities_[static_cast<size_t>(t)].save(densities.create_group("t" + std::to_string(t)));
}

std::unique_ptr<Model> GeomModel::load(const H5Group& g, const DataSpec& spec) {
  const std::string where = g.file() + ":" + g.path() + ": ";
  const Index transforms = read_int_attr(g, "transforms", 4, 8);
  check_geometric_transforms(spec, transforms);
  const GeomScore score = parse_geom_score(g.attr_string("score"), where);
  const ScoreScale geom_scale{read_real_attr(g, "geom_mean", -1e300, 1e300), read_real_attr(g, "geom_sd", 0.0, 1e300, true)};
  const ScoreScale density_scale{read_real_attr(g, "density_mean", -1e300, 1e300),
                                 read_real_attr(g, "density_sd", 0.0, 1e300, true)};
  FeatureNetwork network = FeatureNetwork::load(g.group("network"));
  const H5Group stored = g.group("densities");
  std::vector<GaussianModel> densities;
  for (Index t = 0; t < transforms; ++t) {
    const H5Group group = stored.group("t" + std::to_string(t));
    const StoredBlocksGuard guard(group);
    std::unique_ptr<Model> density = GaussianModel::load(group, feature_spec(network.feature_dim()));
    densities.push_back(std::move(dynamic_cast<GaussianModel&>(*density)));
  }
  return std::make_unique<GeomModel>(spec, std::move(network), std::move(densities), geom_scale, density_scale, score);
}

}  // namespace logp
