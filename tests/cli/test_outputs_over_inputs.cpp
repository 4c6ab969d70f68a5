// End to end: no verb writes an output over one of its inputs, or two outputs onto one file.
// The same file is found by inode (a hard link or a symlink to an input is caught); the refusal
// is a usage error (exit 2) naming both options, and every input keeps its bytes.
#include <catch2/catch.hpp>
#include <filesystem>

#include "logp/data/dataset_writer.hpp"
#include "support/binary_data.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

const std::string kFixtures = LOGP_FIXTURES_DIR;

std::string write_labelled(const std::string& path, Index n) {
  DatasetWriter writer(path, discrete_spec(16, 2, {4, 4, 1}), {{"source", "test"}});
  std::uint64_t seed = 3;
  for (const char* split : {"train", "valid", "test"}) {
    const Matrix x = random_discrete(16, n, 2, seed++);
    std::vector<std::int64_t> labels(static_cast<size_t>(n));
    for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int64_t>(i % 2);
    writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), labels);
  }
  writer.commit();
  return path;
}

struct Case {
  std::string name;
  std::string args;
  std::string message;  // e.g. "--out X is the same file as --model Y"
};

}  // namespace

TEST_CASE("outputs over inputs: every verb refuses, exits 2 and leaves its inputs alone", "[cli][io][faults]") {
  TempDir dir;
  const std::string d = write_labelled(dir.file("d.h5"), 40);
  const std::string m = dir.file("m.h5");
  REQUIRE(run_cli("fit bernoulli --data " + d + " --out " + m).exit_code == 0);
  const std::string csv = dir.file("r.csv");
  std::filesystem::copy_file(kFixtures + "/tiny_binary.csv", csv);
  std::filesystem::create_hard_link(d, dir.file("d-link.h5"));
  std::filesystem::create_symlink(m, dir.file("m-symlink.h5"));
  const CliResult printed = run_cli("benchmark --print-suite --suite smoke");
  REQUIRE(printed.exit_code == 0);
  const std::string suite = dir.file("report.json");
  {
    std::ofstream out(suite);
    out << printed.out;
  }
  // The sample cache of `eval-samples --model m.h5 -n 50` (m.samples-0-50.h5) is the data file.
  std::filesystem::create_hard_link(d, dir.file("m.samples-0-50.h5"));
  // An IDX input of `data fashion-mnist` that an output name points to.
  std::filesystem::create_directories(dir.file("idx"));
  const std::string idx = dir.file("idx/train-images-idx3-ubyte");
  {
    std::ofstream out(idx);
    out << "not an IDX file";
  }
  std::filesystem::create_directories(dir.file("fmnist"));
  std::filesystem::create_symlink(idx, dir.file("fmnist/fashion-mnist-binary.h5"));
  const std::vector<std::string> inputs = {d, m, csv, suite, idx};
  std::vector<std::string> before;
  for (const std::string& path : inputs) before.push_back(read_text(path));

  const std::vector<Case> cases = {
      {"score --out the model", "score --model " + m + " --data " + d + " --out " + m,
       "--out " + m + " is the same file as --model " + m},
      {"score --out the data (hard link)", "score --model " + m + " --data " + d + " --out " + dir.file("d-link.h5"),
       "is the same file as --data " + d},
      {"fit --out the data", "fit bernoulli --data " + d + " --out " + d, "--out " + d + " is the same file as --data"},
      {"fit --checkpoint the data", "fit nade --hidden 2 --epochs 1 --data " + d + " --out " + dir.file("n.h5") +
                                        " --checkpoint " + d, "--checkpoint " + d + " is the same file as --data"},
      {"fit --log the data", "fit nade --hidden 2 --epochs 1 --data " + d + " --out " + dir.file("n.h5") + " --log " + d,
       "--log " + d + " is the same file as --data"},
      {"fit --checkpoint onto --out", "fit nade --hidden 2 --epochs 1 --data " + d + " --out " + dir.file("n.h5") +
                                          " --checkpoint " + dir.file("n.h5"),
       "--checkpoint " + dir.file("n.h5") + " is the same file as --out"},
      {"data select", "data select --labels 1 --data " + d + " --out " + d, "--out " + d + " is the same file as --data"},
      {"data perturb (hard link)", "data perturb --data " + d + " --out " + dir.file("d-link.h5"), "is the same file as --data"},
      {"data import", "data import --format csv --kind binary --label-column label --train " + csv + " --out " + csv,
       "--out " + csv + " is the same file as --train"},
      {"sample --out the model (symlink)", "sample --model " + m + " --out " + dir.file("m-symlink.h5"),
       "is the same file as --model"},
      {"sample --png onto --out", "sample --model " + m + " --png " + dir.file("s.x") + " --out " + dir.file("s.x"),
       "--out " + dir.file("s.x") + " is the same file as --png"},
      {"encode", "encode --model " + m + " --data " + d + " --out " + m, "--out " + m + " is the same file as --model"},
      {"anomaly --out", "anomaly --model " + m + " --data " + d + " --out " + d, "--out " + d + " is the same file as --data"},
      {"anomaly --roc onto --out", "anomaly --model " + m + " --data " + d + " --anomaly-labels 1 --out " +
                                       dir.file("a.csv") + " --roc " + dir.file("a.csv"),
       "--roc " + dir.file("a.csv") + " is the same file as --out"},
      {"eval-samples", "eval-samples --data " + d + " --samples " + d + " --out " + d, "is the same file as --data"},
      {"eval-samples: a model's sample cache onto --data",
       "eval-samples --data " + dir.file("m.samples-0-50.h5") + " --model " + m + " -n 50",
       "the samples of --model " + m + ", " + dir.file("m.samples-0-50.h5") + " is the same file as --data"},
      {"data fashion-mnist --out onto its IDX input (symlink)",
       "data fashion-mnist --source " + dir.file("idx") + " --out " + dir.file("fmnist"),
       "--out " + dir.file("fmnist/fashion-mnist-binary.h5") + " is the same file as --source " + idx},
      {"benchmark report onto its suite file", "benchmark --suite " + suite + " --out " + dir.file(""),
       "is the same file as --suite " + suite},
  };
  for (const Case& c : cases) {
    SECTION(c.name) {
      const CliResult run = run_cli(c.args);
      INFO(c.args);
      INFO(run.err);
      CHECK(run.exit_code == 2);
      CHECK_THAT(run.err, Catch::StartsWith("logp: error: ") && Catch::Contains(c.message));
      for (size_t k = 0; k < inputs.size(); ++k) CHECK(read_text(inputs[k]) == before[k]);
      CHECK_FALSE(std::filesystem::exists(dir.file("n.h5")));
    }
  }
}
