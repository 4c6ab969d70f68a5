// End to end: every writer of HDF5 files, run against a file size limit (`ulimit -f`, which
// makes write() fail like a full disk), exits 1 with one line naming the target, leaves the
// target as it was and no temporary file behind. HDF5 1.10 used to crash at exit (rc 139) after
// a failed write: its files are now built in memory and written by logp (io/h5.hpp).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <sys/wait.h>

#include "logp/data/dataset_writer.hpp"
#include "support/binary_data.hpp"
#include "support/run_cli.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

const std::string kFixtures = LOGP_FIXTURES_DIR;

// Runs the binary under a file size limit of 512 bytes (`ulimit -f 1` in sh's 512-byte blocks;
// every HDF5 file is larger). Its stdout and stderr go through a pipe, which the limit does not
// touch. With ignore_xfsz the signal a write past the limit raises is ignored, as a full disk
// raises none; without it logp must ignore it itself.
CliResult run_cli_file_limited(const std::string& args, bool ignore_xfsz = true) {
  TempDir capture;
  const std::string command = "( " + std::string(ignore_xfsz ? "trap '' XFSZ; " : "") + "ulimit -f 1; " +
                              std::string(LOGP_CLI_PATH) + " " + args + " 2>&1; echo \"rc=$?\" ) | cat >" +
                              capture.file("out");
  std::system(command.c_str());
  CliResult result;
  result.out = read_text(capture.file("out"));
  const size_t rc = result.out.rfind("rc=");
  REQUIRE(rc != std::string::npos);
  result.exit_code = std::stoi(result.out.substr(rc + 3));
  result.err = result.out.substr(0, rc);
  return result;
}

// A labelled binary dataset, D = 64 (8x8x1), n examples in train, valid and test.
std::string write_labelled(const std::string& path, Index n) {
  DatasetWriter writer(path, discrete_spec(64, 2, {8, 8, 1}), {{"source", "test"}});
  std::uint64_t seed = 7;
  for (const char* split : {"train", "valid", "test"}) {
    const Matrix x = random_discrete(64, n, 2, seed++);
    std::vector<std::int64_t> labels(static_cast<size_t>(n));
    for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<std::int64_t>(i % 3);
    writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), labels);
  }
  writer.commit();
  return path;
}

// The failed write named the target (not the hidden temporary) on one line, exited 1, left the
// target's old contents and no temporary file.
void check_clean_failure(const CliResult& run, const TempDir& dir, const std::string& target,
                         const std::vector<std::string>& listing_before) {
  INFO(run.err);
  CHECK(run.exit_code == 1);
  CHECK_THAT(run.err, Catch::Contains("logp: error: " + target + ": cannot write the file"));
  CHECK_THAT(run.err, !Catch::Contains(".tmp-"));
  CHECK(read_text(target) == "the old contents");
  std::vector<std::string> after = dir.listing(), before = listing_before;
  std::sort(after.begin(), after.end());
  std::sort(before.begin(), before.end());
  CHECK(after == before);
}

}  // namespace

TEST_CASE("write failures: every HDF5 writer exits 1 naming the target and leaves it intact", "[cli][io][faults]") {
  TempDir dir;
  const std::string data = write_labelled(dir.file("data.h5"), 60);
  REQUIRE(run_cli("fit bernoulli --data " + data + " --out " + dir.file("model.h5")).exit_code == 0);
  const std::string target = dir.file("target.h5");
  {
    std::ofstream out(target);
    out << "the old contents";
  }
  const std::vector<std::string> before = dir.listing();
  const std::string data_args = " --data " + data + " --out " + target;

  SECTION("fit --out") { check_clean_failure(run_cli_file_limited("fit bernoulli" + data_args), dir, target, before); }
  SECTION("fit --out without ignoring SIGXFSZ: logp ignores it itself") {
    check_clean_failure(run_cli_file_limited("fit bernoulli" + data_args, false), dir, target, before);
  }
  SECTION("fit --checkpoint") {
    const CliResult run = run_cli_file_limited("fit nade --hidden 2 --epochs 1 --batch-size 20 --data " + data +
                                               " --out " + dir.file("nade.h5") + " --checkpoint " + target);
    check_clean_failure(run, dir, target, before);
  }
  SECTION("data select") {
    check_clean_failure(run_cli_file_limited("data select --labels 1" + data_args), dir, target, before);
  }
  SECTION("data perturb") { check_clean_failure(run_cli_file_limited("data perturb" + data_args), dir, target, before); }
  SECTION("data import") {
    const CliResult run = run_cli_file_limited("data import --format csv --kind binary --label-column label --train " +
                                               kFixtures + "/tiny_binary.csv --out " + target);
    check_clean_failure(run, dir, target, before);
  }
  SECTION("sample --out") {
    check_clean_failure(run_cli_file_limited("sample -n 20 --model " + dir.file("model.h5") + " --out " + target), dir,
                        target, before);
  }
  SECTION("score --out x.h5") {
    check_clean_failure(run_cli_file_limited("score --model " + dir.file("model.h5") + data_args), dir, target, before);
  }
  SECTION("encode --out x.h5") {
    REQUIRE(run_cli("fit autoencoder --epochs 1 --hidden-layers 4 --latent 2 --data " + data + " --out " +
                    dir.file("ae.h5"))
                .exit_code == 0);
    const std::vector<std::string> with_ae = dir.listing();
    check_clean_failure(run_cli_file_limited("encode --model " + dir.file("ae.h5") + data_args), dir, target, with_ae);
  }
}
