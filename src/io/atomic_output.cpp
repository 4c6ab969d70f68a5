#include "logp/io/atomic_output.hpp"

#include <unistd.h>

#include <filesystem>
#include <system_error>

#include "logp/core/error.hpp"

namespace logp {

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
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) {
    std::error_code ignored;
    std::filesystem::remove(temp_, ignored);
  }
}

void AtomicOutput::commit() {
  std::error_code ec;
  std::filesystem::rename(temp_, target_, ec);
  if (ec) throw Error(target_ + ": cannot rename the finished temporary file into place: " + ec.message());
  committed_ = true;
}

}  // namespace logp
