#pragma once
// The command line's place in a parallel run. Built with LOGP_MPI (parallel_session_mpi.cpp) and
// started by a launcher (mpirun, mpiexec, srun: it sets OMPI_COMM_WORLD_SIZE, PMIX_RANK or
// PMI_RANK), the session initializes MPI and installs an MPI communicator as logp::world();
// otherwise (parallel_session_single.cpp, or no launcher) it does nothing and logp is one process.
//
// Ranks other than 0 print nothing on stdout and std::cerr (rank 0 speaks for the job); `errors`
// stays the real stderr of every rank, for failures.
#include <ostream>

namespace logp::cli {

class ParallelSession {
 public:
  ParallelSession(int& argc, char**& argv);
  ~ParallelSession();  // MPI_Finalize after a success
  ParallelSession(const ParallelSession&) = delete;
  ParallelSession& operator=(const ParallelSession&) = delete;

  // After a failure with `exit_code`: when the job has several ranks, says so on `errors` and ends
  // every rank (MPI_Abort), so that none waits forever for this one; returns otherwise.
  void fail(int exit_code, std::ostream& errors);

 private:
  bool started_ = false;
};

}  // namespace logp::cli
