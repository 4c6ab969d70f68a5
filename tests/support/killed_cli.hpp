#pragma once
// Runs the built `logp` binary and kills it with SIGKILL after a delay: a crash, a power cut or
// `kill -9` at an arbitrary point. For the fault tests: after a kill, no output is half-written
// and a rerun (or --resume) ends as an unbroken run.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "support/run_cli.hpp"

namespace logp::testing {

struct KilledRun {
  bool finished = false;  // it ended before the kill
  int exit_code = -1;     // when finished
};

// args as for run_cli; output goes to /dev/null. Kills after `delay` unless it ends first.
inline KilledRun run_cli_killed_after(const std::string& args, std::chrono::microseconds delay) {
  const std::string command = "exec " + std::string(LOGP_CLI_PATH) + " " + args + " >/dev/null 2>&1";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  KilledRun run;
  if (pid < 0) return run;
  const auto deadline = std::chrono::steady_clock::now() + delay;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      run.finished = true;
      run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return run;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, &status, 0);
  if (WIFEXITED(status)) {  // it ended between the last poll and the kill
    run.finished = true;
    run.exit_code = WEXITSTATUS(status);
  }
  return run;
}

// The wall time of an unbroken run of `args` (to spread kill points over it); its result in *result.
inline std::chrono::microseconds time_cli(const std::string& args, CliResult* result) {
  const auto start = std::chrono::steady_clock::now();
  *result = run_cli(args);
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
}

}  // namespace logp::testing
