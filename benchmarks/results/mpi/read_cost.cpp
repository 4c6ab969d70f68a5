// Seconds to read the rows one of R ranks needs in an epoch (a random 1/R of the split, as the
// shuffle picks them) with DatasetSplit::read_examples, against reading the whole split.
// Build and run: see rss.md in this folder.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include "logp/core/rng.hpp"
#include "logp/data/dataset.hpp"
#include "logp/train/epoch_batches.hpp"
using namespace logp;
int main(int, char** argv) {
  const DatasetSplit data = DatasetSplit::open(argv[1], "train");
  Rng rng(1);
  for (int ranks : {2, 4, 16}) {
    const std::vector<Index> order = random_permutation(data.size(), rng);
    std::vector<Index> mine(order.begin(), order.begin() + data.size() / ranks);
    std::sort(mine.begin(), mine.end());
    for (int t = 0; t < 2; ++t) {
      auto s = std::chrono::steady_clock::now();
      const Matrix part = data.read_examples(mine);
      const double a = std::chrono::duration<double>(std::chrono::steady_clock::now() - s).count();
      s = std::chrono::steady_clock::now();
      const Matrix all = data.read_all();
      const double b = std::chrono::duration<double>(std::chrono::steady_clock::now() - s).count();
      std::printf("R=%d: read_examples of %ld rows %.3f s, read_all of %ld rows %.3f s\n", ranks, (long)part.cols(), a,
                  (long)all.cols(), b);
    }
  }
}
