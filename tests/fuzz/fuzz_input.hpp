#pragma once
// The importers read files, so each fuzz input is written to one file per process first.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace logp::fuzz {

// Writes the input to a temporary file (the same one for every input of this process, its name
// ending in `suffix`) and returns its path. The readers are then run on it exactly as the command
// line runs them.
inline const std::string& input_file(const std::uint8_t* data, std::size_t size, const char* suffix = "") {
  static const std::string path = [suffix] {
    const char* dir = std::getenv("TMPDIR");
    return std::string(dir ? dir : "/tmp") + "/logp-fuzz-input-" + std::to_string(::getpid()) + suffix;
  }();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) std::abort();
  if (size > 0 && std::fwrite(data, 1, size, file) != size) std::abort();
  std::fclose(file);
  return path;
}

}  // namespace logp::fuzz
