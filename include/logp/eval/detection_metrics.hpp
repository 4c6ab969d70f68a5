#pragma once
// How well anomaly scores separate anomalies from normal examples.
// scores: N values, larger = more anomalous. labels: N values, 1 = anomaly (positive), 0 = normal.
// Ties between a positive and a negative count one half (AUROC) and tied scores form a single
// threshold (ROC, precision-recall), so no result depends on the order of tied examples.
#include <cstdint>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/eval/bootstrap.hpp"

namespace logp {

using Labels = std::vector<std::uint8_t>;

// P(score of a random positive > score of a random negative) + 1/2 P(equal): the area under
// the ROC steps by trapezoids, which is the Mann-Whitney statistic with ties counted one half.
double auroc(ConstVectorRef scores, const Labels& labels);
// Average precision: sum over thresholds of (recall_k - recall_{k-1}) * precision_k.
double average_precision(ConstVectorRef scores, const Labels& labels);
// The false-positive rate at the highest threshold whose true-positive rate is >= tpr.
double fpr_at_tpr(ConstVectorRef scores, const Labels& labels, double tpr = 0.95);

struct RocPoint {
  double threshold;  // flagged: score >= threshold (the first point is +inf: nothing flagged)
  double fpr;
  double tpr;
};
std::vector<RocPoint> roc_curve(ConstVectorRef scores, const Labels& labels);

struct MetricWithInterval {
  double value = 0.0;
  Interval interval;  // percentile bootstrap
};
struct DetectionMetrics {
  Index positives = 0;
  Index negatives = 0;
  MetricWithInterval auroc;
  MetricWithInterval auprc;
  MetricWithInterval fpr_at_95_tpr;
};
// All three metrics with bootstrap intervals. Resampling is stratified (positives and negatives
// resampled separately, keeping their counts), so every replicate has both classes.
DetectionMetrics evaluate_detection(ConstVectorRef scores, const Labels& labels, Index resamples, double confidence,
                                    const Rng& rng);

}  // namespace logp
