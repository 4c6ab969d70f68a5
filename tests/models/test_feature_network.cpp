// The domain feature network (models/features): learns a separable labelling, its features are
// deterministic for any thread count, and save/load gives the same features.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"
#include "logp/models/features/feature_network.hpp"
#include "support/temp_dir.hpp"

using namespace logp;

namespace {

// 8 x 8 binary images: class 0 has its ink mostly in the top half, class 1 in the bottom half,
// class 2 in the left half (pixels on with probability 0.7 there and 0.1 elsewhere).
void make_images(Index n, std::uint64_t seed, Matrix& x, std::vector<std::int64_t>& labels) {
  Rng rng(seed);
  x.resize(64, n);
  labels.resize(static_cast<size_t>(n));
  for (Index j = 0; j < n; ++j) {
    const std::int64_t label = static_cast<std::int64_t>(rng.uniform_index(3));
    labels[static_cast<size_t>(j)] = label;
    for (Index y = 0; y < 8; ++y)
      for (Index c = 0; c < 8; ++c) {
        const bool inked = label == 0 ? y < 4 : label == 1 ? y >= 4 : c < 4;
        x(y * 8 + c, j) = rng.uniform() < (inked ? 0.7 : 0.1) ? 1.0f : 0.0f;
      }
  }
}

DataSpec image_spec() { return DataSpec{DataKind::binary, 2, 64, {8, 8, 1}}; }

}  // namespace

TEST_CASE("feature network: learns, is thread-count independent, and saves", "[feature-network]") {
  Matrix train, test;
  std::vector<std::int64_t> train_labels, test_labels;
  make_images(600, 1, train, train_labels);
  make_images(300, 2, test, test_labels);
  const FeatureNetworkOptions options{.channels1 = 4, .channels2 = 8, .features = 16, .epochs = 4,
                                      .batch_size = 32, .shard_size = 8, .learning_rate = 3e-3, .seed = 5};
  const auto trained = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    FeatureNetwork network(image_spec(), 3, options);
    CHECK(network.accuracy(test, test_labels) < 0.6);  // untrained: about chance (1/3)
    std::vector<double> losses;
    network.train(train, train_labels, [&](int, double loss) { losses.push_back(loss); });
    REQUIRE(losses.size() == 4);
    CHECK(losses.back() < losses.front());
    return network;
  };
  FeatureNetwork one = trained(1);
  const FeatureNetwork two = trained(2);
  CHECK(one.accuracy(test, test_labels) > 0.9);
  const MatrixD features = one.features(test);
  CHECK(features.rows() == 16);
  CHECK(features.cols() == 300);
  CHECK(features.minCoeff() >= 0.0);  // relu
  CHECK(features == two.features(test));

  logp::testing::TempDir dir;
  one.set_record({.data_file = "images.h5", .train_examples = 600, .test_examples = 300,
                  .test_accuracy = one.accuracy(test, test_labels), .seconds = 1.0});
  one.save(dir.file("net.h5"));
  const FeatureNetwork loaded = FeatureNetwork::load(dir.file("net.h5"));
  CHECK(loaded.features(test) == features);
  CHECK(loaded.record().test_accuracy == one.record().test_accuracy);
  CHECK(loaded.describe().find("not comparable with Inception") != std::string::npos);
  CHECK_THROWS_AS(FeatureNetwork(DataSpec{DataKind::binary, 2, 64, {}}, 3, options), Error);  // not an image
  std::vector<std::int64_t> bad = train_labels;
  bad[0] = 7;
  CHECK_THROWS_AS(one.train(train, bad), Error);
}
