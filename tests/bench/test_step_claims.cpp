// Step claims of `logp benchmark` over several ranks: one claimant per step and job, failure
// notes for the waiting ranks, and a killed job's claims not binding the next.
#include <catch2/catch.hpp>
#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "logp/bench/step_claims.hpp"
#include "logp/core/error.hpp"
#include "support/temp_dir.hpp"

namespace bench = logp::bench;
namespace fs = std::filesystem;

TEST_CASE("a benchmark step is claimed by one process of a job until it releases it", "[benchmark]") {
  logp::testing::TempDir dir;
  const std::string step = dir.file("");
  const bench::StepClaims rank0("job-a"), rank1("job-a");
  CHECK(rank0.claim(step));
  CHECK_FALSE(rank1.claim(step));
  CHECK_FALSE(rank0.claim(step));  // a claim is not reentrant: the step runs once
  rank0.release(step);
  CHECK(rank1.claim(step));
  rank1.release(step);
  CHECK(dir.listing().empty());

  // Many threads race for one step: exactly one wins.
  std::atomic<int> winners{0};
  std::vector<std::thread> racers;
  for (int t = 0; t < 8; ++t)
    racers.emplace_back([&] {
      if (bench::StepClaims("job-b").claim(step)) ++winners;
    });
  for (std::thread& racer : racers) racer.join();
  CHECK(winners == 1);
}

TEST_CASE("a killed job's claims and failure notes do not bind the next job", "[benchmark]") {
  logp::testing::TempDir dir;
  const std::string step = dir.file("");
  const bench::StepClaims killed("old-job"), next("new-job");
  REQUIRE(killed.claim(step));  // never released: the job was killed
  killed.note_failure(step, "benchmark step \"fit m on d\" failed (exit 1)");
  CHECK(killed.failure(step) == std::optional<std::string>("benchmark step \"fit m on d\" failed (exit 1)"));
  CHECK_FALSE(next.failure(step));  // another job tries the step again
  CHECK(next.claim(step));
  CHECK(dir.listing() == std::vector<std::string>{"claim-new-job"});  // the old job's files are gone
  next.note_failure(step, "exit 2");
  CHECK(bench::StepClaims("new-job").failure(step) == std::optional<std::string>("exit 2"));
}

TEST_CASE("job names differ between runs and cannot leave the step directory", "[benchmark]") {
  const std::string a = bench::new_job_name(), b = bench::new_job_name();
  CHECK(a != b);
  CHECK(a.find('/') == std::string::npos);
  CHECK_THROWS_AS(bench::StepClaims("../x"), logp::Error);
  CHECK_THROWS_AS(bench::StepClaims(""), logp::Error);
}
