#pragma once
// The processes of a parallel run (MPI ranks) and the few operations logp needs between them.
//
// logp's code talks to a Communicator, never to MPI: world() is the process's communicator, a
// single-process one (rank 0 of 1, every operation a copy or a no-op) unless the command line
// was started by mpirun/srun in a build with LOGP_MPI, where tools/mpi/ installs an MPI one
// (set_world). All operations are blocking and called by the main thread only (never from a TBB
// task); the collective ones (broadcast, all_gather, all_gather_text, barrier) must be called by every rank in the
// same order.
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

class Communicator {
 public:
  virtual ~Communicator() = default;
  virtual int rank() const = 0;  // 0 .. size()-1
  virtual int size() const = 0;  // number of ranks R

  // Point to point: `values` (same length on both sides) from this rank to rank `to`.
  virtual void send(std::span<const float> values, int to) const = 0;
  virtual void receive(std::span<float> values, int from) const = 0;
  // root's values to every rank.
  virtual void broadcast(std::span<float> values, int root) const = 0;
  // all = rank 0's `mine`, then rank 1's, ...: counts[r] doubles from rank r (counts has size()
  // entries, sum(counts) == all.size(), mine.size() == counts[rank()]).
  virtual void all_gather(std::span<const double> mine, std::span<double> all, std::span<const int> counts) const = 0;
  // Every rank's `mine` (any bytes, any length per rank), in rank order.
  virtual std::vector<std::string> all_gather_text(const std::string& mine) const = 0;
  virtual void barrier() const = 0;
};

// Rank 0 of 1.
class SingleProcess final : public Communicator {
 public:
  int rank() const override { return 0; }
  int size() const override { return 1; }
  void send(std::span<const float> values, int to) const override;
  void receive(std::span<float> values, int from) const override;
  void broadcast(std::span<float>, int) const override {}
  void all_gather(std::span<const double> mine, std::span<double> all, std::span<const int> counts) const override;
  std::vector<std::string> all_gather_text(const std::string& mine) const override { return {mine}; }
  void barrier() const override {}
};

// The process's communicator (a SingleProcess unless set_world installed another).
const Communicator& world();
// Installs `communicator` as world() (nullptr: back to a SingleProcess); for tools/mpi/.
void set_world(std::unique_ptr<Communicator> communicator);

// The contiguous part [begin, end) of n items that rank `rank` of `size` takes: n*rank/size to
// n*(rank+1)/size, so every item has one rank and the ranks' parts are in rank order.
struct RankRange {
  Index begin = 0;
  Index end = 0;
  Index size() const { return end - begin; }
};
RankRange rank_range(Index n, int rank, int size);
// Every rank's rank_range(n, ., size).size(), for all_gather.
std::vector<int> rank_counts(Index n, int size);

}  // namespace logp
