#include "logp/io/atomic_output.hpp"

#include <unistd.h>

#include <filesystem>
#include <map>
#include <mutex>
#include <system_error>

#include "logp/core/error.hpp"

namespace logp {
namespace {

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
