#pragma once
// Input files read through zlib, so that a gzip-compressed file (wine.csv.gz, x.npy.gz) is
// decompressed transparently and a plain file is read as it is: whole, or in pieces (GzInput).
#include <cstdint>
#include <string>

#include <zlib.h>

namespace logp {

// Throws Error naming the path if the file is missing, unreadable or a corrupt gzip stream.
std::string read_file_bytes(const std::string& path);

// A plain or gzip-compressed input file read front to back in pieces. Errors name the path and,
// where given, `what` was being read ("IDX values").
class GzInput {
 public:
  explicit GzInput(const std::string& path);  // refuses a missing file or a directory
  ~GzInput();
  GzInput(const GzInput&) = delete;
  GzInput& operator=(const GzInput&) = delete;

  // Up to `bytes` bytes; fewer only at the end of the file (then the gzip trailer is checked).
  std::uint64_t read_up_to(void* out, std::uint64_t bytes, const char* what);
  // Exactly `bytes` bytes, or "file ends early while reading the WHAT (truncated?)".
  void read(void* out, std::uint64_t bytes, const char* what);
  // The bytes left (0 at the end of the file), counted in pieces.
  std::uint64_t count_rest(const char* what);
  // The size of the file on disk (compressed, for a gzip file).
  std::uint64_t disk_size() const { return disk_size_; }

 private:
  void finish();  // closes the file, checking a gzip stream's trailer
  std::string path_;
  gzFile file_ = nullptr;
  std::uint64_t disk_size_ = 0;
};

}  // namespace logp
