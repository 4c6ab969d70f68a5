#include "logp/eval/detection_metrics.hpp"

#include <algorithm>
#include <limits>
#include <numeric>
#include <string>

#include "logp/core/error.hpp"

namespace logp {
namespace {

struct ClassCounts {
  Index positives = 0;
  Index negatives = 0;
};

ClassCounts check_labels(ConstVectorRef scores, const Labels& labels) {
  require(static_cast<size_t>(scores.size()) == labels.size(),
          "detection metrics: " + std::to_string(scores.size()) + " scores but " + std::to_string(labels.size()) +
              " labels");
  require(scores.allFinite(), "detection metrics: a score is not finite (inf or nan)");
  ClassCounts counts;
  for (std::uint8_t label : labels) {
    require(label <= 1, "detection metrics: labels must be 0 (normal) or 1 (anomaly), got " + std::to_string(label));
    (label ? counts.positives : counts.negatives) += 1;
  }
  require(counts.positives > 0 && counts.negatives > 0,
          "detection metrics need both anomalies and normal examples; got " + std::to_string(counts.positives) +
              " anomalies and " + std::to_string(counts.negatives) + " normal examples");
  return counts;
}

// Cumulative (false, true) positive counts at each distinct threshold, thresholds descending.
struct Step {
  double threshold;
  Index false_positives;
  Index true_positives;
};

std::vector<Step> threshold_steps(ConstVectorRef scores, const Labels& labels) {
  std::vector<Index> order(static_cast<size_t>(scores.size()));
  std::iota(order.begin(), order.end(), Index{0});
  std::sort(order.begin(), order.end(), [&](Index i, Index j) { return scores(i) > scores(j); });
  std::vector<Step> steps;
  Index fp = 0, tp = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    (labels[static_cast<size_t>(order[k])] ? tp : fp) += 1;
    if (k + 1 == order.size() || scores(order[k + 1]) != scores(order[k])) steps.push_back({scores(order[k]), fp, tp});
  }
  return steps;
}

// From the steps of one sort. AUROC is the trapezoid area under the ROC steps, which counts a
// tied positive-negative pair one half (the Mann-Whitney statistic).
double auroc_of(const std::vector<Step>& steps, const ClassCounts& counts) {
  double area = 0.0;
  Index fp = 0, tp = 0;
  for (const Step& s : steps) {
    area += static_cast<double>(s.false_positives - fp) * 0.5 * static_cast<double>(s.true_positives + tp);
    fp = s.false_positives;
    tp = s.true_positives;
  }
  return area / (static_cast<double>(counts.positives) * static_cast<double>(counts.negatives));
}

double average_precision_of(const std::vector<Step>& steps, const ClassCounts& counts) {
  double ap = 0.0;
  Index previous_tp = 0;
  for (const Step& s : steps) {
    const double precision = static_cast<double>(s.true_positives) / static_cast<double>(s.true_positives + s.false_positives);
    ap += static_cast<double>(s.true_positives - previous_tp) / static_cast<double>(counts.positives) * precision;
    previous_tp = s.true_positives;
  }
  return ap;
}

double fpr_at_tpr_of(const std::vector<Step>& steps, const ClassCounts& counts, double tpr) {
  for (const Step& s : steps)
    if (static_cast<double>(s.true_positives) >= tpr * static_cast<double>(counts.positives))
      return static_cast<double>(s.false_positives) / static_cast<double>(counts.negatives);
  return 1.0;  // not reached: the last step flags everything
}

}  // namespace

double auroc(ConstVectorRef scores, const Labels& labels) {
  const ClassCounts counts = check_labels(scores, labels);
  return auroc_of(threshold_steps(scores, labels), counts);
}

double average_precision(ConstVectorRef scores, const Labels& labels) {
  const ClassCounts counts = check_labels(scores, labels);
  return average_precision_of(threshold_steps(scores, labels), counts);
}

double fpr_at_tpr(ConstVectorRef scores, const Labels& labels, double tpr) {
  const ClassCounts counts = check_labels(scores, labels);
  require(tpr > 0.0 && tpr <= 1.0, "fpr_at_tpr: the true-positive rate must be in (0, 1], got " + std::to_string(tpr));
  return fpr_at_tpr_of(threshold_steps(scores, labels), counts, tpr);
}

std::vector<RocPoint> roc_curve(ConstVectorRef scores, const Labels& labels) {
  const ClassCounts counts = check_labels(scores, labels);
  std::vector<RocPoint> curve{{std::numeric_limits<double>::infinity(), 0.0, 0.0}};
  for (const Step& s : threshold_steps(scores, labels))
    curve.push_back({s.threshold, static_cast<double>(s.false_positives) / static_cast<double>(counts.negatives),
                     static_cast<double>(s.true_positives) / static_cast<double>(counts.positives)});
  return curve;
}

DetectionMetrics evaluate_detection(ConstVectorRef scores, const Labels& labels, Index resamples, double confidence,
                                    const Rng& rng) {
  const ClassCounts counts = check_labels(scores, labels);
  std::vector<double> positive_scores, negative_scores;
  for (Index i = 0; i < scores.size(); ++i)
    (labels[static_cast<size_t>(i)] ? positive_scores : negative_scores).push_back(scores(i));
  Labels resampled_labels(positive_scores.size(), 1);
  resampled_labels.resize(labels.size(), 0);

  // One stratified resample (positives first, then negatives: the labels above), three metrics.
  auto replicate = [&](Rng& r, double* out) {
    Vector s(scores.size());
    Index k = 0;
    for (const std::vector<double>* group : {&positive_scores, &negative_scores})
      for (size_t i = 0; i < group->size(); ++i) s(k++) = (*group)[r.uniform_index(group->size())];
    const std::vector<Step> steps = threshold_steps(s, resampled_labels);
    out[0] = auroc_of(steps, counts);
    out[1] = average_precision_of(steps, counts);
    out[2] = fpr_at_tpr_of(steps, counts, 0.95);
  };
  const std::vector<Step> steps = threshold_steps(scores, labels);
  const std::vector<Interval> intervals = bootstrap_intervals(resamples, confidence, rng, 3, replicate);
  DetectionMetrics m;
  m.positives = counts.positives;
  m.negatives = counts.negatives;
  m.auroc = {auroc_of(steps, counts), intervals[0]};
  m.auprc = {average_precision_of(steps, counts), intervals[1]};
  m.fpr_at_95_tpr = {fpr_at_tpr_of(steps, counts, 0.95), intervals[2]};
  return m;
}

}  // namespace logp
