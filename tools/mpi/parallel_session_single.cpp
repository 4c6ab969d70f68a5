// A build without MPI (LOGP_MPI=OFF): logp is always one process.
#include "parallel_session.hpp"

namespace logp::cli {

ParallelSession::ParallelSession(int&, char**&) {}
ParallelSession::~ParallelSession() = default;
void ParallelSession::fail(int, std::ostream&) {}

}  // namespace logp::cli
