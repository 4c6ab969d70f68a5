// HDF5 streaming read throughput against reading the same bytes raw.
//   build/bench_hdf5_read [data/fashion-mnist-binary.h5] [chunk] [repeats]
// Both paths read the train split in chunks of `chunk` examples and produce the same D x chunk
// float batch: (a) DatasetSplit::read (HDF5 hyperslab + value check + uint8->float), (b) pread of
// the same N x D bytes from a raw copy + uint8->float. The files are in the page cache (warm):
// this measures the library overhead, not the disk.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bench_timer.hpp"
#include "logp/data/dataset.hpp"

using namespace logp;

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "data/fashion-mnist-binary.h5";
  const Index chunk = argc > 2 ? std::stol(argv[2]) : 4096;
  const int repeats = argc > 3 ? std::stoi(argv[3]) : 5;
  const DatasetSplit train = DatasetSplit::open(path, "train");
  const Index n = train.size(), d = train.dim();

  // The raw copy: the same example-major bytes.
  const std::string raw_path = (std::filesystem::temp_directory_path() / "logp-bench-raw.bin").string();
  {
    const Matrix all = train.read_all();
    const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> bytes = all.cast<std::uint8_t>();
    std::ofstream out(raw_path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }

  volatile float sink = 0.0f;
  const double hdf5 = bench::best_seconds(repeats, [&] {
    for_each_batch(train, chunk, [&](Index, const Matrix& batch) { sink = sink + batch(0, 0); });
  });
  const int fd = ::open(raw_path.c_str(), O_RDONLY);
  std::vector<std::uint8_t> buffer(static_cast<size_t>(chunk * d));
  const double raw = bench::best_seconds(repeats, [&] {
    for (Index first = 0; first < n; first += chunk) {
      const Index count = std::min(chunk, n - first);
      const ssize_t got = ::pread(fd, buffer.data(), static_cast<size_t>(count * d), static_cast<off_t>(first * d));
      if (got != static_cast<ssize_t>(count * d)) std::abort();
      const Matrix batch = Eigen::Map<const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic>>(
                               buffer.data(), d, count).cast<float>();
      sink = sink + batch(0, 0);
    }
  });
  ::close(fd);
  std::filesystem::remove(raw_path);

  const double megabytes = static_cast<double>(n * d) / 1e6;
  std::printf("reading %ld x %ld uint8 (%.1f MB) of %s:/train in chunks of %ld, warm cache, best of %d\n\n",
              static_cast<long>(n), static_cast<long>(d), megabytes, path.c_str(), static_cast<long>(chunk), repeats);
  std::printf("| path | seconds | MB/s | examples/s |\n|---|---:|---:|---:|\n");
  std::printf("| HDF5 DatasetSplit::read (checked) | %.3f | %.0f | %.0f |\n", hdf5, megabytes / hdf5, n / hdf5);
  std::printf("| raw pread + cast | %.3f | %.0f | %.0f |\n", raw, megabytes / raw, n / raw);
  std::printf("\nHDF5 / raw throughput ratio: %.2f\n", raw / hdf5);
  return 0;
}
