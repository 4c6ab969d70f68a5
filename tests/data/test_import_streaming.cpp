// `logp data import` streams: the file it writes equals the in-memory pipeline's (read the whole
// table, check it, carve valid/test with the seeded shuffle, write each split at once: the
// import as it was before streaming) value for value and label for label, for NPY, IDX (gzip)
// and CSV inputs read in many blocks; and its peak memory is a fraction of the data it imports.
#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <random>

#include "file_helpers.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/data/importers/split_carving.hpp"
#include "logp/data/importers/table_reader.hpp"
#include "logp/io/h5.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// Runs the CLI with `args` (no shell) and returns its exit code and peak resident memory in bytes:
// its VmHWM, read when it exits (stopped there under ptrace). Not ru_maxrss from wait4: Linux
// keeps that across fork and exec, so it would include this test process's own size.
struct MeasuredRun {
  int exit_code = -1;
  std::uint64_t peak_rss = 0;
  std::string err;
};

std::uint64_t peak_rss_of(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmHWM:", 0) == 0) return std::stoull(line.substr(6)) * 1024;  // kB
  return 0;
}

// Under AddressSanitizer the peak is not measured: its allocator and shadow pages make RSS
// meaningless, and LeakSanitizer stops the world with ptrace, which a traced process cannot.
#if defined(__SANITIZE_ADDRESS__)
constexpr bool kMeasurable = false;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool kMeasurable = false;
#else
constexpr bool kMeasurable = true;
#endif
#else
constexpr bool kMeasurable = true;
#endif

MeasuredRun run_measured(const std::vector<std::string>& args, const TempDir& capture) {
  std::vector<std::string> argv_text = {LOGP_CLI_PATH};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const std::string out = capture.file("out"), err = capture.file("err");
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    const int out_fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (out_fd < 0 || err_fd < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(126);
    if (kMeasurable) ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  MeasuredRun run;
  if (!kMeasurable) {
    REQUIRE(waitpid(pid, &status, 0) == pid);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.err = read_text(err);
    return run;
  }
  REQUIRE(waitpid(pid, &status, 0) == pid);  // stopped at the exec
  REQUIRE(WIFSTOPPED(status));
  REQUIRE(ptrace(PTRACE_SETOPTIONS, pid, nullptr, PTRACE_O_TRACEEXIT) == 0);
  for (;;) {
    REQUIRE(ptrace(PTRACE_CONT, pid, nullptr, nullptr) == 0);
    REQUIRE(waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status) || WIFSIGNALED(status)) break;
    if (status >> 8 == (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) run.peak_rss = peak_rss_of(pid);
  }
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.err = read_text(err);
  return run;
}

// The import before streaming: whole tables in memory, carved by select_rows, written at once.
void import_in_memory(const ImportedTable& train, const DataSpec& spec, double valid_fraction, double test_fraction,
                      std::uint64_t seed, const std::string& out) {
  const std::vector<std::uint8_t> x = to_discrete(train, spec);
  const Index n_valid = carved_count(valid_fraction, train.n), n_test = carved_count(test_fraction, train.n);
  const CarvedRows rows = carve_rows(train.n, n_valid, n_test, seed);
  DatasetWriter writer(out, spec, {{"source", "reference"}});
  writer.add_split("train", select_rows(x, spec.dim, rows.train), select_rows(train.labels, 1, rows.train));
  writer.add_split("valid", select_rows(x, spec.dim, rows.valid), select_rows(train.labels, 1, rows.valid));
  writer.add_split("test", select_rows(x, spec.dim, rows.test), select_rows(train.labels, 1, rows.test));
  writer.commit();
}

// Every split's x (uint8) and y of the two dataset files are equal, shapes included.
void check_same_data(const std::string& a, const std::string& b) {
  const H5File fa = H5File::open(a), fb = H5File::open(b);
  for (const char* split : {"train", "valid", "test"}) {
    INFO(split);
    const H5Group ga = fa.root().group(split), gb = fb.root().group(split);
    std::vector<std::uint64_t> dims_a, dims_b;
    CHECK(ga.read<std::uint8_t>("x", &dims_a) == gb.read<std::uint8_t>("x", &dims_b));
    CHECK(dims_a == dims_b);
    CHECK(ga.read<std::int64_t>("y") == gb.read<std::int64_t>("y"));
    CHECK(ga.attr_string("x", "kind") == gb.attr_string("x", "kind"));
    CHECK(ga.attr_ints("x", "shape") == gb.attr_ints("x", "shape"));
  }
}

std::vector<std::uint8_t> random_bits(std::size_t count, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> bits(count);
  for (std::uint8_t& b : bits) b = static_cast<std::uint8_t>(rng() & 1u);
  return bits;
}

std::vector<std::int64_t> cyclic_labels(std::size_t n) {
  std::vector<std::int64_t> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = static_cast<std::int64_t>(i % 7);
  return labels;
}

DataSpec binary_images(Index h, Index w) {
  DataSpec spec;
  spec.kind = DataKind::binary;
  spec.levels = 2;
  spec.dim = h * w;
  spec.shape = {h, w, 1};
  return spec;
}

}  // namespace

TEST_CASE("data import streams: peak memory under a quarter of the data, the file equals the in-memory import",
          "[data][import][memory]") {
  // 160,000 binary 28x28 images: 125 MB of values, more than 4x the importer's peak memory (about
  // 26 MB, of which 20 MB is the program before it reads anything).
  constexpr std::size_t kN = 160000, kD = 784;
  TempDir dir;
  {
    // Written a block at a time (the input is never whole in memory, here either).
    std::ofstream x(dir.file("x.npy"), std::ios::binary);
    x << npy_bytes("|u1", "(" + std::to_string(kN) + ", 28, 28)", nullptr, 0);
    for (std::size_t first = 0; first < kN; first += 1000) {
      const std::vector<std::uint8_t> bits = random_bits(1000 * kD, static_cast<std::uint32_t>(first));
      x.write(reinterpret_cast<const char*>(bits.data()), static_cast<std::streamsize>(bits.size()));
    }
  }
  write_text(dir.file("y.npy"), npy_of("<i8", "(" + std::to_string(kN) + ",)", cyclic_labels(kN)));
  const std::uint64_t data_bytes = kN * kD;

  const MeasuredRun run = run_measured({"--threads", "1", "data", "import", "--format", "npy", "--kind", "binary",
                                        "--train", dir.file("x.npy"), "--train-labels", dir.file("y.npy"),
                                        "--valid-fraction", "0.1", "--test-fraction", "0.2", "--seed", "5", "--out",
                                        dir.file("streamed.h5")},
                                       dir);
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  INFO("peak RSS " << run.peak_rss / 1000000.0 << " MB for " << data_bytes / 1000000.0 << " MB of values");
  if (kMeasurable) CHECK(4 * run.peak_rss <= data_bytes);

  ImportedTable train = read_table(TableFormat::npy, dir.file("x.npy"));
  train.labels = to_labels(read_table(TableFormat::npy, dir.file("y.npy")));
  import_in_memory(train, binary_images(28, 28), 0.1, 0.2, 5, dir.file("reference.h5"));
  check_same_data(dir.file("streamed.h5"), dir.file("reference.h5"));
}

TEST_CASE("data import streams IDX (gzip) and CSV in many blocks, equal to the in-memory import",
          "[data][import]") {
  // 1000 examples of D = 784: the importer reads blocks of 167, so a carved split's rows come from
  // several blocks.
  constexpr std::size_t kN = 1000, kD = 784;
  TempDir dir;
  const std::vector<std::uint8_t> bits = random_bits(kN * kD, 3);
  const std::vector<std::int64_t> labels = cyclic_labels(kN);
  ImportedTable table;
  table.source = "generated";
  table.n = kN;
  table.d = kD;
  table.is_bytes = true;
  table.bytes = bits;
  table.labels = labels;
  import_in_memory(table, binary_images(28, 28), 0.15, 0.25, 9, dir.file("reference.h5"));
  const auto import = [&](const std::string& args) {
    const CliResult run = run_cli("data import --kind binary " + args + " --valid-fraction 0.15 --test-fraction 0.25 "
                                  "--seed 9 --out " + dir.file("streamed.h5"));
    INFO(run.err);
    REQUIRE(run.exit_code == 0);
    check_same_data(dir.file("streamed.h5"), dir.file("reference.h5"));
  };

  SECTION("IDX, gzip-compressed images and labels") {
    const auto write_gz = [](const std::string& path, const std::string& bytes) {
      gzFile file = gzopen(path.c_str(), "wb");
      REQUIRE(file != nullptr);
      REQUIRE(gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) == static_cast<int>(bytes.size()));
      REQUIRE(gzclose(file) == Z_OK);
    };
    std::string label_bytes;
    for (std::int64_t label : labels) label_bytes += static_cast<char>(label);
    write_gz(dir.file("x.idx.gz"), idx_bytes(0x08, {kN, 28, 28}, std::string(bits.begin(), bits.end())));
    write_gz(dir.file("y.idx.gz"), idx_bytes(0x08, {kN}, label_bytes));
    import("--format idx --train " + dir.file("x.idx.gz") + " --train-labels " + dir.file("y.idx.gz"));
  }
  SECTION("CSV with a label column and a header") {
    std::string csv = "label";
    for (std::size_t j = 0; j < kD; ++j) csv += ",p" + std::to_string(j);
    csv += "\n";
    for (std::size_t i = 0; i < kN; ++i) {
      csv += std::to_string(labels[i]);
      for (std::size_t j = 0; j < kD; ++j) csv += bits[i * kD + j] ? ",1" : ",0";
      csv += i % 100 == 0 ? "\n\n" : "\n";  // blank lines are skipped
    }
    write_text(dir.file("x.csv"), csv);
    import("--format csv --label-column label --shape 28,28 --train " + dir.file("x.csv"));
  }
}
