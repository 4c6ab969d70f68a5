// `mpirun -np R logp ...` (docs/mpi.md): data-parallel training gives the single-process model
// bit for bit, sharded scoring the single-process values, and a job that lost a rank resumes
// from its checkpoint with another R to the unbroken run's model, and a benchmark's steps spread
// over the ranks give the single-process report. Skipped (with a message) in a
// build without LOGP_MPI.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench/smoke_data.hpp"
#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "support/dataset_file.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// mpirun with R ranks (oversubscribed: the test machine may have fewer cores), allowed as root
// (CI runs as root), each rank on one thread.
std::string mpirun(int ranks) {
  return "OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_btl_vader_single_copy_mechanism=none " +
         std::string(LOGP_MPIEXEC) + " -np " + std::to_string(ranks) + " --oversubscribe ";
}

CliResult run_mpi(int ranks, const std::string& args) {
  TempDir capture;
  const std::string command = mpirun(ranks) + LOGP_CLI_PATH + " " + args + " >" + capture.file("out") + " 2>" +
                              capture.file("err");
  const int status = std::system(command.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(capture.file("out")), read_text(capture.file("err"))};
}

bool have_mpi() {
  if (std::string(LOGP_MPIEXEC).empty()) {
    WARN("MPI tests skipped: logp was built without LOGP_MPI");
    return false;
  }
  return true;
}

// Every float dataset under a model file's /model group, in name order, as raw values.
void collect(const H5Group& group, std::vector<float>& out) {
  for (const std::string& name : group.children()) {
    H5Type type = H5Type::other;
    try {
      type = group.type(name);
    } catch (const Error&) {  // not a dataset: a group
      collect(group.group(name), out);
      continue;
    }
    if (type == H5Type::float32) {
      const std::vector<float> values = group.read<float>(name);
      out.insert(out.end(), values.begin(), values.end());
    } else if (type == H5Type::float64) {
      for (double value : group.read<double>(name)) out.push_back(static_cast<float>(value));
    }
  }
}

// A report's results less the measured times (fit_seconds, and the training log's seconds and
// examples_per_second), which differ from run to run.
nlohmann::json without_timings(nlohmann::json value) {
  if (value.is_object()) {
    for (const char* timing : {"fit_seconds", "seconds", "examples_per_second"}) value.erase(timing);
    for (auto& [key, member] : value.items()) member = without_timings(member);
  } else if (value.is_array()) {
    for (nlohmann::json& element : value) element = without_timings(element);
  }
  return value;
}

std::vector<float> model_parameters(const std::string& path) {
  std::vector<float> values;
  collect(H5File::open(path).root().group("model"), values);
  return values;
}

}  // namespace

TEST_CASE("mpi: fit nade and vae with 2 and 4 ranks equals the single-process model bit for bit", "[mpi]") {
  if (!have_mpi()) return;
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 150, 2);
  // Batches of 16 in shards of 4: 4 shards (the epoch's last batch of 6: 2, fewer than 4 ranks).
  const std::string training = " --epochs 3 --batch-size 16 --shard-size 4 --seed 7 --data " + data + " --out ";
  for (const std::string model : {"nade --hidden 6", "vae --hidden-layers 8 --latent 2"}) {
    INFO(model);
    REQUIRE(run_cli("--threads 1 fit " + model + training + dir.file("one.h5")).exit_code == 0);
    const std::vector<float> one = model_parameters(dir.file("one.h5"));
    REQUIRE(!one.empty());
    for (int ranks : {2, 4}) {
      INFO(ranks << " ranks");
      const CliResult run = run_mpi(ranks, "--threads 1 fit " + model + training + dir.file("many.h5"));
      INFO(run.err);
      REQUIRE(run.exit_code == 0);
      CHECK(model_parameters(dir.file("many.h5")) == one);
    }
  }
}

TEST_CASE("mpi: score, compare and anomaly over 2 and 4 ranks give the single-process values and summaries", "[mpi]") {
  if (!have_mpi()) return;
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 101, 2);  // 101: uneven parts
  const std::string model = dir.file("m.h5");
  const std::string other = dir.file("other.h5");
  REQUIRE(run_cli("fit nade --hidden 6 --epochs 2 --data " + data + " --out " + model).exit_code == 0);
  REQUIRE(run_cli("fit nade --hidden 6 --epochs 2 --seed 5 --data " + data + " --out " + other).exit_code == 0);
  const std::string score = "score --json --chunk 7 --model " + model + " --data " + data + " --out ";
  const CliResult one = run_cli(score + dir.file("one.csv"));
  REQUIRE(one.exit_code == 0);
  const std::string compare = "compare --json --model " + model + " --model " + other + " --data " + data;
  const CliResult compared = run_cli(compare);
  REQUIRE(compared.exit_code == 0);
  const std::string anomaly = "anomaly --json --model " + model + " --data " + data + " --outliers " + data +
                              " --outliers-split valid --out ";
  const CliResult detected = run_cli(anomaly + dir.file("one_anomaly.csv"));
  REQUIRE(detected.exit_code == 0);
  for (int ranks : {2, 4}) {
    INFO(ranks << " ranks");
    const CliResult many = run_mpi(ranks, score + dir.file("many.csv"));
    INFO(many.err);
    REQUIRE(many.exit_code == 0);
    CHECK(many.out == one.out);  // the summary, printed once (rank 0)
    CHECK(read_text(dir.file("many.csv")) == read_text(dir.file("one.csv")));
    const CliResult many_compared = run_mpi(ranks, compare);
    CHECK(many_compared.exit_code == compared.exit_code);
    CHECK(many_compared.out == compared.out);
    const CliResult many_detected = run_mpi(ranks, anomaly + dir.file("many_anomaly.csv"));
    CHECK(many_detected.exit_code == 0);
    CHECK(many_detected.out == detected.out);
    CHECK(read_text(dir.file("many_anomaly.csv")) == read_text(dir.file("one_anomaly.csv")));
  }
}

TEST_CASE("mpi: a job that loses a rank resumes from its checkpoint with another R to the unbroken model", "[mpi]") {
  if (!have_mpi()) return;
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 400, 2);
  const std::string training = "--threads 1 fit nade --hidden 6 --epochs 60 --patience 1000 --batch-size 16 "
                               "--shard-size 4 --seed 3 --data " + data;
  REQUIRE(run_cli(training + " --out " + dir.file("unbroken.h5")).exit_code == 0);

  // Two ranks, each recording its process id; rank 1 is killed once two epochs are logged.
  const std::string checkpointed = training + " --checkpoint " + dir.file("ck.h5") + " --log " + dir.file("log.jsonl");
  const std::string job = "(" + mpirun(2) + "sh -c 'echo $$ > " + dir.file("pid") + ".$OMPI_COMM_WORLD_RANK; exec " +
                          LOGP_CLI_PATH + " " + checkpointed + " --out " + dir.file("broken.h5") + "' >" +
                          dir.file("out") + " 2>" + dir.file("err") + "; echo $? >" + dir.file("rc") + ") &";
  REQUIRE(std::system(job.c_str()) == 0);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const auto lines = [&] {
    std::ifstream log(dir.file("log.jsonl"));
    return std::count(std::istreambuf_iterator<char>(log), std::istreambuf_iterator<char>(), '\n');
  };
  while ((lines() < 2 || !std::filesystem::exists(dir.file("pid.1"))) && std::chrono::steady_clock::now() < deadline &&
         !std::filesystem::exists(dir.file("rc")))
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  REQUIRE(!std::filesystem::exists(dir.file("rc")));  // still running: 60 epochs take longer than this wait
  const pid_t rank1 = static_cast<pid_t>(std::stol(read_text(dir.file("pid.1"))));
  REQUIRE(::kill(rank1, SIGKILL) == 0);
  while (!std::filesystem::exists(dir.file("rc")) && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the rc line is written
  INFO(read_text(dir.file("err")));
  CHECK(std::stoi(read_text(dir.file("rc"))) != 0);  // the whole job failed
  CHECK(!std::filesystem::exists(dir.file("broken.h5")));

  // The checkpoint left behind is whole; 3 ranks finish the run.
  const CliResult resumed = run_mpi(3, checkpointed + " --resume --out " + dir.file("resumed.h5"));
  INFO(resumed.err);
  REQUIRE(resumed.exit_code == 0);
  CHECK(model_parameters(dir.file("resumed.h5")) == model_parameters(dir.file("unbroken.h5")));
  CHECK(lines() == 60);  // each epoch logged once
}

TEST_CASE("mpi: anomaly's typicality test and complexity score, and eval-samples, over 2 and 4 ranks write the "
          "single-process outputs byte for byte", "[mpi]") {
  if (!have_mpi()) return;
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 16, 61, 2, {4, 4, 1});  // 61: uneven parts
  const std::string model = dir.file("m.h5");
  const std::string other = dir.file("other.h5");
  REQUIRE(run_cli("fit nade --hidden 6 --epochs 2 --data " + data + " --out " + model).exit_code == 0);
  REQUIRE(run_cli("fit --model bernoulli --data " + data + " --out " + other).exit_code == 0);
  // The bootstrap (37 resamples), the typicality batches (41) and the PNG lengths are spread over the ranks.
  const std::string typical = "--json anomaly --model " + model + " --data " + data + " --outliers " + data +
                              " --outliers-split valid --bootstrap 37 --typicality-batch 5 --typicality-batches 41 "
                              "--out ";
  const std::string complexity = "--json anomaly --score complexity --bootstrap 37 --model " + model + " --data " +
                                 data + " --outliers " + data + " --outliers-split train --out ";
  // Three rows (the reference and two models' samples; 4 ranks: one rank has none), samples drawn
  // afresh each run (the cache beside each model removed first).
  const std::string samples = "--json eval-samples -n 40 --permutations 11 --kid-subsets 3 --kid-subset-size 20 "
                              "--fid-bootstrap 2 --data " + data + " --model " + model + " --model " + other +
                              " --out ";
  const auto fresh = [&] {
    for (const std::string& path : {model, other})
      std::filesystem::remove(path.substr(0, path.size() - 3) + ".samples-0-40.h5");
  };
  struct Outputs {
    CliResult typical, complexity, samples;
    std::string typical_csv, complexity_csv, samples_json;
  };
  const auto run_all = [&](int ranks) {
    const auto run = [&](const std::string& args) { return ranks == 1 ? run_cli(args) : run_mpi(ranks, args); };
    Outputs out;
    out.typical = run(typical + dir.file("typical.csv"));
    out.complexity = run(complexity + dir.file("complexity.csv"));
    fresh();
    out.samples = run(samples + dir.file("samples.json"));
    out.typical_csv = read_text(dir.file("typical.csv"));
    out.complexity_csv = read_text(dir.file("complexity.csv"));
    out.samples_json = read_text(dir.file("samples.json"));
    for (const char* name : {"typical.csv", "complexity.csv", "samples.json"}) std::filesystem::remove(dir.file(name));
    return out;
  };
  const Outputs one = run_all(1);
  INFO(one.typical.err << one.complexity.err << one.samples.err);
  REQUIRE(one.typical.exit_code == 0);
  REQUIRE(one.complexity.exit_code == 0);
  REQUIRE(one.samples.exit_code == 0);
  REQUIRE(one.typical.out.find("\"outlier_batches_flagged\"") != std::string::npos);
  for (int ranks : {2, 4}) {
    INFO(ranks << " ranks");
    const Outputs many = run_all(ranks);
    INFO(many.typical.err << many.complexity.err << many.samples.err);
    CHECK(many.typical.exit_code == 0);
    CHECK(many.typical.out == one.typical.out);
    CHECK(many.typical_csv == one.typical_csv);
    CHECK(many.complexity.out == one.complexity.out);
    CHECK(many.complexity_csv == one.complexity_csv);
    CHECK(many.samples.exit_code == 0);
    CHECK(many.samples.out == one.samples.out);
    CHECK(many.samples_json == one.samples_json);
  }
}

TEST_CASE("mpi: benchmark over 2 and 4 ranks runs each step once and reports the single-process results", "[mpi]") {
  if (!have_mpi()) return;
  TempDir dir;
  write_smoke_dataset(dir.file(""));
  const auto args = [&](const std::string& out) {
    return "--threads 1 benchmark --suite smoke --data-dir " + dir.file("") + " --out " + dir.file(out);
  };
  REQUIRE(run_cli(args("one")).exit_code == 0);
  // --mpi asks for an MPI job: a single process refuses it.
  const CliResult alone = run_cli(args("alone") + " --mpi");
  CHECK(alone.exit_code == 2);
  CHECK(alone.err.find("benchmark --mpi: not started as an MPI job of several ranks") != std::string::npos);
  const nlohmann::json one = nlohmann::json::parse(read_text(dir.file("one/report.json")));
  for (int ranks : {2, 4}) {
    INFO(ranks << " ranks");
    const std::string out = "ranks" + std::to_string(ranks);
    const CliResult run = run_mpi(ranks, args(out) + " --mpi");
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    const nlohmann::json many = nlohmann::json::parse(read_text(dir.file(out + "/report.json")));
    // The same steps, each run by this job on one of the ranks.
    REQUIRE(many["steps"].size() == one["steps"].size());
    for (size_t i = 0; i < many["steps"].size(); ++i) {
      const nlohmann::json& step = many["steps"][i];
      CHECK(step["key"] == one["steps"][i]["key"]);
      CHECK(step["reused"] == false);
      CHECK(step["rank"].get<int>() >= 0);
      CHECK(step["rank"].get<int>() < ranks);
    }
    CHECK(many["provenance"]["ranks"] == ranks);
    // The results name the run directory where they name files, and time the fits; otherwise they
    // are the same.
    std::string results = many["results"].dump();
    for (size_t at = results.find(dir.file(out)); at != std::string::npos; at = results.find(dir.file(out), at))
      results.replace(at, dir.file(out).size(), dir.file("one"));
    CHECK(without_timings(nlohmann::json::parse(results)) == without_timings(one["results"]));
    CHECK(read_text(dir.file(out + "/report.md")).find("steps spread over " + std::to_string(ranks) + " MPI ranks") !=
          std::string::npos);
    // No claim or failure note is left behind.
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.file(out + "/runs")))
      CHECK(entry.path().filename().string().rfind("claim-", 0) == std::string::npos);
  }
}
