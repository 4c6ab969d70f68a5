// A training rank's view of the epoch (EpochBatches::for_each_part): for every rank r of R, the
// part it is given is exactly the columns rank_columns(...) of the batch one process sees, over
// several blocks and with uneven last batches; and DatasetSplit::read_examples gives the asked
// examples in order, across read windows, refusing unordered or outside indices.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/parallel/communicator.hpp"
#include "logp/train/epoch_batches.hpp"
#include "logp/train/parallel_gradient.hpp"
#include "support/dataset_file.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// Rank `rank` of `size`, for code that only asks who it is (no messages).
class RankOf final : public Communicator {
 public:
  RankOf(int rank, int size) : rank_(rank), size_(size) {}
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void send(std::span<const float>, int) const override { throw Error("RankOf: no messages"); }
  void receive(std::span<float>, int) const override { throw Error("RankOf: no messages"); }
  void broadcast(std::span<float>, int) const override { throw Error("RankOf: no messages"); }
  void all_gather(std::span<const double>, std::span<double>, std::span<const int>) const override {
    throw Error("RankOf: no messages");
  }
  std::vector<std::string> all_gather_text(const std::string&) const override { throw Error("RankOf: no messages"); }
  void barrier() const override {}

 private:
  int rank_, size_;
};

}  // namespace

TEST_CASE("epoch batches: each rank's part is its shards' columns of the one-process batch", "[trainer][mpi-local]") {
  TempDir dir;
  const DatasetSplit data = DatasetSplit::open(write_discrete_dataset(dir.file("d.h5"), 5, 2500, 4), "train");
  // Blocks of 1100, 1100 and 300 examples (batches of 16 in shards of 4, last batches uneven),
  // and one block of all 2500 (the default).
  for (const Index block : {Index{1100}, Index{0}}) {
    INFO("block " << block);
    std::vector<Matrix> whole;
    EpochBatches one(data, 16, block);
    one.for_each(9, 2, [&](Index, const Matrix& batch) { whole.push_back(batch); });
    for (const int ranks : {1, 2, 3, 5}) {
      for (int rank = 0; rank < ranks; ++rank) {
        INFO(rank << " of " << ranks);
        const RankOf me(rank, ranks);
        EpochBatches mine(data, 16, block);
        Index batches = 0;
        bool all_equal = true;
        mine.for_each_part(9, 2, 4, me, [&](Index index, Index columns, const Matrix& part) {
          const Matrix& batch = whole.at(static_cast<std::size_t>(index));
          const RankRange range = rank_columns(batch.cols(), 4, rank, ranks);
          all_equal = all_equal && index == batches && columns == batch.cols() && part.rows() == batch.rows() &&
                      part == batch.middleCols(range.begin, range.size());
          ++batches;
        });
        CHECK(all_equal);
        CHECK(batches == static_cast<Index>(whole.size()));
      }
    }
  }
}

TEST_CASE("dataset: read_examples gives the asked examples in order and refuses unordered ones", "[data]") {
  TempDir dir;
  const DatasetSplit data = DatasetSplit::open(write_discrete_dataset(dir.file("d.h5"), 3, 3000, 5), "test");
  const Matrix all = data.read_all();
  // Runs of neighbours, gaps above kExampleGap, a run longer than kReadWindow, the last example.
  std::vector<Index> indices = {0, 1, 3, 40, 41, 900};
  for (Index i = 1000; i < 1000 + DatasetSplit::kReadWindow + 50; i += 2) indices.push_back(i);
  indices.push_back(2999);
  const Matrix picked = data.read_examples(indices);
  REQUIRE(picked.cols() == static_cast<Index>(indices.size()));
  bool equal = true;
  for (std::size_t k = 0; k < indices.size(); ++k)
    equal = equal && picked.col(static_cast<Index>(k)) == all.col(indices[k]);
  CHECK(equal);
  CHECK(data.read_examples({}).cols() == 0);
  const std::vector<Index> unordered = {4, 2};
  CHECK_THROWS_WITH(data.read_examples(unordered), Catch::Contains("example 2") && Catch::Contains("out of order"));
  const std::vector<Index> outside = {3000};
  CHECK_THROWS_WITH(data.read_examples(outside), Catch::Contains("d.h5:/test/x") && Catch::Contains("3000"));
}
