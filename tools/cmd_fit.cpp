// logp fit: fit a model to a split of a dataset file and save it.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/autoencoder/autoencoder.hpp"
#include "logp/models/bernoulli/bernoulli.hpp"
#include "logp/models/nade/deep_nade.hpp"
#include "logp/models/classic/gaussian.hpp"
#include "logp/models/classic/gmm.hpp"
#include "logp/models/classic/kde.hpp"
#include "logp/models/markov/markov.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/models/rnade/rnade.hpp"
#include "logp/models/transformed/transformed.hpp"
#include "logp/models/vae/vae.hpp"
#include "logp/train/trainer.hpp"

namespace logp::cli {
namespace {

struct FitOptions {
  std::string model;
  std::string data;
  std::string split = "train";
  std::string out;
  double alpha = 1.0;
  int order = 1;
  std::string context;
  bool tied = false;
  // trained models
  NadeOptions nade;       // nade; its hidden, ordering and ordering_seed also serve nade-oa
  std::string activation;  // empty: the model's default (nade: sigmoid, nade-oa: relu)
  int layers = 2;          // nade-oa
  int orderings = 1;       // nade-oa: K, the evaluation ensemble
  std::string hidden_layers = "500,500";  // vae: encoder hidden sizes (the decoder mirrors them)
  Index latent = 50;                      // vae
  std::string likelihood;                 // vae: empty: from the data kind
  std::string objective = "elbo";         // vae: elbo | iwae
  Index train_samples = 1;                // vae: k of the iwae objective
  TrainOptions train;
  std::string optimizer_schedule = "constant";
  std::string valid_split = "valid";
  bool ordering_given = false;
  // continuous density models (gaussian, gmm, kde, rnade)
  TransformOptions transform;  // --dequantize, --logit, --standardize: saved with the model
  double ridge = -1.0;         // gaussian, gmm: added to covariance diagonals; < 0: the model's default
  GmmOptions gmm;
  std::string covariance = "full";
  KdeOptions kde;
  double min_scale = RnadeOptions{}.min_scale;  // rnade: floor on every sigma (transformed units)
};

bool is_continuous_closed_form(const std::string& model) {
  return model == "gaussian" || model == "gmm" || model == "kde";
}

// The bandwidth named by --bandwidth: a number, a rule of thumb, or the best of a grid by the
// mean log-likelihood of the validation split ("valid") or leave-one-out on train ("loo").
std::unique_ptr<DensityModel> fit_kde(const FitOptions& options, const Matrix& z, const DataSpec& spec,
                                      const DataTransform& transform) {
  const std::string& rule = options.kde.bandwidth;
  char* end = nullptr;
  const double number = std::strtod(rule.c_str(), &end);
  if (end != rule.c_str() && *end == '\0') return std::make_unique<KdeModel>(spec, z, number, "given");
  if (rule != "valid" && rule != "loo")
    return std::make_unique<KdeModel>(spec, z, KdeModel::rule_of_thumb(rule, z.cols(), z.rows()), rule);
  const Vector grid = KdeModel::bandwidth_grid(z.cols(), z.rows(), options.kde.grid);
  const KdeModel probe(spec, z, grid(0), "probe");
  Vector mean_log_likelihood;
  std::string scored;
  if (rule == "loo") {
    mean_log_likelihood = probe.log_prob_for_bandwidths(z, grid, true).rowwise().mean();
    scored = "leave-one-out on the training split";
  } else {
    const std::vector<std::string> splits = list_splits(options.data);
    require(std::find(splits.begin(), splits.end(), options.valid_split) != splits.end(),
            options.data + ": --bandwidth valid needs a '" + options.valid_split + "' split (or use --bandwidth loo)");
    const DatasetSplit valid = DatasetSplit::open(options.data, options.valid_split);
    mean_log_likelihood = probe.log_prob_for_bandwidths(transform.forward_split(valid), grid, false).rowwise().mean();
    scored = valid.where();
  }
  Index best = 0;
  mean_log_likelihood.maxCoeff(&best);
  std::cerr << "kde: bandwidth " << grid(best) << " of " << grid.size() << " candidates " << grid(0) << ".."
            << grid(grid.size() - 1) << " has the best mean log-likelihood on " << scored << " ("
            << fixed(mean_log_likelihood(best), 4) << " nats/example, on the transformed data)"
            << (best == 0 || best == grid.size() - 1 ? "; WARNING: at the edge of the grid" : "") << "\n";
  return std::make_unique<KdeModel>(spec, z, grid(best), rule);
}

std::unique_ptr<DensityModel> fit_gmm(const FitOptions& options, const Matrix& z, const DataSpec& spec) {
  GmmOptions gmm = options.gmm;
  gmm.covariance = parse_covariance_type(options.covariance);
  if (options.ridge >= 0) gmm.ridge = options.ridge;
  gmm.seed = options.train.seed;
  GmmFitReport report;
  auto model = std::make_unique<GmmModel>(GmmModel::fit(z, spec, gmm, &report));
  std::cerr << "gmm: restart " << report.restart << " kept; " << report.iterations << " EM iterations, "
            << (report.converged ? "converged" : "not converged (--max-iterations reached)")
            << "; mean train log-likelihood " << fixed(report.log_likelihood.back(), 4)
            << " nats/example (on the transformed data)\n";
  return model;
}

// gaussian, gmm, kde: fitted in closed form (or by EM) on the transformed training split; the
// transform (standardization fitted on train) is saved with the model.
std::unique_ptr<Model> fit_continuous_model(const FitOptions& options, const DatasetSplit& train) {
  const DataTransform transform = DataTransform::fit(options.transform, train);
  const Matrix z = transform.forward_split(train);  // D x N
  std::unique_ptr<DensityModel> inner;
  if (options.model == "gaussian")
    inner = std::make_unique<GaussianModel>(GaussianModel::fit(z, transform.output_spec(), std::max(0.0, options.ridge)));
  if (options.model == "gmm") inner = fit_gmm(options, z, transform.output_spec());
  if (options.model == "kde") inner = fit_kde(options, z, transform.output_spec(), transform);
  require(inner != nullptr, "--model " + options.model + " is not a closed-form continuous model");
  return with_transform(transform, std::move(inner));
}

// Trains a gradient model on options.split, with early stopping on valid_split when present.
// `objective` names what the trainer's per-example objective is ("NLL", "negative ELBO", ...).
void train_gradient_model(TrainableModel& model, const FitOptions& options, const DatasetSplit& train,
                          const std::string& objective = "NLL") {
  Rng init_rng(options.train.seed);
  model.initialize(init_rng);
  TrainOptions train_options = options.train;
  train_options.optimizer.schedule = parse_schedule(options.optimizer_schedule);
  train_options.optimizer.total_epochs = train_options.max_epochs;
  std::unique_ptr<DatasetSplit> valid;
  if (!options.valid_split.empty() && options.valid_split != "none") {
    const std::vector<std::string> splits = list_splits(options.data);
    if (std::find(splits.begin(), splits.end(), options.valid_split) != splits.end())
      valid = std::make_unique<DatasetSplit>(DatasetSplit::open(options.data, options.valid_split));
  }
  if (valid && train_options.valid_examples > 0 && train_options.valid_examples < valid->size())
    std::cerr << "early stopping on the first " << train_options.valid_examples << " examples of " << valid->where()
              << "\n";
  const TrainResult result = train_model(model, train, valid.get(), train_options);
  std::cerr << "trained " << result.epochs_done << " epochs at " << fixed(result.examples_per_second, 0)
            << " examples/s; final train " << objective << " " << fixed(result.final_train_nll, 2) << " nats";
  if (result.best_epoch >= 0)
    std::cerr << "; best valid " << objective << " " << fixed(result.best_valid_nll, 2) << " at epoch " << result.best_epoch + 1
              << (result.stopped_early ? " (stopped early)" : "");
  std::cerr << "\n";
}

std::unique_ptr<Model> fit_model(const FitOptions& options, const DatasetSplit& train) {
  if (is_continuous_closed_form(options.model)) return fit_continuous_model(options, train);
  if (options.model == "bernoulli") return std::make_unique<BernoulliModel>(BernoulliModel::fit(train, options.alpha));
  if (options.model == "markov") {
    MarkovOptions markov;
    markov.order = options.order;
    markov.context = parse_context(options.context);
    markov.alpha = options.alpha;
    markov.tied = options.tied;
    return std::make_unique<MarkovModel>(MarkovModel::fit(train, markov));
  }
  if (options.model == "nade") {
    NadeOptions nade = options.nade;
    nade.activation = parse_nade_activation(options.activation.empty() ? "sigmoid" : options.activation);
    auto model = std::make_unique<NadeModel>(train.spec(), nade);
    train_gradient_model(*model, options, train);
    return model;
  }
  if (options.model == "nade-oa") {
    DeepNadeOptions deep;
    deep.hidden = options.nade.hidden;
    deep.layers = options.layers;
    deep.activation = parse_nade_activation(options.activation.empty() ? "relu" : options.activation);
    if (options.ordering_given) deep.ordering = options.nade.ordering;  // else random (deep_nade.hpp says why)
    deep.ordering_seed = options.nade.ordering_seed;
    // Training does not depend on the ensemble: early stopping watches the first ordering alone (K
    // times cheaper than the ensemble, D network passes per example), the saved model has all K.
    deep.orderings = 1;
    auto model = std::make_unique<DeepNadeModel>(train.spec(), deep);
    require(options.orderings >= 1, "nade-oa: --orderings (the evaluation ensemble size K) must be at least 1, got " +
                                        std::to_string(options.orderings));
    train_gradient_model(*model, options, train);
    model->set_ensemble_size(options.orderings);
    return model;
  }
  if (options.model == "rnade") {
    // Trained on the transformed data; the wrapper (when the transform is not the identity) adds
    // the log-Jacobian, so log_prob is on the data's original scale.
    const DataTransform transform = DataTransform::fit(options.transform, train);
    RnadeOptions rnade;
    rnade.hidden = options.nade.hidden;
    rnade.components = options.gmm.components;
    rnade.activation = parse_nade_activation(options.activation.empty() ? "relu" : options.activation);
    rnade.min_scale = options.min_scale;
    rnade.ordering = options.nade.ordering;
    rnade.ordering_seed = options.nade.ordering_seed;
    auto inner = std::make_unique<RnadeModel>(transform.output_spec(), rnade);
    if (transform.is_identity()) {
      train_gradient_model(*inner, options, train);
      return inner;
    }
    auto model = std::make_unique<TransformedModel>(transform, std::move(inner));
    train_gradient_model(*model, options, train);
    return model;
  }
  if (options.model == "vae") {
    VaeOptions vae;
    vae.hidden = parse_layer_sizes(options.hidden_layers, "--hidden-layers");
    vae.latent = options.latent;
    vae.activation = parse_vae_activation(options.activation.empty() ? "relu" : options.activation);
    vae.likelihood = options.likelihood;
    vae.objective = parse_vae_bound(options.objective);
    vae.train_samples = options.train_samples;
    auto model = std::make_unique<VaeModel>(train.spec(), vae);
    // Early stopping watches the validation ELBO (one draw per example, the model's default estimator).
    train_gradient_model(*model, options, train,
                         vae.objective == VaeBound::elbo ? "negative ELBO" : "negative IWAE bound (train), negative ELBO (valid)");
    return model;
  }
  if (options.model == "autoencoder") {
    AutoencoderOptions ae;
    ae.hidden = parse_layer_sizes(options.hidden_layers, "--hidden-layers");
    ae.code = options.latent;
    ae.activation = parse_vae_activation(options.activation.empty() ? "relu" : options.activation);
    auto model = std::make_unique<AutoencoderModel>(train.spec(), ae);
    train_gradient_model(model->trainable(), options, train, "reconstruction error (a score, not an NLL)");
    return model;
  }
  throw Error("--model " + options.model +
              " is not a model logp can fit (bernoulli, markov, nade, nade-oa, rnade, gaussian, gmm, kde, vae, autoencoder)");
}

void run_fit(const FitOptions& options, const GlobalOptions& global) {
  const DatasetSplit train = DatasetSplit::open(options.data, options.split);
  const auto start = std::chrono::steady_clock::now();
  const std::unique_ptr<Model> model = fit_model(options, train);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  FitRecord record{options.data, options.split, train.size(), seconds, command_line(), utc_now_iso8601()};
  save_model(*model, record, options.out);
  if (global.json) {
    std::cout << nlohmann::json{{"model", options.out},
                                {"type", model->type()},
                                {"hyperparameters", model->hyperparameters()},
                                {"parameters", model->num_parameters()},
                                {"train_examples", train.size()},
                                {"fit_seconds", seconds}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "fitted " << model->type() << " (" << model->hyperparameters() << ") on " << train.size()
              << " examples of " << train.where() << " in " << fixed(seconds, 2) << " s; "
              << model->num_parameters() << " parameters\nwrote " << options.out << "\n";
  }
}

}  // namespace

void add_fit_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<FitOptions>();
  CLI::App* fit = app.add_subcommand("fit", "fit a model by maximum likelihood and save it");
  fit->add_option("--model", options->model,
                  "bernoulli | markov | nade | nade-oa (order-agnostic deep NADE) | gaussian | gmm | kde | rnade | "
                  "vae (variational autoencoder) | autoencoder (reconstruction error: a score, not a likelihood)")
      ->required()
      ->check(CLI::IsMember(
          {"bernoulli", "markov", "nade", "nade-oa", "gaussian", "gmm", "kde", "rnade", "vae", "autoencoder"}));
  fit->add_option("--data", options->data, "logp dataset file")->required();
  fit->add_option("--split", options->split, "split to fit on")->capture_default_str();
  fit->add_option("--out", options->out, "model file to write")->required();
  fit->add_option("--alpha", options->alpha, "prior pseudo-count per value (Beta/Dirichlet)")->capture_default_str();
  fit->add_option("--order", options->order, "markov: raster-order predecessors in the context")->capture_default_str();
  fit->add_option("--context", options->context,
                  "markov: causal image template, e.g. left,up,up-left,up-right (overrides --order)");
  fit->add_flag("--tied", options->tied, "markov: one table shared by all positions");

  CLI::App& o = *fit;
  o.add_option("--hidden", options->nade.hidden, "nade, nade-oa, rnade: hidden units (per layer)")->capture_default_str();
  o.add_option("--activation", options->activation,
               "nade, nade-oa, rnade: sigmoid | relu (default: sigmoid for nade, relu for nade-oa and rnade); "
               "vae, autoencoder: relu | tanh | softplus");
  CLI::Option* ordering = o.add_option("--ordering", options->nade.ordering,
                                       "nade, rnade: raster (default) | random | i,j,k,... | @FILE; nade-oa: the first "
                                       "ordering of the ensemble, random by default");
  o.add_option("--ordering-seed", options->nade.ordering_seed,
               "nade, rnade: seed of --ordering random; nade-oa: also draws orderings 2..K")
      ->capture_default_str();
  o.add_option("--layers", options->layers, "nade-oa: hidden layers, 1 or 2")->capture_default_str();
  o.add_option("--orderings", options->orderings,
               "nade-oa: K, orderings in the saved model's evaluation ensemble (1: a single ordering; "
               "early stopping uses the first ordering alone)")
      ->capture_default_str();
  TransformOptions& tr = options->transform;
  o.add_flag("--dequantize", tr.dequantize,
             "continuous models on discrete data: v = (x + u) / L, one u ~ U[0,1)^D per example; log p then "
             "includes -D ln L and is one draw of a lower bound on the discrete log-likelihood");
  o.add_option("--dequantize-seed", tr.dequantize_seed, "continuous models: seed of the scoring noise u")
      ->capture_default_str();
  o.add_flag("--logit", tr.logit, "continuous models: y = logit(a + (1 - 2a) v) of values in [0, 1], Jacobian included");
  o.add_option("--logit-alpha", tr.logit_alpha, "continuous models: a of --logit")->capture_default_str();
  o.add_flag("--standardize", tr.standardize,
             "continuous models: z = (y - mean) / std per dimension, fitted on the training split, Jacobian included");
  o.add_option("--min-std", tr.min_std,
               "continuous models: floor on a fitted std (0: a constant dimension is an error)")
      ->capture_default_str();
  o.add_option("--ridge", options->ridge,
               "gaussian, gmm: added to covariance diagonals (default: gaussian 0, gmm 1e-6 as scikit-learn's reg_covar)");
  GmmOptions& g = options->gmm;
  o.add_option("--components", g.components, "gmm: K, mixture components; rnade: K, Gaussians per conditional")->capture_default_str();
  o.add_option("--covariance", options->covariance, "gmm: full | diag")
      ->check(CLI::IsMember({"full", "diag"}))
      ->capture_default_str();
  o.add_option("--restarts", g.restarts, "gmm: EM runs from independent k-means++ seeds; the best is kept")
      ->capture_default_str();
  o.add_option("--max-iterations", g.max_iterations, "gmm: EM iterations per run")->capture_default_str();
  o.add_option("--tolerance", g.tolerance, "gmm: stop when the mean train log-likelihood changes by <= tol * |value|")
      ->capture_default_str();
  o.add_option("--bandwidth", options->kde.bandwidth,
               "kde: NUMBER | scott | silverman | valid (best of a grid on --valid-split) | loo (best of a grid "
               "by leave-one-out on train)")
      ->capture_default_str();
  o.add_option("--bandwidth-grid", options->kde.grid, "kde: candidates of valid/loo, log-spaced scott/50 .. scott*5")
      ->capture_default_str();
  o.add_option("--min-scale", options->min_scale, "rnade: floor on every Gaussian's sigma, in transformed units")
      ->capture_default_str();
  o.add_option("--hidden-layers", options->hidden_layers, "vae, autoencoder: encoder hidden sizes, e.g. 500,500 (decoder mirrors)")
      ->capture_default_str();
  o.add_option("--latent", options->latent, "vae: latent dimensions; autoencoder: code size")->capture_default_str();
  o.add_option("--likelihood", options->likelihood, "vae: bernoulli (binary data) | gaussian (real data); default from the data");
  o.add_option("--objective", options->objective, "vae: elbo (analytic KL, 1 draw) | iwae (k draws, --train-samples)")
      ->capture_default_str()
      ->check(CLI::IsMember({"elbo", "iwae"}));
  o.add_option("--train-samples", options->train_samples, "vae: k of the iwae objective")->capture_default_str();
  TrainOptions& t = options->train;
  o.add_option("--epochs", t.max_epochs, "training: maximum epochs")->capture_default_str();
  o.add_option("--batch-size", t.batch_size, "training: examples per step")->capture_default_str();
  o.add_option("--shard-size", t.shard_size, "training: examples per parallel task")->capture_default_str();
  o.add_option("--patience", t.patience, "training: epochs without a better valid NLL before stopping")->capture_default_str();
  o.add_option("--seed", t.seed, "training: initialization, data order")->capture_default_str();
  o.add_option("--optimizer", t.optimizer.kind, "training: adam | sgd")->capture_default_str();
  o.add_option("--learning-rate", t.optimizer.learning_rate, "training: step size")->capture_default_str();
  o.add_option("--momentum", t.optimizer.momentum, "training: sgd momentum")->capture_default_str();
  o.add_option("--l2", t.optimizer.l2, "training: L2 penalty on all parameters")->capture_default_str();
  o.add_option("--clip-norm", t.optimizer.clip_norm, "training: clip the gradient to this global norm (0: off)")->capture_default_str();
  o.add_option("--schedule", options->optimizer_schedule, "training: constant | step | cosine")->capture_default_str();
  o.add_option("--step-epochs", t.optimizer.step_epochs, "training: step schedule period")->capture_default_str();
  o.add_option("--step-gamma", t.optimizer.step_gamma, "training: step schedule factor")->capture_default_str();
  o.add_option("--valid-split", options->valid_split, "training: split for early stopping ('none': off)")->capture_default_str();
  o.add_option("--valid-examples", options->train.valid_examples,
               "training: early stopping on the first N examples of --valid-split (0: all)")
      ->capture_default_str();
  o.add_option("--checkpoint", t.checkpoint, "training: checkpoint file written every epoch");
  o.add_flag("--resume", t.resume, "training: continue from --checkpoint if it exists");
  o.add_option("--log", t.log, "training: JSON-lines log, one line per epoch");
  t.progress = true;
  commands.push_back({fit, [options, ordering, &global] {
                        options->ordering_given = ordering->count() > 0;
                        run_fit(*options, global);
                      }});
}

}  // namespace logp::cli
