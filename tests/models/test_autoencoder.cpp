#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <cmath>

#include "logp/core/error.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/autoencoder/autoencoder.hpp"
#include "logp/train/trainer.hpp"
#include "support/binary_data.hpp"
#include "support/dataset_file.hpp"
#include "support/gradient_check.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

AutoencoderModel tiny_autoencoder(const DataSpec& spec, std::uint64_t seed) {
  AutoencoderOptions options;
  options.hidden = {6, 4};
  options.code = 2;
  options.activation = Activation::tanh;
  AutoencoderModel model(spec, options);
  Rng rng(seed);
  model.initialize(rng);
  for (float& v : model.parameters().values())
    if (v == 0.0f) v = static_cast<float>(0.3 * rng.normal());
  return model;
}

}  // namespace

TEST_CASE("autoencoder: the reconstruction-loss gradient matches central differences in double",
          "[autoencoder][gradient]") {
  for (const DataSpec& spec : {discrete_spec(7, 2), DataSpec{DataKind::real, 0, 5, {}}}) {
    const AutoencoderModel model = tiny_autoencoder(spec, 3);
    const AutoencoderModel& net = model;
    Rng rng(4);
    MatrixD x = random_discrete(spec.dim, 5, 2, 8).cast<double>();
    if (spec.kind == DataKind::real)
      for (Index k = 0; k < x.size(); ++k) x.data()[k] = rng.normal();
    const Objective f = [&](const Eigen::VectorXd& theta, Eigen::Ref<Eigen::VectorXd> grad) {
      ad::BasicTape<double> tape;
      const ad::BasicVar<double> loss =
          autoencoder_loss<double>(tape, net.network(), net.parameters().blocks(),
                                   std::span<const double>(theta.data(), theta.size()),
                                   std::span<double>(grad.data(), grad.size()), x);
      tape.backward(loss);
      return loss.value()(0, 0);
    };
    const std::span<const float> v = net.parameters().values();
    const Eigen::VectorXd theta = Eigen::Map<const VectorF>(v.data(), static_cast<Index>(v.size())).cast<double>();
    const GradientCheck check = check_gradient(f, theta);
    INFO(spec.describe() << ": worst entry " << check.worst);
    CHECK(check.max_abs_error < 1e-6 * std::max(1.0, check.max_scale));
    // The float training objective is the sum of the per-example scores.
    std::vector<float> grad(static_cast<std::size_t>(net.parameters().size()), 0.0f);
    const Matrix xf = x.cast<float>();
    CHECK(net.objective_and_grad(xf, rng, grad) == Approx(model.score(xf).sum()).epsilon(1e-5));
  }
}

TEST_CASE("autoencoder: the score is the reconstruction error computed by hand", "[autoencoder]") {
  const AutoencoderModel model = tiny_autoencoder(discrete_spec(6, 2), 9);
  const Matrix x = random_discrete(6, 4, 2, 1);
  const Matrix code = model.encode(x);
  const Matrix logits = model.network().decoder.forward(model.parameters(), code);
  const Vector scores = model.score(x);
  for (Index j = 0; j < x.cols(); ++j) {
    double expected = 0.0;  // Bernoulli cross-entropy, nats
    for (Index i = 0; i < 6; ++i) {
      const double l = logits(i, j);
      expected += std::log1p(std::exp(l)) - x(i, j) * l;
    }
    CHECK(scores(j) == Approx(expected).epsilon(1e-5));
  }
  CHECK(model.score_name() == "reconstruction_error");
  CHECK_THAT(std::string(model.score_unit()), Catch::Contains("cross-entropy"));
  Rng rng(1);
  CHECK_THROWS_WITH(model.sample(3, rng), Catch::Contains("no distribution"));
}

TEST_CASE("autoencoder: training lowers the reconstruction error, bit-identical for 1 and 2 threads",
          "[autoencoder][threads]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 120, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  const auto trained = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    AutoencoderModel model = tiny_autoencoder(discrete_spec(10, 2), 2);
    TrainOptions options;
    options.batch_size = 20;
    options.shard_size = 5;
    options.max_epochs = 5;
    options.seed = 1;
    options.optimizer.learning_rate = 0.02;
    train_model(model, train, &valid, options);
    return model;
  };
  const AutoencoderModel one = trained(1);
  CHECK(trained(2).parameters().copy_values() == one.parameters().copy_values());
  const Matrix x = valid.read_all();
  CHECK(one.score(x).mean() < tiny_autoencoder(discrete_spec(10, 2), 2).score(x).mean());

  save_model(one, FitRecord{}, dir.file("ae.h5"));
  const std::unique_ptr<Model> loaded = load_model(dir.file("ae.h5"));
  const auto* scoring = dynamic_cast<const ScoringModel*>(loaded.get());
  REQUIRE(scoring != nullptr);
  CHECK(scoring->score(x) == one.score(x));
  CHECK_THROWS_WITH(load_density_model(dir.file("ae.h5")), Catch::Contains("no likelihood"));
}
