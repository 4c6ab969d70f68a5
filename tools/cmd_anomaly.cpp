// logp anomaly: per-example anomaly scores and, with labels, how well they find the anomalies
// (AUROC, AUPRC, FPR at 95% TPR with bootstrap intervals, ROC curve), and the typicality test
// for batches.
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli.hpp"
#include "estimator_options.hpp"
#include "plots.hpp"
#include "table.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/anomaly_scores.hpp"
#include "logp/eval/detection_metrics.hpp"
#include "logp/eval/score.hpp"
#include "logp/eval/score_file.hpp"
#include "logp/eval/typicality.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/parallel/communicator.hpp"
#include "logp/io/model_file.hpp"
#include "logp/plot/picture.hpp"

namespace logp::cli {
namespace {

struct AnomalyOptions {
  std::string model;
  std::string data;
  std::string split = "test";
  std::string score;  // empty: nll for density models, model-score for scoring models
  std::string model_score;  // one of a SelectableScore model's scores (geom: geom, feature-density, combined)
  std::string background;
  std::vector<std::int64_t> anomaly_labels;
  std::string outliers;
  std::string outliers_split = "test";
  std::string out;
  std::string roc;
  std::string roc_plot;  // .svg or .png
  Index typicality_batch = 0;
  std::string reference_data;   // empty: the model's training file (its fit record), else --data
  std::string reference_split;  // empty: the model's training split, else train
  std::string validation_split = "valid";
  Index typicality_batches = 1000;
  double confidence = 0.95;
  Index bootstrap = 1000;
  std::uint64_t seed = 0;
  Index chunk = 4096;
  EstimatorOptions estimator;  // the VAE's NLL: its ELBO or IWAE-k
};

// The scores of --data followed by those of --outliers, and which are anomalies.
struct ScoredExamples {
  AnomalyScores scores;
  Labels labels;  // empty without --anomaly-labels or --outliers
};

void append(AnomalyScores& to, const AnomalyScores& more) {
  const Index n = to.scores.size(), m = more.scores.size();
  to.scores.conservativeResize(n + m);
  to.scores.tail(m) = more.scores;
  for (size_t c = 0; c < to.parts.size(); ++c) {
    to.parts[c].values.conservativeResize(n + m);
    to.parts[c].values.tail(m) = more.parts[c].values;
  }
}

ScoredExamples score_examples(const AnomalyOptions& options, AnomalyScoreKind kind, const Model& model,
                              const DensityModel* background) {
  if (!options.anomaly_labels.empty() && !options.outliers.empty())
    throw UsageError("give either --anomaly-labels or --outliers, not both");
  const DatasetSplit data = DatasetSplit::open(options.data, options.split);
  ScoredExamples scored;
  scored.scores = anomaly_scores(kind, model, background, data, options.chunk);
  if (!options.anomaly_labels.empty()) {
    if (!data.has_labels()) throw Error(data.where() + ": no labels (y) for --anomaly-labels");
    const std::set<std::int64_t> anomalous(options.anomaly_labels.begin(), options.anomaly_labels.end());
    for (std::int64_t y : data.read_labels()) scored.labels.push_back(anomalous.count(y) ? 1 : 0);
  } else if (!options.outliers.empty()) {
    const DatasetSplit outliers = DatasetSplit::open(options.outliers, options.outliers_split);
    if (outliers.dim() != data.dim())
      throw Error(outliers.where() + " has D=" + std::to_string(outliers.dim()) + " but " + data.where() + " has D=" +
                  std::to_string(data.dim()));
    append(scored.scores, anomaly_scores(kind, model, background, outliers, options.chunk));
    scored.labels.assign(static_cast<size_t>(data.size()), 0);
    scored.labels.resize(static_cast<size_t>(data.size() + outliers.size()), 1);
  }
  return scored;
}

void write_roc(const std::string& path, const std::vector<RocPoint>& curve) {
  AtomicOutput output(path);
  std::ofstream out(output.temp_path());
  if (!out) throw Error(path + ": cannot open for writing");
  out << "threshold,fpr,tpr\n" << std::setprecision(17);
  for (const RocPoint& p : curve) out << p.threshold << "," << p.fpr << "," << p.tpr << "\n";
  out.close();
  if (!out) throw Error(path + ": write failed (disk full?)");
  output.commit();
}

struct TypicalityReport {
  TypicalityThreshold threshold;
  double inliers_flagged = 0.0;
  double outliers_flagged = -1.0;  // < 0: no outliers
};

TypicalityReport typicality(const AnomalyOptions& options, const DensityModel& model, const ScoredExamples& scored) {
  // The in-distribution data is the model's own training data unless named: the file and split
  // recorded when it was fitted, with the validation split of the same file.
  const FitRecord fit = read_fit_record(options.model);
  const std::string file = !options.reference_data.empty() ? options.reference_data
                           : !fit.data_file.empty()        ? fit.data_file
                                                           : options.data;
  const std::string split = !options.reference_split.empty() ? options.reference_split
                            : !fit.split.empty()              ? fit.split
                                                              : "train";
  const Vector reference = -score_values(model, DatasetSplit::open(file, split), options.chunk).values;
  const Vector validation = -score_values(model, DatasetSplit::open(file, options.validation_split), options.chunk).values;
  const Rng rng(options.seed);
  TypicalityReport report;
  report.threshold = fit_typicality(reference, validation, options.typicality_batch, options.typicality_batches,
                                    1.0 - options.confidence, rng.split(10));
  const Vector& nll = scored.scores.parts.front().values;  // nll_nats
  std::vector<double> inliers, outliers;
  for (Index i = 0; i < nll.size(); ++i)
    (!scored.labels.empty() && scored.labels[static_cast<size_t>(i)] ? outliers : inliers).push_back(nll(i));
  auto as_vector = [](const std::vector<double>& v) {
    return Vector(Eigen::Map<const Vector>(v.data(), static_cast<Index>(v.size())));
  };
  if (!inliers.empty())
    report.inliers_flagged = fraction_flagged(as_vector(inliers), report.threshold, options.typicality_batches, rng.split(11));
  if (!outliers.empty())
    report.outliers_flagged = fraction_flagged(as_vector(outliers), report.threshold, options.typicality_batches, rng.split(12));
  return report;
}

nlohmann::json metric_json(const MetricWithInterval& m) {
  return {{"value", m.value}, {"ci", {m.interval.low, m.interval.high}}};
}

std::string metric_text(const MetricWithInterval& m) {
  return fixed(m.value, 4) + " [" + fixed(m.interval.low, 4) + ", " + fixed(m.interval.high, 4) + "]";
}

void run_anomaly(const AnomalyOptions& options, const GlobalOptions& global) {
  if (!options.out.empty() && !is_score_file_name(options.out))
    throw UsageError("--out " + options.out + ": give a .csv or .h5 file name");
  require_picture_name("--roc-plot", options.roc_plot);
  refuse_outputs_over_inputs({{"--model", options.model},
                              {"--data", options.data},
                              {"--background", options.background},
                              {"--outliers", options.outliers},
                              {"--reference-data", options.reference_data}},
                             {{"--out", options.out}, {"--roc", options.roc}, {"--roc-plot", options.roc_plot}});
  const std::unique_ptr<Model> model = load_model(options.model);
  const std::string estimator = apply_estimator(*model, options.estimator, options.model);
  const auto* density = dynamic_cast<const DensityModel*>(model.get());
  const AnomalyScoreKind kind = options.score.empty()
                                    ? (density ? AnomalyScoreKind::nll : AnomalyScoreKind::model_score)
                                    : parse_anomaly_score_kind(options.score);
  if (!options.model_score.empty()) {
    auto* selectable = dynamic_cast<SelectableScore*>(model.get());
    if (!selectable)
      throw UsageError("--model-score " + options.model_score + ": " + std::string(model->type()) +
                       " has one score (--model-score is for models with several, e.g. geom)");
    if (kind != AnomalyScoreKind::model_score)
      throw UsageError("--model-score needs --score model-score (the default for scoring models)");
    selectable->select_score(options.model_score);
  }
  std::unique_ptr<DensityModel> background;
  if (kind == AnomalyScoreKind::likelihood_ratio) {
    if (options.background.empty()) throw UsageError("--score likelihood-ratio needs --background MODEL (logp data perturb, then logp fit)");
    background = load_density_model(options.background);
  } else if (!options.background.empty()) {
    throw UsageError("--background is used only with --score likelihood-ratio");
  }
  if (options.typicality_batch > 0 && !density)
    throw Error("the typicality test needs a model with a likelihood; " + std::string(model->type()) + " has none");
  if ((!options.roc.empty() || !options.roc_plot.empty()) && options.anomaly_labels.empty() && options.outliers.empty())
    throw UsageError(std::string(options.roc.empty() ? "--roc-plot" : "--roc") +
                     " needs labels: give --anomaly-labels or --outliers");

  const ScoredExamples scored = score_examples(options, kind, *model, background.get());
  const bool labelled = !scored.labels.empty();
  DetectionMetrics metrics;
  if (labelled) metrics = evaluate_detection(scored.scores.scores, scored.labels, options.bootstrap, options.confidence, Rng(options.seed));
  TypicalityReport typical;
  if (options.typicality_batch > 0) typical = typicality(options, *density, scored);

  const std::string data_where = options.data + ":/" + options.split + "/x";
  const std::string outliers_where = options.outliers.empty() ? "" : options.outliers + ":/" + options.outliers_split + "/x";
  const bool writer = world().rank() == 0;  // in a parallel run, rank 0 writes for all
  if (!options.out.empty() && writer) {
    std::vector<ExampleValues> columns{{"score", ValueKind::score, scored.scores.units, scored.scores.scores}};
    for (const ExampleValues& part : scored.scores.parts) columns.push_back(part);
    if (labelled) {
      Vector labels(static_cast<Index>(scored.labels.size()));
      for (size_t i = 0; i < scored.labels.size(); ++i) labels(static_cast<Index>(i)) = scored.labels[i];
      columns.push_back({"label", ValueKind::score, "1 = anomaly", labels});
    }
    write_score_file(options.out, columns,
                  {{"score", to_string(kind)}, {"model", options.model}, {"data", data_where}, {"outliers", outliers_where}});
  }
  if (!options.roc.empty() && writer) write_roc(options.roc, roc_curve(scored.scores.scores, scored.labels));
  if (!options.roc_plot.empty() && writer)
    plot::write_picture(options.roc_plot,
                        roc_chart(roc_curve(scored.scores.scores, scored.labels), metrics.auroc.value,
                                  std::filesystem::path(options.model).filename(),
                                  "ROC: " + std::string(to_string(kind)) + " score on " + short_where(data_where) +
                                      (outliers_where.empty() ? "" : " + " + short_where(outliers_where))));

  const auto* scoring = kind == AnomalyScoreKind::model_score ? dynamic_cast<const ScoringModel*>(model.get()) : nullptr;
  const std::string likelihood = density && kind != AnomalyScoreKind::model_score ? std::string(to_string(density->likelihood_kind())) : "";
  if (global.json) {
    nlohmann::json out{{"model", options.model},
                       {"data", data_where},
                       {"outliers", outliers_where.empty() ? nlohmann::json(nullptr) : nlohmann::json(outliers_where)},
                       {"score", to_string(kind)},
                       {"score_units", scored.scores.units},
                       {"model_score_name", scoring ? nlohmann::json(std::string(scoring->score_name())) : nlohmann::json(nullptr)},
                       {"likelihood_kind", likelihood.empty() ? nlohmann::json(nullptr) : nlohmann::json(likelihood)},
                       {"estimator", estimator.empty() ? nlohmann::json(nullptr) : nlohmann::json(estimator)},
                       {"n", scored.scores.scores.size()},
                       {"positives", labelled ? nlohmann::json(metrics.positives) : nlohmann::json(nullptr)},
                       {"mean_score", scored.scores.scores.mean()},
                       {"confidence", options.confidence},
                       {"bootstrap_resamples", options.bootstrap},
                       {"seed", options.seed},
                       {"metrics", nullptr},
                       {"typicality", nullptr}};
    if (labelled)
      out["metrics"] = {{"auroc", metric_json(metrics.auroc)},
                        {"auprc", metric_json(metrics.auprc)},
                        {"fpr_at_95_tpr", metric_json(metrics.fpr_at_95_tpr)}};
    if (options.typicality_batch > 0)
      out["typicality"] = {{"batch_size", typical.threshold.batch_size},
                           {"entropy_nats", typical.threshold.entropy},
                           {"epsilon_nats", typical.threshold.epsilon},
                           {"alpha", typical.threshold.alpha},
                           {"inlier_batches_flagged", typical.inliers_flagged},
                           {"outlier_batches_flagged",
                            typical.outliers_flagged < 0 ? nlohmann::json(nullptr) : nlohmann::json(typical.outliers_flagged)},
                           {"batches", options.typicality_batches}};
    std::cout << out.dump(2) << "\n";
    return;
  }
  std::cout << "model: " << options.model << " (" << model->type() << ")\ndata: " << data_where;
  if (!outliers_where.empty()) std::cout << " + outliers " << outliers_where;
  std::cout << ", N=" << scored.scores.scores.size() << "\nscore: " << to_string(kind)
            << (scoring ? " " + std::string(scoring->score_name()) : std::string()) << " (" << scored.scores.units
            << "; larger = more anomalous" << (likelihood.empty() ? "" : "; likelihood " + likelihood) << "), mean "
            << fixed(scored.scores.scores.mean(), 4) << "\n";
  if (!estimator.empty()) std::cout << "estimator: " << estimator << "\n";
  if (labelled) {
    const int percent = static_cast<int>(std::lround(100.0 * options.confidence));
    Table table({"metric", "value [" + std::to_string(percent) + "% bootstrap interval]"}, {false, true});
    table.add_row({"AUROC", metric_text(metrics.auroc)});
    table.add_row({"AUPRC (anomalies positive)", metric_text(metrics.auprc)});
    table.add_row({"FPR at 95% TPR", metric_text(metrics.fpr_at_95_tpr)});
    table.print(std::cout);
    std::cout << metrics.positives << " anomalies, " << metrics.negatives << " normal examples; stratified bootstrap, "
              << options.bootstrap << " resamples, seed " << options.seed << "\n";
  }
  if (options.typicality_batch > 0) {
    std::cout << "typicality test (batches of " << typical.threshold.batch_size << "): H = "
              << fixed(typical.threshold.entropy, 3) << " nats (mean NLL of the model's training data), epsilon = " << fixed(typical.threshold.epsilon, 3) << " nats (alpha " << typical.threshold.alpha
              << ", " << options.typicality_batches << " validation batches)\n"
              << "  flagged: " << fixed(100.0 * typical.inliers_flagged, 1) << "% of normal batches";
    if (typical.outliers_flagged >= 0) std::cout << ", " << fixed(100.0 * typical.outliers_flagged, 1) << "% of anomaly batches";
    std::cout << "\n";
  }
  if (!options.out.empty()) std::cout << "wrote per-example scores to " << options.out << "\n";
  if (!options.roc.empty()) std::cout << "wrote the ROC curve to " << options.roc << "\n";
  if (!options.roc_plot.empty()) std::cout << "wrote the ROC picture to " << options.roc_plot << "\n";
}

}  // namespace

void add_anomaly_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto o = std::make_shared<AnomalyOptions>();
  CLI::App* anomaly = app.add_subcommand("anomaly", "anomaly scores per example; AUROC/AUPRC/FPR@95 with labels");
  anomaly->add_option("--model", o->model, "model file (density or scoring model)")->required();
  anomaly->add_option("--data", o->data, "logp dataset file to score")->required();
  anomaly->add_option("--split", o->split, "split to score")->capture_default_str();
  anomaly->add_option("--score", o->score,
                      "nll | likelihood-ratio | complexity | model-score (default: nll, or model-score for scoring models)")
      ->check(CLI::IsMember({"nll", "likelihood-ratio", "complexity", "model-score"}));
  anomaly->add_option("--model-score", o->model_score,
                      "which of a scoring model's scores (geom: geom | feature-density | combined; default: the "
                      "one chosen at fit)");
  anomaly->add_option("--background", o->background, "background model for --score likelihood-ratio");
  anomaly->add_option("--anomaly-labels", o->anomaly_labels, "labels y of --data that are anomalies, e.g. 0,2")
      ->delimiter(',');
  anomaly->add_option("--outliers", o->outliers, "a second dataset file whose examples are the anomalies");
  anomaly->add_option("--outliers-split", o->outliers_split, "split of --outliers")->capture_default_str();
  anomaly->add_option("--out", o->out, "per-example scores: .csv or .h5, input order (outliers after data)");
  anomaly->add_option("--roc", o->roc, "ROC curve as CSV threshold,fpr,tpr");
  anomaly->add_option("--roc-plot", o->roc_plot, "ROC curve as a picture, .svg or .png (needs labels)");
  anomaly->add_option("--typicality-batch", o->typicality_batch, "typicality test on batches of this size")
      ->check(positive_integer());
  anomaly->add_option("--reference-data", o->reference_data,
                      "typicality: in-distribution dataset file (default: the one the model was fitted on)");
  anomaly->add_option("--reference-split", o->reference_split,
                      "typicality: split whose mean NLL estimates the entropy (default: the model's training split)");
  anomaly->add_option("--validation-split", o->validation_split, "typicality: split of the reference file for the threshold")
      ->capture_default_str();
  anomaly->add_option("--typicality-batches", o->typicality_batches, "bootstrapped batches")
      ->capture_default_str()->check(CLI::Range(Index{2}, Index{10000000}));
  anomaly->add_option("--confidence", o->confidence, "level of intervals; the typicality alpha is 1 - confidence")
      ->capture_default_str()->check(number_between(0.5, 0.9999));
  anomaly->add_option("--bootstrap", o->bootstrap, "bootstrap resamples for metric intervals")
      ->capture_default_str()->check(CLI::Range(Index{2}, Index{1000000}));
  anomaly->add_option("--seed", o->seed, "seed of the bootstrap and typicality batches")->capture_default_str();
  anomaly->add_option("--chunk", o->chunk, "examples read from disk at a time")->capture_default_str()->check(positive_integer());
  const std::function<void()> note_estimator = add_estimator_options(anomaly, &o->estimator);
  commands.push_back({anomaly, [o, note_estimator, &global] {
                        note_estimator();
                        run_anomaly(*o, global);
                      }});
}

}  // namespace logp::cli
