#pragma once
// Runs a program and waits for it, with its stdout and stderr sent to files.
#include <string>
#include <vector>

namespace logp::bench {

// argv[0] is the program's path (no PATH search); the program gets this process's environment
// less an MPI launcher's variables (OMPI_*, PMIX_*, PMI_*). Returns the exit status; a program killed by a
// signal returns 128 + the signal number. Throws logp::Error if it cannot be started.
int run_process(const std::vector<std::string>& argv, const std::string& stdout_path, const std::string& stderr_path);

// The arguments as a shell would need them typed (single-quoted where needed), for reports.
std::string shell_quoted(const std::vector<std::string>& argv);

}  // namespace logp::bench
