// Crafted and corrupt model files (issue 16, items 4, 5 and 8): every registered type is saved,
// one attribute or dataset is overwritten, and loading must refuse it with a logp::Error naming
// the file, before allocating what the file claims (never std::bad_alloc, never a NaN model).
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/io/h5_edit.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/classic/gaussian.hpp"
#include "logp/models/markov/markov.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/models/ordering.hpp"
#include "support/checker_cases.hpp"

namespace logp::testing {
namespace {

constexpr std::int64_t kHuge = std::int64_t{1} << 40;  // 2^40 units: terabytes if allocated

const FitRecord kRecord{"data.h5", "train", 200, 0.0, "test", "now"};

// Opens a saved model file for writing and hands its root to `edit`.
template <class Edit>
void edit_file(const std::string& path, Edit edit) {
  const H5File file = H5File::open(path, true);
  edit(file.root());
  file.flush();
}

// Every dataset under g, as (parent group, name).
void collect_datasets(const H5Group& g, std::vector<std::pair<H5Group, std::string>>& out) {
  for (const std::string& child : g.children()) {
    bool is_dataset = true;
    try {
      g.dims(child);
    } catch (const Error&) {
      is_dataset = false;
    }
    if (is_dataset)
      out.emplace_back(g, child);
    else
      collect_datasets(g.group(child), out);
  }
}

// Rewrites a float32/float64 dataset with element `index` set to `value` (same shape and type).
void overwrite_value(const H5Group& g, const std::string& name, std::size_t index, double value) {
  std::vector<std::uint64_t> dims;
  std::vector<double> values = g.read<double>(name, &dims);
  values.at(index) = value;
  const H5Type type = g.type(name);
  h5_remove(g, name);
  if (type == H5Type::float32) {
    const std::vector<float> narrow(values.begin(), values.end());
    g.write<float>(name, dims, narrow.data());
  } else {
    g.write<double>(name, dims, values.data());
  }
}

// Sets a size attribute to `value`, keeping its kind (scalar, list or the text "6,6").
void overwrite_size(const H5Group& parent, const std::string& object, const std::string& name, std::int64_t value) {
  try {
    parent.attr_int(object, name);
    parent.set_attr(object, name, value);
    return;
  } catch (const Error&) {
  }
  try {
    const std::vector<std::int64_t> list = parent.attr_ints(object, name);
    parent.set_attr(object, name, std::vector<std::int64_t>(list.size(), value));
    return;
  } catch (const Error&) {
  }
  parent.set_attr(object, name, std::to_string(value));
}

std::string saved_case(const CheckerCase& c, const TempDir& dir) {
  const std::unique_ptr<Model> model = fit_checker_case(c, checker_data_file(c.data, dir));
  const std::string path = dir.file(c.type + ".h5");
  save_model(*model, kRecord, path);
  REQUIRE_NOTHROW(load_model(path));
  return path;
}

// Loading must throw logp::Error naming the file (any other exception fails the test). With
// `original` given, a load may also succeed when the edit was irrelevant to the model (a GAN's
// DCGAN channels under an MLP architecture): the same hyperparameters and parameter count.
void require_refused(const std::string& path, const std::string& what, const Model* original = nullptr) {
  INFO(what);
  try {
    const std::unique_ptr<Model> loaded = load_model(path);
    if (original != nullptr && loaded->hyperparameters() == original->hyperparameters() &&
        loaded->num_parameters() == original->num_parameters())
      return;
    FAIL("loaded " << path << " after " << what << ": " << loaded->hyperparameters());
  } catch (const Error& e) {
    INFO(e.what());
    CHECK(std::string(e.what()).find(path) != std::string::npos);
    CHECK(std::string(e.what()).size() < 400);
  }
}

const std::vector<std::string> kSizeAttributes = {"hidden",     "latent",  "code",    "layers",
                                                  "channels",   "components", "categories", "continuous",
                                                  "classes",    "orderings", "order",  "discriminator_hidden",
                                                  "transforms", "channels1", "channels2", "features"};

}  // namespace

TEST_CASE("model files: a huge size attribute is refused before allocation, for every type", "[model-file]") {
  TempDir dir;
  for (const CheckerCase& c : checker_cases()) {
    SECTION(c.type) {
      const std::string path = saved_case(c, dir);
      const std::unique_ptr<Model> original = load_model(path);
      int edited = 0;
      for (const std::string& group : {std::string("model"), std::string("model/inner"), std::string("model/network")}) {
        const H5File probe = H5File::open(path);
        if (!probe.root().has(group)) continue;
        const std::vector<std::string> names = probe.root().attr_names(group);
        for (const std::string& name : names) {
          if (std::find(kSizeAttributes.begin(), kSizeAttributes.end(), name) == kSizeAttributes.end()) continue;
          const std::string copy = dir.file(c.type + "-" + name + ".h5");
          std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
          edit_file(copy, [&](const H5Group& root) { overwrite_size(root, group, name, kHuge); });
          require_refused(copy, group + " attribute " + name + " = 2^40", original.get());
          ++edited;
        }
      }
      // /data dim: every model bounds D by what it stores.
      const std::string copy = dir.file(c.type + "-dim.h5");
      std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
      edit_file(copy, [&](const H5Group& root) {
        root.set_attr("data", "dim", kHuge);
        if (root.has_attr("data", "shape")) root.set_attr("data", "shape", std::vector<std::int64_t>{1 << 20, 1 << 20, 1});
      });
      require_refused(copy, "data dim = 2^40");
      INFO(c.type << ": no size attribute edited");
      if (c.type != "bernoulli" && c.type != "gaussian" && c.type != "gmm" && c.type != "kde" && c.type != "transformed")
        CHECK(edited > 0);
    }
  }
}

TEST_CASE("model files: a non-finite value in any stored array is refused, for every type", "[model-file]") {
  TempDir dir;
  for (const CheckerCase& c : checker_cases()) {
    SECTION(c.type) {
      const std::string path = saved_case(c, dir);
      std::vector<std::pair<H5Group, std::string>> datasets;
      const H5File probe = H5File::open(path);
      collect_datasets(probe.root().group("model"), datasets);
      int edited = 0;
      for (const auto& dataset : datasets) {
        const auto& group = dataset.first;  // not a structured binding: the lambda below captures it
        const auto& name = dataset.second;
        const H5Type type = group.type(name);
        if (type != H5Type::float32 && type != H5Type::float64) continue;
        std::uint64_t count = 1;
        for (std::uint64_t d : group.dims(name)) count *= d;
        if (count == 0) continue;
        const std::string relative = group.path().substr(1) + "/" + name;  // "model/parameters/W"
        const std::string copy = dir.file(c.type + "-nan.h5");
        std::filesystem::copy_file(path, copy, std::filesystem::copy_options::overwrite_existing);
        edit_file(copy, [&](const H5Group& root) {
          overwrite_value(root.group(group.path().substr(1)), name, count / 2, std::numeric_limits<double>::quiet_NaN());
        });
        require_refused(copy, relative + " with a NaN");
        ++edited;
      }
      if (c.type != "markov") CHECK(edited > 0);
    }
  }
}

TEST_CASE("model files: NADE names the attribute and the stored shape", "[model-file]") {
  TempDir dir;
  const std::string path = saved_case(checker_cases()[2], dir);  // nade
  REQUIRE(checker_cases()[2].type == "nade");
  edit_file(path, [](const H5Group& root) { root.set_attr("model", "hidden", std::int64_t{1} << 20); });
  CHECK_THROWS_WITH(load_model(path), Catch::Equals(path + ":/model/parameters/W: stored as 9 x 5 but the attributes "
                                                           "of /model (hidden = 1048576) ask for 9 x 1048576 (corrupt "
                                                           "model file?)"));
  edit_file(path, [](const H5Group& root) { root.set_attr("model", "hidden", std::int64_t{-3}); });
  CHECK_THROWS_WITH(load_model(path), Catch::Equals(path + ":/model: attribute hidden = -3 must be positive"));
}

TEST_CASE("model files: hyperparameters that contradict the tables are refused", "[model-file]") {
  TempDir dir;
  SECTION("markov order changed") {
    const CheckerCase c{"markov", "markov", CheckerData::binary_3x3, {{"order", "1"}}};
    const std::string path = saved_case(c, dir);
    edit_file(path, [](const H5Group& root) { root.set_attr("model", "order", std::int64_t{3}); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains("order = 3") && Catch::Contains("context_codes"));
  }
  SECTION("gmm weights not normalized") {
    const CheckerCase c{"gmm", "gmm", CheckerData::real_4, {{"components", "2"}}};
    const std::string path = saved_case(c, dir);
    edit_file(path, [](const H5Group& root) {
      const H5Group model = root.group("model");
      std::vector<double> w = model.read<double>("log_weights");
      overwrite_value(model, "log_weights", 0, w[0] + 0.5);
    });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/model/log_weights: the mixture weights sum to"));
  }
  SECTION("gaussian Cholesky factor with an upper triangle") {
    const CheckerCase c{"gaussian", "gaussian", CheckerData::real_4, {{"ridge", "1e-3"}}};
    const std::string path = saved_case(c, dir);
    edit_file(path, [](const H5Group& root) { overwrite_value(root.group("model"), "cholesky", 4, 0.25); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/model/cholesky") &&
                                            Catch::Contains("not lower triangular"));
  }
  SECTION("a standardization std too small for float32 (found by fuzz_model_fields: the score was NaN)") {
    const CheckerCase c{"transformed", "gaussian", CheckerData::real_4, {{"standardize", ""}}};
    const std::string path = saved_case(c, dir);
    edit_file(path, [](const H5Group& root) { overwrite_value(root.group("model").group("transform"), "std", 0, 1e-300); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/model/transform/std") &&
                                            Catch::Contains("stds >= 1.2e-38"));
  }
  SECTION("a standardization mean beyond float32 (found by fuzz_model_fields: the score was NaN)") {
    const CheckerCase c{"transformed", "gaussian", CheckerData::real_4, {{"standardize", ""}}};
    const std::string path = saved_case(c, dir);
    edit_file(path, [](const H5Group& root) { overwrite_value(root.group("model").group("transform"), "mean", 1, 2.7e161); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/model/transform/mean") &&
                                            Catch::Contains("|mean| <= 3.4e38"));
  }
  SECTION("a gmm Cholesky diagonal of 9e-315 (found by fuzz_model_fields: the score was NaN)") {
    const CheckerCase c{"gmm", "gmm", CheckerData::real_4, {{"components", "2"}}};
    const std::string path = saved_case(c, dir);
    edit_file(path, [](const H5Group& root) { overwrite_value(root.group("model"), "cholesky", 5, 9e-315); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/model/cholesky component 0") &&
                                            Catch::Contains("numerically singular"));
  }
  SECTION("a gmm mean beyond float32") {
    const CheckerCase c{"gmm", "gmm", CheckerData::real_4, {{"components", "2"}, {"covariance", "diag"}}};
    const std::string path = saved_case(c, dir);
    edit_file(path, [](const H5Group& root) { overwrite_value(root.group("model"), "means", 3, 2.7e161); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/model/means") && Catch::Contains("|mean| <= 3.4e38"));
  }
  SECTION("tied and spherical gmm files: a type that contradicts the stored tables, a NaN, uneven variances") {
    for (const char* type : {"tied", "spherical"}) {
      const CheckerCase c{"gmm", "gmm", CheckerData::real_4, {{"components", "2"}, {"covariance", type}}};
      const std::string path = saved_case(c, dir);
      const std::unique_ptr<Model> saved = load_model(path);
      CHECK_THAT(saved->hyperparameters(), Catch::Contains(std::string("covariance=") + type));
      const std::string relabelled = dir.file(std::string(type) + "-as-full.h5");
      std::filesystem::copy_file(path, relabelled, std::filesystem::copy_options::overwrite_existing);
      edit_file(relabelled, [](const H5Group& root) { root.set_attr("model", "covariance", std::string("full")); });
      const char* table = std::string(type) == "tied" ? "/model/cholesky" : "/model/variances";
      CHECK_THROWS_WITH(load_model(relabelled), Catch::Contains(relabelled + ":" + (std::string(type) == "tied" ? table : "/model/cholesky")));
      edit_file(path, [&](const H5Group& root) { overwrite_value(root.group("model"), std::string(table).substr(7), 1, std::nan("")); });
      CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":" + table));
    }
  }
  SECTION("a gmm diagonal variance of 1e-300 (its precision overflows)") {
    const CheckerCase c{"gmm", "gmm", CheckerData::real_4, {{"components", "2"}, {"covariance", "diag"}}};
    const std::string path = saved_case(c, dir);
    edit_file(path, [](const H5Group& root) { overwrite_value(root.group("model"), "variances", 2, 1e-300); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/model/variances") && Catch::Contains(">= 1e-200"));
  }
  SECTION("a kde bandwidth of 1e-300 (a point scored against itself: 0 * inf)") {
    const std::string path = saved_case({"kde", "kde", CheckerData::real_4, {{"bandwidth", "scott"}}}, dir);
    edit_file(path, [](const H5Group& root) { root.group("model").set_attr("bandwidth", 1e-300); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/model: attribute bandwidth = 1e-300"));
  }
  SECTION("data shape that does not multiply to D") {
    const std::string path = saved_case(checker_cases()[0], dir);  // bernoulli on 3x3 images
    edit_file(path, [](const H5Group& root) { root.set_attr("data", "shape", std::vector<std::int64_t>{10, 10, 1}); });
    CHECK_THROWS_WITH(load_model(path), Catch::Equals(path + ":/data: attribute shape = 10x10x1 does not match dim = 9 "
                                                             "(expected H x W x C with H*W*C = D)"));
  }
  SECTION("binary data with 3 levels") {
    const std::string path = saved_case(checker_cases()[0], dir);
    edit_file(path, [](const H5Group& root) { root.set_attr("data", "levels", std::int64_t{3}); });
    CHECK_THROWS_WITH(load_model(path), Catch::Contains(path + ":/data: attribute levels = 3"));
  }
}

TEST_CASE("data spec: a mismatch names the field that differs", "[model-file]") {
  DataSpec model = discrete_spec(784, 2, {28, 28, 1});
  DataSpec data = model;
  data.levels = 3;
  CHECK_THROWS_WITH(model.check_accepts(data, "d.h5:/test/x"),
                    Catch::Equals("d.h5:/test/x: data has 3 levels but the model is for 2 levels"));
  data = model;
  data.kind = DataKind::categorical;
  CHECK_THROWS_WITH(model.check_accepts(data, "d.h5:/test/x"),
                    Catch::Equals("d.h5:/test/x: data is categorical but the model is for binary data"));
}

TEST_CASE("ordering: a bad list names the option and the first bad position, never the list", "[model-file][ordering]") {
  std::string list;
  for (int d = 0; d < 784; ++d) list += (d ? "," : "") + std::to_string(d == 500 ? 3 : d);
  try {
    Ordering::from_option(list, 0, 784);
    FAIL("a list with 3 twice was accepted");
  } catch (const Error& e) {
    CHECK(std::string(e.what()) ==
          "--ordering: the ordering is not a permutation of 0..783: position 500 repeats 3 (first at position 3)");
  }
}

}  // namespace logp::testing
