// The analyses of `logp compare` and `logp anomaly` on arrays: the same library functions, results
// as dicts (python/logp/tools.py adds names and the models' scoring).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "numpy_batch.hpp"
#include "logp/core/error.hpp"
#include "logp/eval/detection_metrics.hpp"
#include "logp/eval/likelihood_summary.hpp"
#include "logp/eval/paired_comparison.hpp"
#include "logp/eval/sample_metrics/c2st.hpp"
#include "logp/eval/sample_metrics/fid.hpp"
#include "logp/eval/sample_metrics/kernel_mmd.hpp"
#include "logp/eval/sample_metrics/manifold.hpp"

namespace logp::python {
namespace {

py::dict pair_dict(const PairedComparison& c) {
  py::dict d;
  d["mean_diff_nats"] = c.t.mean;
  d["std_error_nats"] = c.t.std_error;
  d["ci_nats"] = py::make_tuple(c.t.ci_low, c.t.ci_high);
  d["bootstrap_ci_nats"] = py::make_tuple(c.bootstrap.low, c.bootstrap.high);
  d["mean_diff_bits_per_dim"] = c.t.mean * c.nats_to_bits_per_dim();
  d["t"] = c.t.t;
  d["df"] = c.t.df;
  d["p_t"] = c.t.p;
  d["wilcoxon_w_plus"] = c.wilcoxon.w_plus;
  d["wilcoxon_z"] = c.wilcoxon.z;
  d["p_wilcoxon"] = c.wilcoxon.p;
  return d;
}

// log_probs: one N-vector per model (nats, the same examples). As `logp compare`: the models ranked
// by mean NLL, adjacent pairs with paired t, Wilcoxon and bootstrap, Holm-adjusted p-values.
py::dict compare(const std::vector<Vector>& log_probs, Index dim, double confidence, Index bootstrap,
                 std::uint64_t seed) {
  require(log_probs.size() >= 2, "compare needs at least two models, got " + std::to_string(log_probs.size()));
  require(dim > 0, "compare: D must be positive for bits/dim, got " + std::to_string(dim));
  for (std::size_t k = 1; k < log_probs.size(); ++k)
    require(log_probs[k].size() == log_probs[0].size(),
            "different numbers of examples: model 0 has N=" + std::to_string(log_probs[0].size()) + ", model " +
                std::to_string(k) + " has N=" + std::to_string(log_probs[k].size()) +
                "; compare values of the same examples");
  Ranking ranking;
  {
    py::gil_scoped_release release;
    ranking = rank_models(log_probs, dim, ComparisonOptions{confidence, bootstrap, seed});
  }
  py::list pairs;
  for (std::size_t k = 0; k < ranking.adjacent.size(); ++k) {
    py::dict d = pair_dict(ranking.adjacent[k]);
    d["a"] = ranking.order[k];
    d["b"] = ranking.order[k + 1];
    d["p_t_holm"] = ranking.p_t_holm[k];
    d["p_wilcoxon_holm"] = ranking.p_wilcoxon_holm[k];
    pairs.append(d);
  }
  py::list summaries;  // per model, in input order
  for (const Vector& v : log_probs) {
    const LikelihoodSummary s = summarize_log_probs(v, dim, LikelihoodKind::exact);
    py::dict d;
    d["mean_nll_nats"] = s.mean_nll;
    d["std_error_nats"] = s.std_error;
    d["bits_per_dim"] = s.bits_per_dim;
    summaries.append(d);
  }
  py::dict out;
  out["summaries"] = summaries;
  out["order"] = ranking.order;
  out["pairs"] = pairs;
  return out;
}

py::dict metric_dict(const MetricWithInterval& metric) {
  py::dict d;
  d["value"] = metric.value;
  d["ci"] = py::make_tuple(metric.interval.low, metric.interval.high);
  return d;
}

// As `logp anomaly`'s metrics: scores (larger = more anomalous), labels (1 = anomaly).
py::dict detection(const Vector& scores, const std::vector<std::uint8_t>& labels, Index bootstrap, double confidence,
                   std::uint64_t seed) {
  require(static_cast<Index>(labels.size()) == scores.size(),
          "anomaly: " + std::to_string(scores.size()) + " scores but " + std::to_string(labels.size()) + " labels");
  for (std::size_t i = 0; i < labels.size(); ++i)
    require(labels[i] <= 1, "anomaly: label " + std::to_string(labels[i]) + " at example " + std::to_string(i) +
                                " is not 0 (normal) or 1 (anomaly)");
  require(scores.allFinite(), "anomaly: scores must be finite");
  DetectionMetrics metrics;
  std::vector<RocPoint> roc;
  {
    py::gil_scoped_release release;
    metrics = evaluate_detection(scores, labels, bootstrap, confidence, Rng(seed));
    roc = roc_curve(scores, labels);
  }
  Vector threshold(static_cast<Index>(roc.size())), fpr(threshold.size()), tpr(threshold.size());
  for (std::size_t i = 0; i < roc.size(); ++i) {
    threshold[static_cast<Index>(i)] = roc[i].threshold;
    fpr[static_cast<Index>(i)] = roc[i].fpr;
    tpr[static_cast<Index>(i)] = roc[i].tpr;
  }
  py::dict out;
  out["positives"] = metrics.positives;
  out["negatives"] = metrics.negatives;
  out["auroc"] = metric_dict(metrics.auroc);
  out["auprc"] = metric_dict(metrics.auprc);
  out["fpr_at_95_tpr"] = metric_dict(metrics.fpr_at_95_tpr);
  py::dict curve;
  curve["threshold"] = to_numpy(std::move(threshold));
  curve["fpr"] = to_numpy(std::move(fpr));
  curve["tpr"] = to_numpy(std::move(tpr));
  out["roc"] = curve;
  return out;
}

py::dict metric_value_dict(const MetricValue& v) {
  py::dict d;
  d["value"] = v.value;
  d["spread"] = v.spread;
  d["spread_kind"] = v.spread_kind;
  d["n_real"] = v.n_real;
  d["n_samples"] = v.n_samples;
  d["p_value"] = v.p_value;
  d["details"] = v.details;
  d["warning"] = v.warning;
  return d;
}

struct SampleMetricOptions {
  std::uint64_t seed = 0;
  int fid_bootstrap = 10;
  Index kid_subsets = 100;
  Index kid_subset_size = 1000;
  Index permutations = 500;
  Index test_subset = 1000;
};

// The metrics of `logp eval-samples` that need only the two sets, on features given as N x F and
// M x F arrays (pixels, or any embedding): FID, KID, MMD^2, precision/recall/density/coverage, C2ST.
py::dict eval_samples(const py::handle& real_rows, const py::handle& sample_rows, const SampleMetricOptions& o) {
  const Batch real_batch(real_rows, "real"), sample_batch(sample_rows, "samples");
  require(real_batch.dim() == sample_batch.dim(), "eval_samples: real has F=" + std::to_string(real_batch.dim()) +
                                                      " features but samples have F=" + std::to_string(sample_batch.dim()));
  std::vector<MetricValue> metrics;
  {
    py::gil_scoped_release release;
    const MatrixD real = real_batch.view().cast<double>();  // F x N
    const MatrixD samples = sample_batch.view().cast<double>();
    require(real.allFinite() && samples.allFinite(), "eval_samples: features must be finite");
    metrics.push_back(frechet_distance(real, samples, {.bootstrap = o.fid_bootstrap, .seed = o.seed}));
    metrics.push_back(kid(real, samples, {.subsets = o.kid_subsets, .subset_size = o.kid_subset_size, .seed = o.seed}));
    metrics.push_back(
        mmd2_gaussian(real, samples, {.permutations = o.permutations, .test_subset = o.test_subset, .seed = o.seed}));
    const ManifoldMetrics manifold = manifold_metrics(real, samples);
    for (const MetricValue& v : {manifold.precision, manifold.recall, manifold.density, manifold.coverage})
      metrics.push_back(v);
    metrics.push_back(classifier_two_sample_test(real, samples, {.k = 5, .seed = o.seed}));
  }
  py::dict out;
  for (const MetricValue& v : metrics) out[py::str(v.name)] = metric_value_dict(v);
  return out;
}

}  // namespace

void bind_tools(py::module_& m) {
  m.def("_compare", &compare, py::arg("log_probs"), py::arg("dim"), py::arg("confidence"), py::arg("bootstrap"),
        py::arg("seed"));
  m.def("_detection", &detection, py::arg("scores"), py::arg("labels"), py::arg("bootstrap"), py::arg("confidence"),
        py::arg("seed"));
  m.def("_eval_samples",
        [](const py::handle& real, const py::handle& samples, std::uint64_t seed, int fid_bootstrap, Index kid_subsets,
           Index kid_subset_size, Index permutations, Index test_subset) {
          return eval_samples(real, samples,
                              {seed, fid_bootstrap, kid_subsets, kid_subset_size, permutations, test_subset});
        },
        py::arg("real"), py::arg("samples"), py::arg("seed"), py::arg("fid_bootstrap"), py::arg("kid_subsets"),
        py::arg("kid_subset_size"), py::arg("permutations"), py::arg("test_subset"));
}

}  // namespace logp::python
