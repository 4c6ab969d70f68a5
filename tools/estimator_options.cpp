#include "estimator_options.hpp"

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/model.hpp"

namespace logp::cli {

std::function<void()> add_estimator_options(CLI::App* verb, EstimatorOptions* options) {
  CLI::Option* estimator =
      verb->add_option("--estimator", options->estimator,
                       "vae: elbo (a lower bound) | iwae (importance-weighted estimate with --k samples)")
          ->capture_default_str()
          ->check(CLI::IsMember({"elbo", "iwae"}));
  CLI::Option* k = verb->add_option("--k", options->k, "vae: samples per example (iwae: k; elbo: draws averaged)")
                       ->capture_default_str()
                       ->check(positive_integer());
  verb->add_option("--estimator-seed", options->seed, "vae: seed of the per-example draws")->capture_default_str();
  verb->add_option("--sample-chunk", options->sample_chunk,
                   "vae: decoder columns per pass (bounds memory; values change by float rounding only)")
      ->capture_default_str()
      ->check(positive_integer());
  return [options, estimator, k] { options->given = estimator->count() > 0 || k->count() > 0; };
}

std::string apply_estimator(Model& model, const EstimatorOptions& options, const std::string& path) {
  auto* selectable = dynamic_cast<SelectableEstimator*>(&model);
  if (!selectable) {
    if (options.given) {
      const auto* density = dynamic_cast<const DensityModel*>(&model);
      throw Error("--estimator/--k apply to models with several estimators (vae); " + path + " is a " +
                  std::string(model.type()) + " model, " +
                  (density ? "whose log_prob is " + std::string(to_string(density->likelihood_kind()))
                           : std::string("which gives a score")));
    }
    return "";
  }
  selectable->select_estimator({options.estimator, options.k, options.seed, options.sample_chunk});
  return selectable->estimator_description();
}

}  // namespace logp::cli
