#include "logp/io/atomic_output.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

#include "logp/core/error.hpp"

namespace logp {
namespace {

// Removes ".NAME.tmp-PID" siblings left by killed runs (PID no longer running) when NAME is
// written again. A temporary of a live process (another run writing the same target) is kept.
void remove_stale_temporaries(const std::filesystem::path& dir, const std::string& prefix) {
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
    const std::string digits = name.substr(prefix.size());
    if (digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(digits));
    if (pid <= 0 || pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    std::filesystem::remove(entry.path(), ignored);
  }
}

// Temporary path -> target of every AtomicOutput alive in this process.
struct LiveOutputs {
  std::mutex mutex;
  std::map<std::string, std::string> targets;
};

LiveOutputs& live_outputs() {
  static LiveOutputs outputs;
  return outputs;
}

}  // namespace

AtomicOutput::AtomicOutput(std::string target) : target_(std::move(target)) {
  const std::filesystem::path path(target_);
  const std::filesystem::path dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (!std::filesystem::is_directory(dir))
    throw Error(target_ + ": cannot write here, directory '" + dir.string() + "' does not exist");
  std::string name = ".";
  name += path.filename().string();
  name += ".tmp-";
  remove_stale_temporaries(dir, name);
  name += std::to_string(::getpid());
  temp_ = (dir / name).string();
  LiveOutputs& live = live_outputs();
  const std::lock_guard<std::mutex> lock(live.mutex);
  live.targets[temp_] = target_;
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
  }
  LiveOutputs& live = live_outputs();
  const std::lock_guard<std::mutex> lock(live.mutex);
  live.targets.erase(temp_);
}

std::string AtomicOutput::target_of(const std::string& path) {
  LiveOutputs& live = live_outputs();
  const std::lock_guard<std::mutex> lock(live.mutex);
  const auto found = live.targets.find(path);
  return found == live.targets.end() ? path : found->second;
}

void AtomicOutput::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) throw Error(target_ + ": cannot rename the finished temporary file into place: " + ec.message());
  committed_ = true;
}

}  // namespace logp
