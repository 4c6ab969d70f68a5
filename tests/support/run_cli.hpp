#pragma once
// Runs the built `logp` binary (LOGP_CLI_PATH) and captures its exit code and output.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

#include "support/temp_dir.hpp"

namespace logp::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// args is appended to the binary's path as it is (quote paths with spaces yourself).
inline CliResult run_cli(const std::string& args) {
  TempDir capture;
  const std::string command = std::string(LOGP_CLI_PATH) + " " + args + " >" + capture.file("out") + " 2>" +
                              capture.file("err");
  const int status = std::system(command.c_str());
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_text(capture.file("out"));
  result.err = read_text(capture.file("err"));
  return result;
}

}  // namespace logp::testing
