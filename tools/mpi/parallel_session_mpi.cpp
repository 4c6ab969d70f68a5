// The MPI implementation of logp::Communicator and of the command line's parallel session.
// The only file of logp that calls MPI.
#include <mpi.h>

#include <cstdlib>
#include <iostream>
#include <memory>
#include <streambuf>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/parallel/communicator.hpp"
#include "parallel_session.hpp"

namespace logp::cli {
namespace {

// Messages are cut into pieces of at most this many elements (MPI counts are int).
constexpr std::size_t kPiece = std::size_t{1} << 28;

void check(int code, const char* what) {
  if (code != MPI_SUCCESS) throw Error(std::string("MPI: ") + what + " failed (error " + std::to_string(code) + ")");
}

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    check(MPI_Comm_rank(MPI_COMM_WORLD, &rank_), "MPI_Comm_rank");
    check(MPI_Comm_size(MPI_COMM_WORLD, &size_), "MPI_Comm_size");
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }

  void send(std::span<const float> values, int to) const override {
    for (std::size_t first = 0; first < values.size(); first += kPiece)
      check(MPI_Send(values.data() + first, static_cast<int>(std::min(kPiece, values.size() - first)), MPI_FLOAT, to, 0,
                     MPI_COMM_WORLD),
            "MPI_Send");
  }
  void receive(std::span<float> values, int from) const override {
    for (std::size_t first = 0; first < values.size(); first += kPiece)
      check(MPI_Recv(values.data() + first, static_cast<int>(std::min(kPiece, values.size() - first)), MPI_FLOAT, from,
                     0, MPI_COMM_WORLD, MPI_STATUS_IGNORE),
            "MPI_Recv");
  }
  void broadcast(std::span<float> values, int root) const override {
    for (std::size_t first = 0; first < values.size(); first += kPiece)
      check(MPI_Bcast(values.data() + first, static_cast<int>(std::min(kPiece, values.size() - first)), MPI_FLOAT, root,
                      MPI_COMM_WORLD),
            "MPI_Bcast");
  }
  void all_gather(std::span<const double> mine, std::span<double> all, std::span<const int> counts) const override {
    require(static_cast<int>(counts.size()) == size_ &&
                static_cast<std::size_t>(counts[static_cast<std::size_t>(rank_)]) == mine.size(),
            "all_gather: " + std::to_string(mine.size()) + " values from rank " + std::to_string(rank_));
    std::vector<int> offsets(counts.size(), 0);
    for (std::size_t r = 1; r < counts.size(); ++r) offsets[r] = offsets[r - 1] + counts[r - 1];
    require(static_cast<std::size_t>(offsets.back() + counts.back()) == all.size(),
            "all_gather: the counts do not add up to " + std::to_string(all.size()));
    check(MPI_Allgatherv(mine.data(), static_cast<int>(mine.size()), MPI_DOUBLE, all.data(), counts.data(),
                         offsets.data(), MPI_DOUBLE, MPI_COMM_WORLD),
          "MPI_Allgatherv");
  }
  std::vector<std::string> all_gather_text(const std::string& mine) const override {
    require(mine.size() <= kPiece, "all_gather_text: " + std::to_string(mine.size()) + " bytes from rank " +
                                       std::to_string(rank_) + " (at most " + std::to_string(kPiece) + ")");
    const int size = static_cast<int>(mine.size());
    std::vector<int> sizes(static_cast<std::size_t>(size_)), offsets(static_cast<std::size_t>(size_), 0);
    check(MPI_Allgather(&size, 1, MPI_INT, sizes.data(), 1, MPI_INT, MPI_COMM_WORLD), "MPI_Allgather");
    long long total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      require(total + sizes[r] <= static_cast<long long>(kPiece), "all_gather_text: more than 256 MiB in all");
      offsets[r] = static_cast<int>(total);
      total += sizes[r];
    }
    std::string all(static_cast<std::size_t>(total), '\0');
    check(MPI_Allgatherv(mine.data(), size, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR,
                         MPI_COMM_WORLD),
          "MPI_Allgatherv");
    std::vector<std::string> out;
    for (std::size_t r = 0; r < sizes.size(); ++r)
      out.push_back(all.substr(static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(sizes[r])));
    return out;
  }
  void barrier() const override { check(MPI_Barrier(MPI_COMM_WORLD), "MPI_Barrier"); }

 private:
  int rank_ = 0;
  int size_ = 1;
};

bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE"})
    if (std::getenv(name) != nullptr) return true;
  return false;
}

// Swallows what ranks other than 0 write on std::cout and std::cerr.
class NullBuffer final : public std::streambuf {
 protected:
  int overflow(int c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

NullBuffer null_buffer;

}  // namespace

ParallelSession::ParallelSession(int& argc, char**& argv) {
  if (!launched_by_mpi()) return;
  int provided = 0;
  // Only the main thread calls MPI (TBB's workers never do).
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    std::cerr << "logp: MPI_Init failed; run logp without mpirun, or check the MPI installation\n";
    std::exit(1);
  }
  started_ = true;
  auto communicator = std::make_unique<MpiCommunicator>();
  if (communicator->rank() != 0) {
    std::cout.rdbuf(&null_buffer);
    std::cerr.rdbuf(&null_buffer);
  }
  set_world(std::move(communicator));
}

ParallelSession::~ParallelSession() {
  if (!started_) return;
  set_world(nullptr);
  MPI_Finalize();
}

void ParallelSession::fail(int exit_code, std::ostream& errors) {
  if (!started_ || world().size() == 1) return;
  errors << "logp: rank " << world().rank() << " of " << world().size() << " failed; ending every rank of the job\n";
  errors.flush();
  MPI_Abort(MPI_COMM_WORLD, exit_code);
}

}  // namespace logp::cli
