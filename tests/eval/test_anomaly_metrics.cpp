// Anomaly scores and detection metrics: AUROC against a direct pair count, AUPRC and the ROC
// curve against scikit-learn's values, bootstrap coverage, typicality and compressed length.
#include <catch2/catch.hpp>
#include <cmath>

#include "logp/core/error.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/eval/anomaly_scores.hpp"
#include "logp/eval/compressed_length.hpp"
#include "logp/eval/detection_metrics.hpp"
#include "logp/eval/typicality.hpp"
#include "logp/models/bernoulli/bernoulli.hpp"
#include "support/binary_data.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

Vector vec(std::initializer_list<double> values) {
  Vector v(static_cast<Index>(values.size()));
  Index i = 0;
  for (double x : values) v(i++) = x;
  return v;
}

// P(positive > negative) + 1/2 P(tie), by counting all pairs.
double pair_count_auroc(const Vector& scores, const Labels& labels) {
  double wins = 0.0, pairs = 0.0;
  for (Index i = 0; i < scores.size(); ++i)
    for (Index j = 0; j < scores.size(); ++j)
      if (labels[static_cast<size_t>(i)] == 1 && labels[static_cast<size_t>(j)] == 0) {
        pairs += 1.0;
        wins += scores(i) > scores(j) ? 1.0 : scores(i) == scores(j) ? 0.5 : 0.0;
      }
  return wins / pairs;
}

// A scoring model without a likelihood, as the autoencoder will be: score = sum of x.
class SumScoringModel : public ScoringModel {
 public:
  explicit SumScoringModel(DataSpec spec) : ScoringModel(std::move(spec)) {}
  std::string_view type() const override { return "sum-score"; }
  std::string hyperparameters() const override { return ""; }
  Index num_parameters() const override { return 0; }
  Matrix sample(Index, Rng&) const override { throw Error("sum-score: no sampling"); }
  void save(const H5Group&) const override {}
  std::string_view score_name() const override { return "sum"; }
  std::string_view score_unit() const override { return "ones"; }

 private:
  Vector score_impl(ConstMatrixRef x) const override { return x.cast<double>().colwise().sum().transpose(); }
};

}  // namespace

TEST_CASE("anomaly: AUROC equals the pair count, ties counted one half", "[anomaly]") {
  Rng rng(11);
  for (int trial = 0; trial < 20; ++trial) {
    const Index n = 30;
    Vector scores(n);
    Labels labels(static_cast<size_t>(n));
    for (Index i = 0; i < n; ++i) {
      labels[static_cast<size_t>(i)] = static_cast<std::uint8_t>(i % 3 == 0 ? 1 : rng.uniform_index(2));
      scores(i) = static_cast<double>(rng.uniform_index(5)) + labels[static_cast<size_t>(i)];  // many ties
    }
    labels[1] = 0;
    CHECK(auroc(scores, labels) == Approx(pair_count_auroc(scores, labels)).epsilon(1e-12));
  }
  CHECK(auroc(vec({1, 1, 1, 1}), {0, 1, 0, 1}) == 0.5);
  CHECK_THROWS_AS(auroc(vec({1, 2}), {1, 1}), Error);
  CHECK_THROWS_AS(auroc(vec({1, 2}), {1}), Error);
}

TEST_CASE("anomaly: AUPRC, ROC curve and FPR at 95% TPR match scikit-learn", "[anomaly]") {
  // sklearn.metrics.average_precision_score / roc_curve(drop_intermediate=False).
  CHECK(average_precision(vec({0.1, 0.4, 0.35, 0.8}), {0, 0, 1, 1}) == Approx(0.8333333333333333).epsilon(1e-12));
  const Vector scores = vec({0.9, 0.9, 0.5, 0.5, 0.5, 0.2, 0.95, 0.1});
  const Labels labels{1, 0, 1, 0, 0, 1, 1, 0};
  CHECK(average_precision(scores, labels) == Approx(0.6845238095238095).epsilon(1e-12));
  CHECK(auroc(scores, labels) == Approx(0.65625).epsilon(1e-12));
  const std::vector<RocPoint> roc = roc_curve(scores, labels);
  const std::vector<double> fpr{0, 0, 0.25, 0.75, 0.75, 1}, tpr{0, 0.25, 0.5, 0.75, 1, 1};
  REQUIRE(roc.size() == fpr.size());
  for (size_t k = 0; k < roc.size(); ++k) {
    CHECK(roc[k].fpr == Approx(fpr[k]));
    CHECK(roc[k].tpr == Approx(tpr[k]));
  }
  CHECK(std::isinf(roc[0].threshold));
  CHECK(roc[2].threshold == 0.9);
  CHECK(fpr_at_tpr(scores, labels, 0.95) == Approx(0.75));
  CHECK(fpr_at_tpr(scores, labels, 0.5) == Approx(0.25));
}

TEST_CASE("anomaly: AUROC bootstrap intervals cover the true AUROC at about the nominal rate", "[anomaly]") {
  // Positives N(1, 1), negatives N(0, 1): the true AUROC is Phi(1 / sqrt 2) = 0.76025.
  const double truth = 0.7602499389065233;
  Rng data_rng(99);
  const int trials = 150;
  int covered = 0;
  for (int trial = 0; trial < trials; ++trial) {
    const Index n = 80;
    Vector scores(n);
    Labels labels(static_cast<size_t>(n));
    for (Index i = 0; i < n; ++i) {
      labels[static_cast<size_t>(i)] = i < n / 2 ? 1 : 0;
      scores(i) = data_rng.normal() + labels[static_cast<size_t>(i)];
    }
    const DetectionMetrics m = evaluate_detection(scores, labels, 200, 0.90, Rng(static_cast<std::uint64_t>(trial)));
    if (m.auroc.interval.low <= truth && truth <= m.auroc.interval.high) ++covered;
    CHECK(m.auroc.interval.low <= m.auroc.value);
  }
  // Nominal 0.90; binomial sd of the rate 0.025.
  const double rate = static_cast<double>(covered) / trials;
  CHECK(rate > 0.80);
  CHECK(rate < 0.97);
}

TEST_CASE("anomaly: the typicality threshold flags shifted batches and few typical ones", "[anomaly]") {
  Rng rng(5);
  auto draw = [&](Index n, double mean) {
    Vector v(n);
    for (Index i = 0; i < n; ++i) v(i) = mean + 10.0 * rng.normal();
    return v;
  };
  const Vector train = draw(5000, 100.0), valid = draw(2000, 100.0), test_in = draw(2000, 100.0);
  const Vector test_out = draw(2000, 90.0);  // more likely than typical: lower NLL, still atypical
  const TypicalityThreshold t = fit_typicality(train, valid, 25, 2000, 0.05, Rng(1));
  CHECK(t.entropy == Approx(train.mean()));
  // sd of a batch mean is 10 / 5 = 2: epsilon near 1.96 * 2.
  CHECK(t.epsilon == Approx(3.92).margin(0.4));
  CHECK(fraction_flagged(test_in, t, 1000, Rng(2)) < 0.09);
  CHECK(fraction_flagged(test_out, t, 1000, Rng(3)) > 0.95);
  CHECK(typicality_flags(Vector::Constant(25, 100.0 + 2.0 * t.epsilon), t));
}

TEST_CASE("anomaly: PNG length is smaller for a flat image than for noise", "[anomaly]") {
  const DataSpec spec = discrete_spec(16 * 16, 2, {16, 16, 1});
  Matrix x(256, 2);
  x.col(0).setZero();
  x.col(1) = random_discrete(256, 1, 2, 4);
  const Vector bits = png_bits_per_dim(x, spec);
  CHECK(bits(0) > 0.0);
  CHECK(bits(0) < bits(1));
  CHECK_THROWS_AS(png_bits_per_dim(x, discrete_spec(256, 2)), Error);  // no image shape
}

TEST_CASE("anomaly: scores of a split: nll, likelihood ratio, complexity and a scoring model", "[anomaly]") {
  TempDir dir;
  const DataSpec spec = discrete_spec(36, 2, {6, 6, 1});
  const Matrix x = random_discrete(36, 300, 2, 12);
  DatasetWriter writer(dir.file("d.h5"), spec, {});
  writer.add_split("test", std::vector<std::uint8_t>(x.data(), x.data() + x.size()), {});
  writer.commit();
  const DatasetSplit data = DatasetSplit::open(dir.file("d.h5"), "test");
  const BernoulliModel model = BernoulliModel::fit(x.leftCols(150), spec, 1.0);
  const BernoulliModel background = BernoulliModel::fit(x.rightCols(150), spec, 1.0);
  const Vector nll = -model.log_prob(x);

  for (Index chunk : {7, 1000}) {
    const AnomalyScores s = anomaly_scores(AnomalyScoreKind::nll, model, nullptr, data, chunk);
    CHECK((s.scores - nll).cwiseAbs().maxCoeff() < 1e-9);
  }
  const AnomalyScores ratio = anomaly_scores(AnomalyScoreKind::likelihood_ratio, model, &background, data, 64);
  CHECK((ratio.scores - (nll + background.log_prob(x))).cwiseAbs().maxCoeff() < 1e-9);
  CHECK_THROWS_AS(anomaly_scores(AnomalyScoreKind::likelihood_ratio, model, nullptr, data, 64), Error);

  const AnomalyScores complexity = anomaly_scores(AnomalyScoreKind::complexity, model, nullptr, data, 64);
  const Vector expected = nll / (36.0 * std::log(2.0)) - png_bits_per_dim(x, spec);
  CHECK((complexity.scores - expected).cwiseAbs().maxCoeff() < 1e-9);
  CHECK(complexity.units == "bits/dim");

  // The path the autoencoder will take: a ScoringModel gives scores, and no likelihood-based score.
  const SumScoringModel scorer(spec);
  const AnomalyScores scored = anomaly_scores(AnomalyScoreKind::model_score, scorer, nullptr, data, 50);
  CHECK(scored.units == "ones");
  CHECK((scored.scores - x.cast<double>().colwise().sum().transpose()).cwiseAbs().maxCoeff() == 0.0);
  CHECK_THROWS_AS(anomaly_scores(AnomalyScoreKind::nll, scorer, nullptr, data, 50), Error);
  CHECK_THROWS_AS(anomaly_scores(AnomalyScoreKind::model_score, model, nullptr, data, 50), Error);
}
