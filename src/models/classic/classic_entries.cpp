#include "logp/models/classic/classic_entries.hpp"

#include <algorithm>
#include <cstdlib>
#include <ostream>

#include "logp/core/error.hpp"
#include "logp/models/classic/gaussian.hpp"
#include "logp/models/classic/gmm.hpp"
#include "logp/models/classic/kde.hpp"
#include "logp/models/transformed/transformed.hpp"
#include "logp/models/transformed/transformed_entry.hpp"

namespace logp {
namespace {

// gaussian, gmm, kde: fitted in closed form (or by EM) on the transformed training split; the
// transform (standardization fitted on train) is saved with the model.
class ClassicFit : public ModelFit {
 public:
  std::unique_ptr<Model> fit(const FitContext& context) final {
    const DataTransform transform = DataTransform::fit(transform_, context.train);
    const Matrix z = transform.forward_split(context.train);  // D x N
    return with_transform(transform, fit_transformed(context, z, transform));
  }

 protected:
  // z: D x N, the transformed training data.
  virtual std::unique_ptr<DensityModel> fit_transformed(const FitContext& context, const Matrix& z,
                                                        const DataTransform& transform) = 0;
  TransformOptions transform_;
};

class GaussianFit final : public ClassicFit {
 public:
  GaussianFit() {
    options_.add("ridge", "added to the covariance diagonal", ridge_, Range::non_negative);
    declare_transform_options(options_, transform_);
  }

 private:
  std::unique_ptr<DensityModel> fit_transformed(const FitContext&, const Matrix& z, const DataTransform& t) override {
    return std::make_unique<GaussianModel>(GaussianModel::fit(z, t.output_spec(), ridge_));
  }
  double ridge_ = 0.0;
};

class GmmFit final : public ClassicFit {
 public:
  GmmFit() {
    options_.add("components", "K, mixture components", gmm_.components, Range::positive);
    options_.add_choice("covariance", "covariance type", gmm_.covariance,
                        {{"full", CovarianceType::full},
                         {"tied", CovarianceType::tied},
                         {"diag", CovarianceType::diag},
                         {"spherical", CovarianceType::spherical}});
    options_.add("restarts", "EM runs from independent k-means++ seeds; the best is kept", gmm_.restarts,
                 Range::positive);
    options_.add("max-iterations", "EM iterations per run", gmm_.max_iterations, Range::positive);
    options_.add("tolerance", "stop when the mean train log-likelihood changes by <= tol * |value|", gmm_.tolerance,
                 Range::non_negative);
    options_.add("ridge", "added to covariance diagonals (scikit-learn's reg_covar)", gmm_.ridge, Range::non_negative);
    options_.add("seed", "k-means++ seeds of the restarts", gmm_.seed);
    declare_transform_options(options_, transform_);
  }

 private:
  std::unique_ptr<DensityModel> fit_transformed(const FitContext& context, const Matrix& z,
                                                const DataTransform& t) override {
    GmmFitReport report;
    auto model = std::make_unique<GmmModel>(GmmModel::fit(z, t.output_spec(), gmm_, &report));
    context.log << "gmm: restart " << report.restart << " kept; " << report.iterations << " EM iterations, "
                << (report.converged ? "converged" : "not converged (--max-iterations reached)")
                << "; mean train log-likelihood " << report.log_likelihood.back()
                << " nats/example (on the transformed data)\n";
    return model;
  }
  GmmOptions gmm_;
};

class KdeFit final : public ClassicFit {
 public:
  KdeFit() {
    options_.add("bandwidth",
                 "NUMBER | scott | silverman | valid (best of a grid on --valid-split) | loo (best of a grid by "
                 "leave-one-out on train)",
                 kde_.bandwidth);
    options_.add("bandwidth-grid", "candidates of valid/loo, log-spaced scott/50 .. scott*5", kde_.grid,
                 Range::positive);
    options_.add("valid-split", "the split --bandwidth valid scores", valid_split_);
    declare_transform_options(options_, transform_);
  }

 private:
  // The bandwidth named by --bandwidth: a number, a rule of thumb, or the best of a grid by the
  // mean log-likelihood of the validation split ("valid") or leave-one-out on train ("loo").
  std::unique_ptr<DensityModel> fit_transformed(const FitContext& context, const Matrix& z,
                                                const DataTransform& transform) override {
    const DataSpec& spec = transform.output_spec();
    const std::string& rule = kde_.bandwidth;
    char* end = nullptr;
    const double number = std::strtod(rule.c_str(), &end);
    if (end != rule.c_str() && *end == '\0') {
      require(number > 0, "kde: --bandwidth must be positive, got " + rule);
      return std::make_unique<KdeModel>(spec, z, number, "given");
    }
    if (rule != "valid" && rule != "loo")
      return std::make_unique<KdeModel>(spec, z, KdeModel::rule_of_thumb(rule, z.cols(), z.rows()), rule);
    const Vector grid = KdeModel::bandwidth_grid(z.cols(), z.rows(), kde_.grid);
    const KdeModel probe(spec, z, grid(0), "probe");
    Vector mean_log_likelihood;
    std::string scored;
    if (rule == "loo") {
      mean_log_likelihood = probe.log_prob_for_bandwidths(z, grid, true).rowwise().mean();
      scored = "leave-one-out on the training split";
    } else {
      const std::vector<std::string> splits = list_splits(context.data_file);
      require(std::find(splits.begin(), splits.end(), valid_split_) != splits.end(),
              context.data_file + ": --bandwidth valid needs a '" + valid_split_ + "' split (or use --bandwidth loo)");
      const DatasetSplit valid = DatasetSplit::open(context.data_file, valid_split_);
      mean_log_likelihood = probe.log_prob_for_bandwidths(transform.forward_split(valid), grid, false).rowwise().mean();
      scored = valid.where();
    }
    Index best = 0;
    mean_log_likelihood.maxCoeff(&best);
    context.log << "kde: bandwidth " << grid(best) << " of " << grid.size() << " candidates " << grid(0) << ".."
                << grid(grid.size() - 1) << " has the best mean log-likelihood on " << scored << " ("
                << mean_log_likelihood(best) << " nats/example, on the transformed data)"
                << (best == 0 || best == grid.size() - 1 ? "; WARNING: at the edge of the grid" : "") << "\n";
    return std::make_unique<KdeModel>(spec, z, grid(best), rule);
  }
  KdeOptions kde_;
  std::string valid_split_ = "valid";
};

}  // namespace

ModelEntry gaussian_entry() {
  return {"gaussian", "multivariate normal with full covariance (real data; 8-bit with --dequantize)",
          ModelKind::exact_density, [] { return std::unique_ptr<ModelFit>(new GaussianFit); }, &GaussianModel::load};
}

ModelEntry gmm_entry() {
  return {"gmm", "Gaussian mixture fitted by EM (full, tied, diagonal or spherical covariances)", ModelKind::exact_density,
          [] { return std::unique_ptr<ModelFit>(new GmmFit); }, &GmmModel::load};
}

ModelEntry kde_entry() {
  return {"kde", "exact Gaussian kernel density estimate", ModelKind::exact_density,
          [] { return std::unique_ptr<ModelFit>(new KdeFit); }, &KdeModel::load};
}

}  // namespace logp
