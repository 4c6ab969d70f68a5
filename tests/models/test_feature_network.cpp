// The domain feature network (models/features): learns a separable labelling, its features are
// deterministic for any thread count, and save/load gives the same features.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "logp/core/error.hpp"
#include "logp/core/rng.hpp"
#include "logp/models/features/feature_network.hpp"
#include "support/labelled_images.hpp"
#include "support/temp_dir.hpp"

using namespace logp;

using logp::testing::labelled_image_spec;
using logp::testing::make_labelled_images;

TEST_CASE("feature network: learns, is thread-count independent, and saves", "[feature-network]") {
  Matrix train, test;
  std::vector<std::int64_t> train_labels, test_labels;
  make_labelled_images(600, 1, train, train_labels);
  make_labelled_images(300, 2, test, test_labels);
  const FeatureNetworkOptions options{.channels1 = 4, .channels2 = 8, .features = 16, .epochs = 4,
                                      .batch_size = 32, .shard_size = 8, .learning_rate = 3e-3, .seed = 5};
  const auto trained = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    FeatureNetwork network(labelled_image_spec(), 3, options);
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
  // A column's features do not depend on N or on its neighbours (fixed-width, padded blocks).
  CHECK(one.features(test.middleCols(100, 1)) == features.col(100));
  CHECK(one.features(test.rightCols(45)) == features.rightCols(45));

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
