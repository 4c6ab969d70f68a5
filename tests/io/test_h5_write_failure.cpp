// H5File::create writes nothing until flush(); a write that fails there (a full disk, here a file
// size limit) is one logp::Error naming the AtomicOutput's target, and the process goes on. With
// HDF5 writing the file itself, HDF5 1.10 crashed at exit after such a failure.
#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <filesystem>
#include <fstream>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"
#include "support/run_cli.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// A file size limit for this process while in scope (SIGXFSZ ignored, as a full disk sends none).
class FileSizeLimit {
 public:
  explicit FileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    saved_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, saved_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

 private:
  rlimit saved_{};
  void (*saved_handler_)(int) = nullptr;
};

void write_matrix_file(const AtomicOutput& output) {
  const H5File file = H5File::create(output.temp_path());
  const H5Group root = file.root();
  root.set_attr("format", std::string("test"));
  std::vector<double> values(10000, 1.5);
  root.create_group("g").write<double>("x", {100, 100}, values.data());
  file.flush();
}

}  // namespace

TEST_CASE("H5File: a failed write is one Error naming the target, the target and the process survive",
          "[io][faults]") {
  TempDir dir;
  const std::string target = dir.file("out.h5");
  std::ofstream(target) << "the old contents";
  {
    AtomicOutput output(target);
    FileSizeLimit limit(4096);
    CHECK_THROWS_WITH(write_matrix_file(output),
                      Catch::StartsWith(target + ": cannot write the file (File too large)"));
  }
  CHECK(read_text(target) == "the old contents");
  CHECK(dir.listing() == std::vector<std::string>{"out.h5"});

  // Without the limit the same writer works, and the file reads back.
  {
    AtomicOutput output(target);
    write_matrix_file(output);
    output.commit();
  }
  const H5File file = H5File::open(target);
  CHECK(file.root().attr_string("format") == "test");
  std::vector<std::uint64_t> dims;
  const std::vector<double> x = file.root().group("g").read<double>("x", &dims);
  CHECK(dims == std::vector<std::uint64_t>{100, 100});
  CHECK(x == std::vector<double>(10000, 1.5));
}

TEST_CASE("H5File::create: an unwritable place fails at once, naming the target", "[io]") {
  TempDir dir;
  const std::string target = dir.file("missing/out.h5");
  CHECK_THROWS_WITH(H5File::create(target), Catch::Contains(target) && Catch::Contains("cannot create the file"));
}
