// GEOM through the binary: no leakage (a model fitted on `logp data select`'s file of the normal
// class equals one fitted on a file whose other classes hold different images), `anomaly
// --model-score`, info, and the errors.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "logp/data/dataset_writer.hpp"
#include "logp/io/model_file.hpp"
#include "support/labelled_images.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// The labelled 8x8 images (train 300, test 200); with `scramble`, every example not of class 0
// is replaced by noise (its label kept), so only class 0 is the same in both files.
std::string write_images(const std::string& path, bool scramble) {
  DatasetWriter writer(path, labelled_image_spec(), {{"source", "test"}});
  Rng noise(99);
  std::uint64_t seed = 1;
  for (const auto& [split, n] : {std::pair<const char*, Index>{"train", 300}, {"test", 200}}) {
    Matrix x;
    std::vector<std::int64_t> labels;
    make_labelled_images(n, seed++, x, labels);
    for (Index j = 0; j < n; ++j)
      if (scramble && labels[static_cast<size_t>(j)] != 0)
        for (Index k = 0; k < 64; ++k) x(k, j) = noise.uniform() < 0.5 ? 1.0f : 0.0f;
    writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), labels);
  }
  writer.commit();
  return path;
}

const std::string kFit = " --transforms 8 --channels1 4 --channels2 4 --features 6 --epochs 2 --batch-size 32 --shard-size 8";

}  // namespace

TEST_CASE("geom cli: no leakage, model scores, errors", "[geom][cli]") {
  TempDir dir;
  const std::string data = write_images(dir.file("images.h5"), false);
  const std::string scrambled = write_images(dir.file("scrambled.h5"), true);
  for (const auto& [in, out] : {std::pair{data, "normal.h5"}, std::pair{scrambled, "normal2.h5"}})
    REQUIRE(run_cli("data select --data " + in + " --labels 0 --out " + dir.file(out)).exit_code == 0);
  REQUIRE(run_cli("--quiet fit geom --data " + dir.file("normal.h5") + " --out " + dir.file("m.h5") + kFit).exit_code == 0);
  REQUIRE(run_cli("--threads 1 --quiet fit geom --data " + dir.file("normal2.h5") + " --out " + dir.file("m2.h5") + kFit)
              .exit_code == 0);

  const auto scores = [&](const std::string& model, const std::string& extra) {
    const CliResult run = run_cli("--json anomaly --model " + model + " --data " + data +
                                  " --anomaly-labels 1,2 --bootstrap 20 --out " + dir.file("s.h5") + extra);
    REQUIRE(run.exit_code == 0);
    const nlohmann::json j = nlohmann::json::parse(run.out);
    CHECK(j["score"] == "model-score");
    CHECK(j["likelihood_kind"].is_null());  // a score, never a likelihood
    return std::pair{j["model_score_name"].get<std::string>(), j["metrics"]["auroc"]["value"].get<double>()};
  };
  // Other classes' images never reach the model: the two fits (also at 1 and 2 threads) agree.
  for (const std::string score : {"geom", "feature-density", "combined"}) {
    const auto [name, auroc] = scores(dir.file("m.h5"), " --model-score " + score);
    CHECK(scores(dir.file("m2.h5"), " --model-score " + score).second == auroc);
    CHECK(name == (score == "geom" ? "geom" : score == "combined" ? "geom_combined" : "feature_density"));
  }
  CHECK(scores(dir.file("m.h5"), "").first == "geom_combined");  // the default

  const CliResult info = run_cli("info " + dir.file("m.h5"));
  CHECK(info.exit_code == 0);
  CHECK_THAT(info.out, Catch::Contains("geom") && Catch::Contains("transforms=8"));

  const CliResult bad_score = run_cli("anomaly --model " + dir.file("m.h5") + " --data " + data + " --model-score nll");
  CHECK(bad_score.exit_code == 1);
  CHECK_THAT(bad_score.err, Catch::Contains("not one of geom's scores"));
  REQUIRE(run_cli("--quiet fit bernoulli --data " + dir.file("normal.h5") + " --out " + dir.file("b.h5")).exit_code == 0);
  const CliResult one_score = run_cli("anomaly --model " + dir.file("b.h5") + " --data " + data + " --model-score geom");
  CHECK(one_score.exit_code == 2);
  CHECK_THAT(one_score.err, Catch::Contains("has one score"));
  const CliResult sample = run_cli("sample --model " + dir.file("m.h5") + " -n 2 --out " + dir.file("x.h5"));
  CHECK(sample.exit_code == 1);
  CHECK_THAT(sample.err, Catch::Contains("no distribution over images"));
  const CliResult odd = run_cli("--quiet fit geom --data " + dir.file("normal.h5") + " --out " + dir.file("m3.h5") +
                                " --transforms 5");
  CHECK(odd.exit_code != 0);
  CHECK_THAT(odd.err, Catch::Contains("transforms = 5"));
}
