#include <catch2/catch.hpp>
#include <cmath>

#include "logp/core/error.hpp"
#include "logp/core/example_rng.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/classic/gaussian.hpp"
#include "logp/models/transformed/transformed.hpp"
#include "support/binary_data.hpp"
#include "support/dataset_file.hpp"
#include "support/real_data.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

TransformOptions logit_standardize() {
  TransformOptions o;
  o.logit = true;
  o.logit_alpha = 0.01;
  o.standardize = true;
  return o;
}

std::unique_ptr<TransformedModel> fit_wrapped_gaussian(const DatasetSplit& train, const TransformOptions& o) {
  const DataTransform transform = DataTransform::fit(o, train);
  auto inner = std::make_unique<GaussianModel>(
      GaussianModel::fit(transform.forward_split(train), transform.output_spec(), 0.0));
  return std::make_unique<TransformedModel>(transform, std::move(inner));
}

}  // namespace

TEST_CASE("transform: log|dz/dv| of logit + standardize matches central differences", "[transform]") {
  TempDir dir;
  const std::string file = write_real_dataset(dir.file("d.h5"), random_real(3, 50, 1, 0.0, 1.0),
                                              random_real(3, 5, 2), random_real(3, 5, 3));
  const DataTransform t = DataTransform::fit(logit_standardize(), DatasetSplit::open(file, "train"));
  for (Index i = 0; i < 3; ++i) {
    for (double v : {1e-4, 0.03, 0.5, 0.77, 0.9999}) {
      double log_derivative = 0.0, ignored = 0.0;
      t.forward_value(i, v, &log_derivative);
      const double h = 1e-7 * std::min(v, 1.0 - v);
      const double numeric = (t.forward_value(i, v + h, &ignored) - t.forward_value(i, v - h, &ignored)) / (2 * h);
      CHECK(log_derivative == Approx(std::log(std::abs(numeric))).epsilon(1e-6));
    }
  }
}

TEST_CASE("transform: a 1-D density through logit + standardize integrates to 1 over (0, 1)", "[transform]") {
  TempDir dir;
  const std::string file = write_real_dataset(dir.file("d.h5"), random_real(1, 200, 4, 0.2, 0.9),
                                              random_real(1, 5, 5), random_real(1, 5, 6));
  const auto model = fit_wrapped_gaussian(DatasetSplit::open(file, "train"), logit_standardize());
  const Index steps = 400000;  // midpoint rule
  Matrix grid(1, steps);
  for (Index j = 0; j < steps; ++j) grid(0, j) = static_cast<float>((static_cast<double>(j) + 0.5) / steps);
  const double total = model->log_prob(grid).array().exp().sum() / static_cast<double>(steps);
  CHECK(total == Approx(1.0).epsilon(1e-4));
}

TEST_CASE("transform: standardization's Jacobian makes a wrapped Gaussian equal the plain one", "[transform]") {
  // A full-covariance Gaussian is affine-equivariant: fitting it to standardized data and adding
  // log|det| must give exactly the Gaussian fitted on the original scale.
  TempDir dir;
  Matrix train = random_real(4, 300, 7, -3.0, 3.0);
  train.row(1) = 1000.0f * train.row(1) + 5.0f * train.row(0);  // scales and correlation
  const std::string file = write_real_dataset(dir.file("d.h5"), train, random_real(4, 5, 8), random_real(4, 20, 9));
  TransformOptions o;
  o.standardize = true;
  const auto wrapped = fit_wrapped_gaussian(DatasetSplit::open(file, "train"), o);
  const GaussianModel plain = GaussianModel::fit(train, real_spec(4), 0.0);
  const Matrix test = DatasetSplit::open(file, "test").read_all();
  const Vector a = wrapped->log_prob(test), b = plain.log_prob(test);
  // z is float32, so the two agree to float precision (1e-7 relative), not to double precision.
  for (Index j = 0; j < test.cols(); ++j) CHECK(a(j) == Approx(b(j)).epsilon(1e-6));
  CHECK(wrapped->likelihood_kind() == LikelihoodKind::exact);
  CHECK(wrapped->hyperparameters().find("log-Jacobian included") != std::string::npos);
}

TEST_CASE("transform: dequantization is one reproducible draw with -D ln L, parallel == serial", "[transform]") {
  TempDir dir;
  const std::string file = write_discrete_dataset(dir.file("d.h5"), 5, 300, 256);
  TransformOptions o;
  o.dequantize = true;
  o.dequantize_seed = 42;
  const DatasetSplit train = DatasetSplit::open(file, "train");
  const auto model = fit_wrapped_gaussian(train, o);
  CHECK(model->likelihood_kind() == LikelihoodKind::lower_bound);
  const Matrix x = DatasetSplit::open(file, "test").read_all();
  const Vector serial = model->log_prob(x);
  CHECK((parallel_log_prob(*model, x, 7).array() == serial.array()).all());
  CHECK(model->log_prob(x.col(3))(0) == serial(3));  // independent of the batch around it
  // By hand: v = (x + u) / 256 with u from example_rng(42, x), and -5 ln 256.
  Rng u = example_rng(42, x.col(3).data(), 5);
  Matrix v(5, 1);
  for (Index i = 0; i < 5; ++i) v(i, 0) = static_cast<float>((x(i, 3) + u.uniform()) / 256.0);
  CHECK(serial(3) == Approx(model->inner().log_prob(v)(0) - 5 * std::log(256.0)).epsilon(1e-12));
  // Samples map back to valid 8-bit values.
  Rng rng(3);
  const Matrix samples = model->sample(50, rng);
  CHECK((samples.array() >= 0).all());
  CHECK((samples.array() <= 255).all());
  CHECK((samples.array() == samples.array().floor()).all());
}

TEST_CASE("transform: inverse undoes forward", "[transform]") {
  TempDir dir;
  const std::string file = write_real_dataset(dir.file("d.h5"), random_real(3, 40, 10), random_real(3, 5, 11),
                                              random_real(3, 5, 12));
  const DataTransform t = DataTransform::fit(logit_standardize(), DatasetSplit::open(file, "train"));
  const Matrix x = random_real(3, 20, 13, 0.01, 0.99);
  Vector log_det;
  const Matrix back = t.inverse(t.forward(x, log_det));
  CHECK((back - x).cwiseAbs().maxCoeff() < 1e-5f);
}

TEST_CASE("transform: save and load give identical log-likelihoods", "[transform]") {
  TempDir dir;
  const std::string file = write_real_dataset(dir.file("d.h5"), random_real(3, 100, 14), random_real(3, 5, 15),
                                              random_real(3, 30, 16));
  const auto model = fit_wrapped_gaussian(DatasetSplit::open(file, "train"), logit_standardize());
  save_model(*model, FitRecord{file, "train", 100, 0.0, "test", utc_now_iso8601()}, dir.file("m.h5"));
  const std::unique_ptr<DensityModel> loaded = load_density_model(dir.file("m.h5"));
  CHECK(loaded->type() == "transformed");
  const Matrix test = DatasetSplit::open(file, "test").read_all();
  CHECK((loaded->log_prob(test).array() == model->log_prob(test).array()).all());
  CHECK(loaded->hyperparameters() == model->hyperparameters());
}

TEST_CASE("transform: bad input is refused with a clear error", "[transform]") {
  TempDir dir;
  Matrix train = random_real(3, 50, 17, 0.0, 2.0);  // values above 1: no logit
  const std::string wide = write_real_dataset(dir.file("wide.h5"), train, random_real(3, 5, 18), random_real(3, 5, 19));
  TransformOptions logit;
  logit.logit = true;
  const DatasetSplit wide_train = DatasetSplit::open(wide, "train");
  CHECK_THROWS_WITH(DataTransform::fit(logit, wide_train).forward_split(wide_train),
                    Catch::Contains("--logit needs values in [0, 1]"));
  train.row(2).setConstant(4.0f);
  const std::string flat = write_real_dataset(dir.file("flat.h5"), train, random_real(3, 5, 18), random_real(3, 5, 19));
  TransformOptions standardize;
  standardize.standardize = true;
  CHECK_THROWS_WITH(DataTransform::fit(standardize, DatasetSplit::open(flat, "train")),
                    Catch::Contains("dimension 2 is constant") && Catch::Contains("--min-std"));
  standardize.min_std = 1e-3;
  CHECK_NOTHROW(DataTransform::fit(standardize, DatasetSplit::open(flat, "train")));
  const std::string bytes = write_discrete_dataset(dir.file("bytes.h5"), 3, 10, 256);
  CHECK_THROWS_WITH(DataTransform::fit(TransformOptions{}, DatasetSplit::open(bytes, "train")),
                    Catch::Contains("needs real data or --dequantize"));
  TransformOptions dequantize;
  dequantize.dequantize = true;
  CHECK_THROWS_WITH(DataTransform::fit(dequantize, DatasetSplit::open(flat, "train")),
                    Catch::Contains("--dequantize is for discrete data"));
}
