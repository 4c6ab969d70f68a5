#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "logp/data/dataset_writer.hpp"
#include "logp/eval/score.hpp"
#include "logp/models/bernoulli/bernoulli.hpp"
#include "support/binary_data.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

Vector with_threads(int threads, const DensityModel& model, const Matrix& x, Index block) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  return parallel_log_prob(model, x, block);
}

}  // namespace

TEST_CASE("score: parallel log_prob equals serial for any thread count and block", "[score]") {
  const Matrix x = random_discrete(37, 1001, 2, 5);
  const BernoulliModel model = BernoulliModel::fit(x, discrete_spec(37, 2), 1.0);
  const Vector serial = model.log_prob(x);
  for (int threads : {1, 2, 4})
    for (Index block : {1, 13, 128, 5000}) CHECK(with_threads(threads, model, x, block) == serial);
}

TEST_CASE("score: the summary is the mean NLL with std/sqrt(N) and bits/dim", "[score]") {
  Vector lp(4);
  lp << -1.0, -2.0, -3.0, -6.0;  // NLL mean 3, sample variance (4 + 1 + 0 + 9) / 3
  LikelihoodAccumulator acc;
  acc.add(lp.head(1));
  acc.add(lp.tail(3));
  const LikelihoodSummary s = acc.summary(2, LikelihoodKind::exact);
  CHECK(s.n == 4);
  CHECK(s.mean_nll == Approx(3.0).epsilon(1e-15));
  CHECK(s.std_error == Approx(std::sqrt(14.0 / 3.0 / 4.0)).epsilon(1e-14));
  CHECK(s.bits_per_dim == Approx(3.0 / (2.0 * std::log(2.0))).epsilon(1e-14));
}

TEST_CASE("score: streaming a file in chunks gives the in-memory answer, in input order", "[score]") {
  TempDir dir;
  const Index d = 9, n = 500;
  const Matrix x = random_discrete(d, n, 2, 9);
  std::vector<std::uint8_t> rows(static_cast<size_t>(d * n));
  for (Index k = 0; k < d * n; ++k) rows[static_cast<size_t>(k)] = static_cast<std::uint8_t>(x.data()[k]);
  DatasetWriter writer(dir.file("d.h5"), discrete_spec(d, 2), {});
  writer.add_split("test", rows, {});
  writer.commit();

  const BernoulliModel model = BernoulliModel::fit(x, discrete_spec(d, 2), 1.0);
  const Vector expected = model.log_prob(x);
  const DatasetSplit split = DatasetSplit::open(dir.file("d.h5"), "test");
  for (Index chunk : {1, 7, 64, 1000}) {
    Vector streamed(n);
    Index next = 0;
    const LikelihoodSummary s = score_split(model, split, chunk, [&](Index first, const Vector& lp) {
      CHECK(first == next);
      streamed.segment(first, lp.size()) = lp;
      next += lp.size();
    });
    CHECK(next == n);
    CHECK(streamed == expected);
    CHECK(s.mean_nll == Approx(-expected.mean()).epsilon(1e-12));
  }
}

TEST_CASE("score: data of another D or kind is refused, naming the data", "[score][errors]") {
  TempDir dir;
  DatasetWriter writer(dir.file("d.h5"), discrete_spec(3, 4), {});
  writer.add_split("test", std::vector<std::uint8_t>{0, 1, 3, 2, 2, 1}, {});
  writer.commit();
  const DatasetSplit split = DatasetSplit::open(dir.file("d.h5"), "test");
  const BernoulliModel wrong_kind = BernoulliModel::fit(Matrix::Zero(3, 2), discrete_spec(3, 2), 1.0);
  CHECK_THROWS_WITH(score_split(wrong_kind, split, 10, nullptr),
                    Catch::Contains("d.h5:/test/x") && Catch::Contains("categorical"));
  const BernoulliModel wrong_dim = BernoulliModel::fit(Matrix::Zero(4, 2), discrete_spec(4, 2), 1.0);
  CHECK_THROWS_WITH(score_split(wrong_dim, split, 10, nullptr), Catch::Contains("D=3") && Catch::Contains("D=4"));
}

TEST_CASE("score: the standard error of one value is undefined (NaN), never 0", "[score]") {
  Vector lp(1);
  lp << -2.0;
  const LikelihoodSummary s = summarize_log_probs(lp, 3, LikelihoodKind::exact);
  CHECK(s.n == 1);
  CHECK(s.mean_nll == 2.0);
  CHECK(std::isnan(s.std_error));
  CHECK(std::isnan(s.bits_per_dim_se));
  CHECK(std::isnan(summarize_scores(lp).std_error));
}

TEST_CASE("score: an empty split is refused, naming it, not summarized as NLL 0", "[score][errors]") {
  TempDir dir;
  const std::string path = dir.file("empty.h5");
  DatasetWriter writer(path, discrete_spec(4, 2), {{"source", "test"}});
  writer.add_split("train", std::vector<std::uint8_t>{0, 1, 1, 0}, {});
  writer.add_split("test", std::vector<std::uint8_t>{}, {});
  writer.commit();
  const BernoulliModel model = BernoulliModel::fit(DatasetSplit::open(path, "train"), 1.0);
  const DatasetSplit empty = DatasetSplit::open(path, "test");
  CHECK_THROWS_WITH(score_split(model, empty, 100, nullptr),
                    Catch::Equals(empty.where() + ": the split is empty (N = 0); there is nothing to score"));
  CHECK_THROWS_WITH(score_values(model, empty, 100), Catch::Contains("the split is empty"));
}
