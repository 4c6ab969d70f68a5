#include "logp/bench/step_claims.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"

namespace logp::bench {
namespace {

namespace fs = std::filesystem;

// Claims and failure notes of other jobs (a killed run's) in a step directory.
void remove_other_jobs_files(const std::string& step_dir, const std::string& job) {
  std::error_code ec;
  for (const fs::directory_entry& entry : fs::directory_iterator(step_dir, ec)) {
    const std::string name = entry.path().filename().string();
    for (const std::string prefix : {"claim-", "failed-"})
      if (name.starts_with(prefix) && name != prefix + job) fs::remove(entry.path(), ec);
  }
}

}  // namespace

StepClaims::StepClaims(std::string job) : job_(std::move(job)) {
  require(!job_.empty() && job_.find('/') == std::string::npos, "benchmark: bad job name \"" + job_ + "\"");
}

bool StepClaims::claim(const std::string& step_dir) const {
  const std::string path = step_dir + "/claim-" + job_;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return false;
    throw Error(path + ": cannot claim the benchmark step: " + std::strerror(errno));
  }
  ::close(fd);
  remove_other_jobs_files(step_dir, job_);
  return true;
}

void StepClaims::release(const std::string& step_dir) const {
  std::error_code ec;
  fs::remove(step_dir + "/claim-" + job_, ec);
}

void StepClaims::note_failure(const std::string& step_dir, const std::string& message) const {
  AtomicOutput output(step_dir + "/failed-" + job_);
  {
    std::ofstream out(output.temp_path());
    out << message;
    if (!out) throw Error(output.target() + ": cannot write the step's failure note (disk full?)");
  }
  output.commit();
}

std::optional<std::string> StepClaims::failure(const std::string& step_dir) const {
  std::ifstream in(step_dir + "/failed-" + job_);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string new_job_name() {
  static std::atomic<int> made{0};  // names made by this process
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::to_string(std::chrono::duration_cast<std::chrono::nanoseconds>(now).count()) + "-" +
         std::to_string(::getpid()) + "-" + std::to_string(made++);
}

}  // namespace logp::bench
