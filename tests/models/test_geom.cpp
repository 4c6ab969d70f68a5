// GEOM (models/geom): the transformations checked directly, a toy problem with a known answer,
// 1 thread == 2 threads bit for bit, and save/load giving identical scores.
#include <tbb/global_control.h>

#include <catch2/catch.hpp>

#include "logp/core/error.hpp"
#include "logp/eval/detection_metrics.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/geom/geom_model.hpp"
#include "logp/models/geom/geometric_transforms.hpp"
#include "logp/models/registry.hpp"
#include "support/labelled_images.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using logp::testing::labelled_image_spec;
using logp::testing::make_labelled_images;

namespace {

// 3 x 3 x 2: channel 0 holds 0..8 in raster order, channel 1 the same plus 100.
VectorF numbered_image() {
  VectorF image(18);
  for (Index p = 0; p < 9; ++p) {
    image(2 * p) = static_cast<float>(p);
    image(2 * p + 1) = static_cast<float>(p + 100);
  }
  return image;
}

// The columns of x whose label is `label`.
Matrix of_class(const Matrix& x, const std::vector<std::int64_t>& labels, std::int64_t label) {
  std::vector<Index> keep;
  for (size_t j = 0; j < labels.size(); ++j)
    if (labels[j] == label) keep.push_back(static_cast<Index>(j));
  Matrix out(x.rows(), static_cast<Index>(keep.size()));
  for (size_t k = 0; k < keep.size(); ++k) out.col(static_cast<Index>(k)) = x.col(keep[k]);
  return out;
}

double auroc_of(const Vector& normal, const Vector& anomalous) {
  Vector scores(normal.size() + anomalous.size());
  scores << normal, anomalous;
  Labels labels(static_cast<size_t>(normal.size()), 0);
  labels.resize(static_cast<size_t>(scores.size()), 1);
  return auroc(scores, labels);
}

GeomOptions small_options() {
  GeomOptions options;
  options.network = {.channels1 = 4, .channels2 = 8, .features = 8, .epochs = 3,
                     .batch_size = 32, .shard_size = 8, .learning_rate = 3e-3, .seed = 2};
  return options;
}

}  // namespace

TEST_CASE("geometric transforms: quarter turns, flips and their compositions", "[geom]") {
  const VectorF image = numbered_image();
  // [[0,1,2],[3,4,5],[6,7,8]] turned counter-clockwise is [[2,5,8],[1,4,7],[0,3,6]].
  const VectorF turned = rotate_quarter(image, 3, 2);
  const std::vector<float> expected = {2, 5, 8, 1, 4, 7, 0, 3, 6};
  for (Index p = 0; p < 9; ++p) {
    CHECK(turned(2 * p) == expected[static_cast<size_t>(p)]);
    CHECK(turned(2 * p + 1) == expected[static_cast<size_t>(p)] + 100);  // channels travel with their pixel
  }
  CHECK(flip_horizontal(image, 3, 2)(0) == 2.0f);
  VectorF four = image;
  for (int k = 0; k < 4; ++k) four = rotate_quarter(four, 3, 2);
  CHECK(four == image);
  CHECK(flip_horizontal(flip_horizontal(image, 3, 2), 3, 2) == image);
  CHECK(geometric_transform(image, 3, 2, 0) == image);
  // The eight transformations of a non-symmetric image are eight different images.
  for (Index s = 0; s < 8; ++s)
    for (Index t = s + 1; t < 8; ++t)
      CHECK(geometric_transform(image, 3, 2, s) != geometric_transform(image, 3, 2, t));
  const DataSpec spec{DataKind::real, 0, 18, {3, 3, 2}};
  const Matrix all = all_geometric_transforms(image, spec, 8);
  REQUIRE(all.cols() == 8);
  CHECK(VectorF(all.col(5)) == rotate_quarter(flip_horizontal(image, 3, 2), 3, 2));
  CHECK_THROWS_WITH(check_geometric_transforms(DataSpec{DataKind::binary, 2, 6, {2, 3, 1}}, 8),
                    Catch::Contains("square images"));
  CHECK_THROWS_WITH(check_geometric_transforms(spec, 5), Catch::Contains("transforms = 5"));
}

TEST_CASE("geom: finds another class, not the normal one, thread-count independent, saves", "[geom]") {
  Matrix train_all, test_all;
  std::vector<std::int64_t> train_labels, test_labels;
  make_labelled_images(900, 1, train_all, train_labels);
  make_labelled_images(600, 2, test_all, test_labels);
  const Matrix normal = of_class(train_all, train_labels, 0);  // ink in the top half
  const Matrix test_normal = of_class(test_all, test_labels, 0), test_other = of_class(test_all, test_labels, 2);
  std::ostringstream log;
  const auto fitted = [&](int threads) {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
    return GeomModel::fit(normal, labelled_image_spec(), small_options(), log);
  };
  std::unique_ptr<GeomModel> model = fitted(1);
  const std::unique_ptr<GeomModel> two = fitted(2);
  const GeomModel::Parts normal_parts = model->parts(test_normal), other_parts = model->parts(test_other);
  const GeomModel::Parts two_parts = two->parts(test_other);
  CHECK(two_parts.geom == other_parts.geom);
  CHECK(two_parts.feature_density == other_parts.feature_density);
  // Left-half ink is the normal class turned a quarter: every score sees it; the normal class's
  // own unseen examples are as normal as its training examples.
  CHECK(auroc_of(normal_parts.geom, other_parts.geom) > 0.8);
  CHECK(auroc_of(normal_parts.feature_density, other_parts.feature_density) > 0.8);
  CHECK(auroc_of(model->score(test_normal), model->score(test_other)) > 0.8);
  const double same = auroc_of(model->parts(normal.leftCols(150)).geom, normal_parts.geom);
  CHECK(same > 0.3);
  CHECK(same < 0.7);
  // combined = standardized geom + standardized feature density (scores are larger = worse).
  CHECK(model->score_name() == "geom_combined");
  model->select_score("geom");
  CHECK(model->score(test_other) == other_parts.geom);
  CHECK(model->score(test_other.leftCols(5)) == other_parts.geom.head(5));  // alone or in a batch: the same
  model->select_score("feature-density");
  CHECK(model->score(test_other) == other_parts.feature_density);
  CHECK_THROWS_WITH(model->select_score("nll"), Catch::Contains("not one of geom's scores"));
  CHECK_THROWS_WITH(model->sample(1, *std::make_unique<Rng>(0)), Catch::Contains("no distribution"));

  logp::testing::TempDir dir;
  {
    const H5File file = H5File::create(dir.file("m.h5"));
    model->save(file.root().create_group("model"));
    file.flush();
  }
  const H5File file = H5File::open(dir.file("m.h5"));
  const std::unique_ptr<Model> loaded = load_model_of_type("geom", file.root().group("model"), labelled_image_spec());
  const auto& scoring = dynamic_cast<const ScoringModel&>(*loaded);
  CHECK(scoring.score_name() == "feature_density");  // the selected score is saved
  CHECK(scoring.score(test_other) == other_parts.feature_density);
  CHECK(loaded->num_parameters() == model->num_parameters());
  CHECK_THROWS_WITH(GeomModel::fit(normal.leftCols(1), labelled_image_spec(), small_options(), log),
                    Catch::Contains("at least 2"));
}
