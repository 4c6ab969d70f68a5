#pragma once
// Which process runs an unfinished benchmark step when several walk the same suite at once (the
// ranks of `mpirun -np R logp benchmark`, docs/mpi.md). A process claims a step by creating
// STEP_DIR/claim-JOB exclusively (O_CREAT | O_EXCL: one creator wins, on a local file system or
// NFS), runs it, stores its record (step_cache.hpp) or a failure note, and only then releases the
// claim, so a process that finds the claim gone finds the outcome. JOB names the run: the claims
// and failure notes of a killed run are not the next run's, which removes them.
#include <optional>
#include <string>

namespace logp::bench {

class StepClaims {
 public:
  explicit StepClaims(std::string job);
  const std::string& job() const { return job_; }

  // True: this process now holds the step (nobody in this job did); false: another holds it.
  bool claim(const std::string& step_dir) const;
  void release(const std::string& step_dir) const;

  // A failure of this job's run of the step, for the processes that wait for it: they take it
  // as their own instead of running the step again (a later job tries it again).
  void note_failure(const std::string& step_dir, const std::string& message) const;
  std::optional<std::string> failure(const std::string& step_dir) const;

 private:
  std::string job_;
};

// A job name no other run shares: the time in nanoseconds, the process id and a count.
std::string new_job_name();

}  // namespace logp::bench
