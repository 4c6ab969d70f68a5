#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/h5.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/markov/markov.hpp"
#include "support/binary_data.hpp"
#include "support/enumerate.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

MarkovOptions order_options(int order, double alpha = 1.0, bool tied = false) {
  MarkovOptions options;
  options.order = order;
  options.alpha = alpha;
  options.tied = tied;
  return options;
}

MarkovOptions template_options(const std::string& context, double alpha = 1.0, bool tied = false) {
  MarkovOptions options = order_options(0, alpha, tied);
  options.context = parse_context(context);
  return options;
}

MarkovOptions sparse(MarkovOptions options) {
  options.dense_limit = 0;  // every table is "too large": forces the sparse path
  return options;
}

// 5 hand-made binary examples of D = 3 (columns).
Matrix five_examples() {
  Matrix x(3, 5);
  x << 0, 1, 1, 1, 0,
       0, 1, 0, 1, 1,
       1, 1, 0, 0, 1;
  return x;
}

// Checks normalization by enumeration and that dense and sparse storage agree bit for bit.
void check_normalized(const Matrix& data, const DataSpec& spec, const MarkovOptions& options) {
  const MarkovModel dense = MarkovModel::fit(data, spec, options);
  const MarkovModel sparse_model = MarkovModel::fit(data, spec, sparse(options));
  INFO(dense.hyperparameters() << " on " << spec.describe());
  CHECK(dense.storage() == "dense");
  CHECK(sparse_model.storage() == "sparse");
  CHECK(std::abs(total_probability(dense) - 1.0) < 1e-9);
  CHECK(std::abs(total_probability(sparse_model) - 1.0) < 1e-9);
  const Matrix all = all_examples(spec.dim, spec.levels);
  CHECK(dense.log_prob(all) == sparse_model.log_prob(all));
}

// Chi-square statistic of the sample frequencies of all 2^3 configurations against exp(log_prob).
double chi_square_of_samples(const MarkovModel& model, Index n, std::uint64_t seed) {
  Rng rng(seed);
  const Matrix s = model.sample(n, rng);
  Vector observed = Vector::Zero(8);
  for (Index j = 0; j < n; ++j)
    observed(static_cast<Index>(s(0, j) + 2 * s(1, j) + 4 * s(2, j))) += 1.0;  // all_examples order
  const Vector expected = model.log_prob(all_examples(3, 2)).array().exp() * static_cast<double>(n);
  return ((observed - expected).array().square() / expected.array()).sum();
}

}  // namespace

TEST_CASE("markov: exp(log_prob) sums to 1 for binary chains of order 0..3", "[markov][normalization]") {
  const Matrix data = random_discrete(10, 40, 2, 5);
  for (int order = 0; order <= 3; ++order)
    for (bool tied : {false, true})
      for (double alpha : {0.1, 1.0}) check_normalized(data, discrete_spec(10, 2), order_options(order, alpha, tied));
}

TEST_CASE("markov: exp(log_prob) sums to 1 for categorical chains", "[markov][normalization]") {
  const Matrix data = random_discrete(6, 30, 3, 9);
  for (int order : {1, 2})
    for (bool tied : {false, true}) check_normalized(data, discrete_spec(6, 3), order_options(order, 0.5, tied));
}

TEST_CASE("markov: exp(log_prob) sums to 1 for an image template", "[markov][normalization]") {
  const Matrix data = random_discrete(12, 60, 2, 13);
  const DataSpec spec = discrete_spec(12, 2, {3, 4, 1});
  for (bool tied : {false, true}) {
    check_normalized(data, spec, template_options("left,up,up-left,up-right", 1.0, tied));
    check_normalized(data, spec, template_options("-2:0,0:-2,-1:2", 0.3, tied));
  }
}

TEST_CASE("markov: 256 levels use sparse tables by default and stay normalized", "[markov][normalization]") {
  // 2 x 257^2 x 256 cells is above the dense limit.
  const Matrix data = random_discrete(2, 200, 256, 21);
  const MarkovModel model = MarkovModel::fit(data, discrete_spec(2, 256), order_options(2, 0.7));
  CHECK(model.storage() == "sparse");
  CHECK(std::abs(total_probability(model) - 1.0) < 1e-9);
  // Order 1 fits in a dense table; both must give the same numbers.
  const MarkovModel order1 = MarkovModel::fit(data, discrete_spec(2, 256), order_options(1, 0.7));
  CHECK(order1.storage() == "dense");
  CHECK(std::abs(total_probability(order1) - 1.0) < 1e-9);
}

TEST_CASE("markov: fitted conditionals are the smoothed counts", "[markov]") {
  const Matrix x = five_examples();
  const DataSpec spec = discrete_spec(3, 2);
  for (bool use_sparse : {false, true}) {
    const MarkovOptions options = order_options(1, 0.5);
    const MarkovModel model = MarkovModel::fit(x, spec, use_sparse ? sparse(options) : options);
    // p(v | c) = (n(c, v) + 0.5) / (n(c) + 1); 2 is the padding value before pixel 0.
    CHECK(model.conditional(0, {2}, 1) == Approx(3.5 / 6.0).epsilon(1e-15));
    CHECK(model.conditional(1, {1}, 1) == Approx(2.5 / 4.0).epsilon(1e-15));
    CHECK(model.conditional(1, {0}, 1) == Approx(1.5 / 3.0).epsilon(1e-15));
    CHECK(model.conditional(1, {0}, 0) == Approx(1.5 / 3.0).epsilon(1e-15));
    CHECK(model.conditional(2, {0}, 1) == Approx(1.5 / 3.0).epsilon(1e-15));
    CHECK(model.conditional(2, {1}, 0) == Approx(1.5 / 4.0).epsilon(1e-15));
    CHECK(model.conditional(1, {2}, 1) == Approx(0.5).epsilon(1e-15));  // a context never seen
    Matrix query(3, 1);
    query << 1, 1, 0;
    CHECK(model.log_prob(query)(0) ==
          Approx(std::log(3.5 / 6.0) + std::log(2.5 / 4.0) + std::log(1.5 / 4.0)).epsilon(1e-14));
  }
}

TEST_CASE("markov: a tied chain pools the counts of all positions", "[markov]") {
  const MarkovModel model = MarkovModel::fit(five_examples(), discrete_spec(3, 2), order_options(1, 0.5, true));
  CHECK(model.conditional(0, {2}, 1) == Approx(3.5 / 6.0).epsilon(1e-15));  // only pixel 0 sees padding
  CHECK(model.conditional(2, {1}, 1) == Approx(4.5 / 7.0).epsilon(1e-15));  // 4 ones after a one, of 6
  CHECK(model.conditional(1, {0}, 1) == Approx(2.5 / 5.0).epsilon(1e-15));  // 2 ones after a zero, of 4
  CHECK(model.conditional(1, {1}, 1) == model.conditional(2, {1}, 1));
}

TEST_CASE("markov: an image template reads its neighbours in the order given", "[markov]") {
  // 2 x 2 images; pixels 0 1 / 2 3 in raster order. Context "up,left": slot 0 up, slot 1 left.
  Matrix x(4, 4);
  x << 0, 1, 0, 1,
       1, 1, 1, 0,
       1, 1, 0, 1,
       1, 0, 1, 1;
  const MarkovModel model = MarkovModel::fit(x, discrete_spec(4, 2, {2, 2, 1}), template_options("up,left", 1.0));
  CHECK(model.context_slots() == 2);
  CHECK(model.conditional(3, {1, 1}, 1) == Approx(2.0 / 4.0).epsilon(1e-15));
  CHECK(model.conditional(3, {1, 0}, 1) == Approx(2.0 / 3.0).epsilon(1e-15));  // up = 1, left = 0: one example
  CHECK(model.conditional(3, {0, 1}, 1) == Approx(2.0 / 3.0).epsilon(1e-15));
  CHECK(model.conditional(3, {0, 0}, 1) == Approx(0.5).epsilon(1e-15));
  CHECK(model.conditional(2, {1, 2}, 1) == Approx(3.0 / 4.0).epsilon(1e-15));  // left of pixel 2 is padding
  CHECK(model.conditional(1, {2, 0}, 1) == Approx(3.0 / 4.0).epsilon(1e-15));  // up of pixel 1 is padding
  CHECK(model.conditional(1, {2, 1}, 1) == Approx(2.0 / 4.0).epsilon(1e-15));
  CHECK(model.conditional(0, {2, 2}, 1) == Approx(3.0 / 6.0).epsilon(1e-15));
}

TEST_CASE("markov: parameters and hyperparameters are reported", "[markov]") {
  const Matrix data = random_discrete(10, 40, 2, 5);
  const DataSpec spec = discrete_spec(10, 2);
  CHECK(MarkovModel::fit(data, spec, order_options(1)).num_parameters() == 2 * 10 - 1);
  CHECK(MarkovModel::fit(data, spec, sparse(order_options(1))).num_parameters() == 2 * 10 - 1);
  CHECK(MarkovModel::fit(data, spec, order_options(0)).num_parameters() == 10);
  CHECK(MarkovModel::fit(data, spec, order_options(1, 1.0, true)).num_parameters() == 3);  // padding, 0, 1
  CHECK(MarkovModel::fit(data, spec, order_options(2, 1.0, true)).num_parameters() == 1 + 2 + 4);
  // left,up on 3 x 4: the first row has 1 + 3 * 2 contexts, the others 2 + 3 * 4 each.
  const Matrix image = random_discrete(12, 40, 2, 5);
  CHECK(MarkovModel::fit(image, discrete_spec(12, 2, {3, 4, 1}), template_options("left,up")).num_parameters() == 35);
  // Above the dense limit only observed contexts count: at most 200 + 1 per position here.
  const Matrix bytes = random_discrete(2, 200, 256, 21);
  const MarkovModel big = MarkovModel::fit(bytes, discrete_spec(2, 256), order_options(2));
  CHECK(big.num_parameters() % 255 == 0);
  CHECK(big.num_parameters() <= (1 + 200) * 255);
  CHECK(big.num_parameters() >= 2 * 255);

  CHECK(MarkovModel::fit(data, spec, order_options(2, 0.5)).hyperparameters() == "order=2, alpha=0.5");
  CHECK(MarkovModel::fit(image, discrete_spec(12, 2, {3, 4, 1}), template_options("left,up,up-left,up-right", 1, true))
            .hyperparameters() == "context=left,up,up-left,up-right, alpha=1, tied");
  CHECK(format_context(parse_context("0:-1, -2:0,-1:1")) == "left,-2:0,up-right");
}

TEST_CASE("markov: sample frequencies follow exp(log_prob)", "[markov][sampling]") {
  // 7 degrees of freedom: P(chi2 > 24.32) = 0.001. A wrong conditional gives hundreds at n = 20000.
  const Matrix x = five_examples();
  for (bool use_sparse : {false, true}) {
    const MarkovOptions options = order_options(1, 0.5);
    const MarkovModel model = MarkovModel::fit(x, discrete_spec(3, 2), use_sparse ? sparse(options) : options);
    CHECK(chi_square_of_samples(model, 20000, 17) < 24.32);
  }
  const MarkovModel order2 = MarkovModel::fit(x, discrete_spec(3, 2), order_options(2, 0.2, false));
  CHECK(chi_square_of_samples(order2, 20000, 18) < 24.32);
  const MarkovModel tied = MarkovModel::fit(x, discrete_spec(3, 2), order_options(1, 1.0, true));
  CHECK(chi_square_of_samples(tied, 20000, 19) < 24.32);
}

TEST_CASE("markov: samples of a sparse 256-level model are valid values", "[markov][sampling]") {
  const MarkovModel model = MarkovModel::fit(random_discrete(2, 200, 256, 21), discrete_spec(2, 256), order_options(2));
  Rng rng(3);
  const Matrix s = model.sample(500, rng);
  CHECK(s.minCoeff() >= 0.0f);
  CHECK(s.maxCoeff() <= 255.0f);
  CHECK((s.array() == s.array().round()).all());
  CHECK(model.log_prob(s).allFinite());
}

TEST_CASE("markov: save/load gives bit-identical log-likelihoods", "[markov][io]") {
  TempDir dir;
  const Matrix data = random_discrete(12, 80, 2, 3);
  const DataSpec spec = discrete_spec(12, 2, {3, 4, 1});
  const Matrix bytes = random_discrete(2, 200, 256, 21);
  struct Case {
    Matrix x;
    DataSpec spec;
    MarkovOptions options;
  };
  const std::vector<Case> cases = {
      {data, spec, order_options(2, 0.5)},
      {data, spec, sparse(order_options(3, 0.5, true))},
      {data, spec, template_options("left,up,up-left,up-right", 0.25)},
      {data, spec, sparse(template_options("up,0:-2", 2.0, true))},
      {bytes, discrete_spec(2, 256), order_options(2, 0.7)},  // no image shape
      {Matrix(12, 0), spec, order_options(1)},  // no training data: every context uniform
  };
  for (const Case& c : cases) {
    const MarkovModel model = MarkovModel::fit(c.x, c.spec, c.options);
    INFO(model.hyperparameters() << " " << model.storage());
    save_model(model, FitRecord{"memory", "train", c.x.cols(), 0.0, "test", ""}, dir.file("m.h5"));
    const std::unique_ptr<DensityModel> loaded = load_density_model(dir.file("m.h5"));
    CHECK(loaded->type() == "markov");
    CHECK(loaded->hyperparameters() == model.hyperparameters());
    CHECK(loaded->num_parameters() == model.num_parameters());
    CHECK(loaded->data_spec().shape == c.spec.shape);
    const Matrix query = random_discrete(c.spec.dim, 300, c.spec.levels, 77);
    const Vector a = model.log_prob(query);
    CHECK(loaded->log_prob(query) == a);
    CHECK(parallel_log_prob(*loaded, query, 7) == a);
    CHECK(parallel_log_prob(model, query, 13) == a);
  }
}

TEST_CASE("markov: fitting a streamed split equals fitting the matrix", "[markov][io]") {
  TempDir dir;
  const Index n = 5000;  // more than one streaming batch
  const Matrix x = random_discrete(12, n, 3, 8);
  const DataSpec spec = discrete_spec(12, 3, {3, 4, 1});
  const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> bytes = x.cast<std::uint8_t>();
  DatasetWriter writer(dir.file("d.h5"), spec, {{"source", "test"}});
  writer.add_split("train", std::vector<std::uint8_t>(bytes.data(), bytes.data() + bytes.size()), {});
  writer.commit();
  const DatasetSplit split = DatasetSplit::open(dir.file("d.h5"), "train");
  for (const MarkovOptions& options : {order_options(2), sparse(template_options("left,up"))}) {
    const MarkovModel streamed = MarkovModel::fit(split, options);
    const MarkovModel whole = MarkovModel::fit(x, spec, options);
    CHECK(streamed.log_prob(x.leftCols(200)) == whole.log_prob(x.leftCols(200)));
  }
}

TEST_CASE("markov: refuses bad options and data with a message that names the problem", "[markov][errors]") {
  const Matrix data = random_discrete(12, 20, 2, 1);
  const DataSpec image = discrete_spec(12, 2, {3, 4, 1});
  for (double alpha : {0.0, -1.0, std::numeric_limits<double>::quiet_NaN()})
    CHECK_THROWS_WITH(MarkovModel::fit(data, image, order_options(1, alpha)), Catch::Contains("--alpha must be > 0"));

  CHECK_THROWS_WITH(parse_context("left,0:1"), Catch::Contains("'0:1'") && Catch::Contains("not causal"));
  CHECK_THROWS_WITH(parse_context("0:0"), Catch::Contains("'0:0'") && Catch::Contains("not causal"));
  CHECK_THROWS_WITH(parse_context("1:-1"), Catch::Contains("not causal"));
  CHECK_THROWS_WITH(parse_context("up,down"), Catch::Contains("'down'"));
  CHECK_THROWS_WITH(parse_context("up,-1:x"), Catch::Contains("not an integer"));
  CHECK_THROWS_WITH(parse_context("up,up"), Catch::Contains("twice"));
  MarkovOptions down;
  down.context = {{1, 0}};
  CHECK_THROWS_WITH(MarkovModel::fit(data, image, down), Catch::Contains("1:0") && Catch::Contains("not causal"));

  CHECK_THROWS_WITH(MarkovModel::fit(data, discrete_spec(12, 2), template_options("left,up")),
                    Catch::Contains("needs an image shape"));
  CHECK_THROWS_WITH(MarkovModel::fit(data, discrete_spec(12, 2, {2, 3, 2}), template_options("left")),
                    Catch::Contains("C=1"));

  const DataSpec real{DataKind::real, 0, 12, {}};
  CHECK_THROWS_WITH(MarkovModel::fit(data, real, order_options(1)), Catch::Contains("binary or categorical"));
  CHECK_THROWS_WITH(MarkovModel::fit(data, discrete_spec(13, 2), order_options(1)),
                    Catch::Contains("D=12") && Catch::Contains("D=13"));
  CHECK_THROWS_WITH(MarkovModel::fit(data, image, order_options(-1)), Catch::Contains("--order must be >= 0"));
  CHECK_THROWS_WITH(MarkovModel::fit(data, image, order_options(41)), Catch::Contains("64 bits"));

  const MarkovModel model = MarkovModel::fit(data, image, order_options(1));
  CHECK_THROWS_WITH(model.log_prob(Matrix::Zero(5, 2)), Catch::Contains("D=5") && Catch::Contains("D=12"));
  Matrix bad = data.leftCols(2);
  bad(3, 1) = 2.0f;
  CHECK_THROWS_WITH(model.log_prob(bad), Catch::Contains("value 2 at example 1, dimension 3"));
  bad(3, 1) = 0.5f;
  CHECK_THROWS_WITH(model.log_prob(bad), Catch::Contains("value 0.5"));
  CHECK_THROWS_WITH(MarkovModel::fit(bad, image, order_options(1)), Catch::Contains("example 1, dimension 3"));
  CHECK_THROWS_WITH(model.conditional(0, {0, 0}, 1), Catch::Contains("2 context values"));
  CHECK_THROWS_WITH(model.conditional(12, {0}, 1), Catch::Contains("position 12"));
}

TEST_CASE("markov: load refuses corrupt counts and names the dataset", "[markov][io][errors]") {
  TempDir dir;
  const DataSpec spec = discrete_spec(2, 2);
  // Order 1, D = 2, N = 4: pixel 0 saw value 1 four times after padding (code 2); pixel 1 saw
  // `value` `count` times after a 1 (code 1).
  const auto write_model = [&](const std::string& name, std::uint8_t value, std::int64_t count) {
    const H5File file = H5File::create(dir.file(name));
    const H5Group g = file.root().create_group("model");
    g.set_attr("order", std::int64_t{1});
    g.set_attr("context", std::string(""));
    g.set_attr("alpha", 1.0);
    g.set_attr("tied", std::int64_t{0});
    const std::vector<std::int64_t> tables{0, 1};
    const std::vector<std::uint64_t> codes{2, 1};
    const std::vector<std::int64_t> sizes{1, 1};
    const std::vector<std::uint8_t> values{1, value};
    const std::vector<std::int64_t> counts{4, count};
    g.write<std::int64_t>("context_table", {2}, tables.data());
    g.write<std::uint64_t>("context_code", {2}, codes.data());
    g.write<std::int64_t>("context_size", {2}, sizes.data());
    g.write<std::uint8_t>("value", {2}, values.data());
    g.write<std::int64_t>("count", {2}, counts.data());
    file.flush();
  };
  const auto load = [&](const std::string& name) {
    return MarkovModel::load(H5File::open(dir.file(name)).root().group("model"), spec);
  };
  write_model("good.h5", 1, 4);
  const std::unique_ptr<Model> good = load("good.h5");
  CHECK(dynamic_cast<const MarkovModel&>(*good).conditional(1, {1}, 1) == Approx(5.0 / 6.0).epsilon(1e-15));
  CHECK(dynamic_cast<const MarkovModel&>(*good).conditional(0, {2}, 1) == Approx(5.0 / 6.0).epsilon(1e-15));
  write_model("value.h5", 2, 4);
  CHECK_THROWS_WITH(load("value.h5"), Catch::Contains("value.h5:/model/value") && Catch::Contains("value 2"));
  write_model("count.h5", 1, 0);
  CHECK_THROWS_WITH(load("count.h5"), Catch::Contains("count.h5:/model/count"));
  // Every position of every training example is counted once: totals that differ are corrupt.
  write_model("totals.h5", 1, 3);
  CHECK_THROWS_WITH(load("totals.h5"), Catch::Equals(dir.file("totals.h5") + ":/model/count: position 1 counts 3 "
                                                                              "examples, position 0 counts 4 (corrupt model file?)"));
}
