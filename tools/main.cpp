// logp: probabilistic modeling and density estimation from the shell.
// Exit codes: 0 success, 1 failure (one line on stderr saying what to do), 2 usage error.
#include <tbb/global_control.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "mpi/parallel_session.hpp"
#include "logp/core/error.hpp"
#include "logp/core/progress.hpp"
#include "logp/core/text.hpp"
#include "logp/parallel/communicator.hpp"

namespace {

// The last guard of the one-line rule: a message's words (maximal runs without spaces) longer
// than 200 bytes, such as a 100,000-digit value echoed back, are cut to their first 40.
std::string one_line(const std::string& message) {
  constexpr std::size_t kLongest = 200;
  std::string out;
  std::size_t start = 0;
  while (start < message.size()) {
    std::size_t end = message.find_first_of(" \n", start);
    if (end == std::string::npos) end = message.size();
    const std::string_view word = std::string_view(message).substr(start, end - start);
    out += word.size() > kLongest ? logp::excerpt(word) : std::string(word);
    if (end < message.size()) out += message[end];
    start = end + 1;
  }
  return out;
}

// The command's exit code; failures are reported on `errors` (every rank's real stderr).
int run_command_line(int argc, char** argv, std::ostream& errors) {
  using namespace logp::cli;
  // A file size limit (ulimit -f) makes write() fail with EFBIG, reported like a full disk,
  // instead of killing the process with a core dump.
  std::signal(SIGXFSZ, SIG_IGN);
  set_command_line(argc, argv);
  std::vector<std::string> args = rewrite_fit_model_option(std::vector<std::string>(argv, argv + argc));
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  CLI::App app{"logp: how probable is this data under this model, and how sure are we?"};
  app.require_subcommand(1);
  app.fallthrough();  // --threads, --json and --quiet are accepted after the verb too
  GlobalOptions global;
  app.add_option("--threads", global.threads, "worker threads (default: all cores)")
      ->check(non_negative_integer());
  app.add_flag("--json", global.json, "machine-readable JSON on stdout");
  app.add_flag("-q,--quiet", global.quiet, "no progress or informational lines on stderr (errors still)");
  app.set_version_flag("--version", std::string("logp ") + LOGP_VERSION + " (git " + git_revision() + ")");

  Commands commands;
  add_data_commands(app, commands, global);
  add_fit_command(app, commands, global);
  add_score_command(app, commands, global);
  add_sample_command(app, commands, global);
  add_encode_command(app, commands, global);
  add_info_command(app, commands, global);
  add_benchmark_command(app, commands, global);
  add_compare_command(app, commands, global);
  add_anomaly_command(app, commands, global);
  add_eval_samples_command(app, commands, global);
  add_classify_command(app, commands, global);
  add_complete_command(app, commands, global);
  add_translate_command(app, commands, global);
  add_completion_command(app, commands);  // last: it lists the commands above

  try {
    app.parse(static_cast<int>(arg_pointers.size()), arg_pointers.data());
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << one_line(e.what()) << "\nRun with --help for more information.\n";
    return 2;
  }

  // Progress of long jobs (core/progress.hpp): redrawn in place on a terminal, plain lines otherwise.
  // In a parallel run rank 0 alone shows progress (docs/mpi.md).
  set_quiet(global.quiet);
  const bool silent = global.quiet || logp::world().rank() != 0;
  logp::set_progress_mode(silent ? logp::ProgressMode::off : logp::default_progress_mode());
  std::unique_ptr<tbb::global_control> threads;
  if (global.threads > 0)
    threads = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<size_t>(global.threads));
  try {
    for (const Command& command : commands)
      if (command.app->parsed()) {
        command.run();
        return 0;
      }
    std::cerr << "logp: no command given; run 'logp --help'\n";
    return 2;
  } catch (const UsageError& e) {
    errors << "logp: error: " << one_line(e.what()) << "\n";
    return 2;
  } catch (const CLI::ParseError& e) {
    errors << "logp: error: " << one_line(e.what()) << "\n";
    return 2;
  } catch (const logp::Error& e) {
    errors << "logp: error: " << one_line(e.what()) << "\n";
    return 1;
  } catch (const std::exception& e) {
    errors << "logp: unexpected error: " << one_line(e.what()) << "\n";
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::ostream errors(std::cerr.rdbuf());  // stays stderr on every rank of a parallel run
  logp::cli::ParallelSession session(argc, argv);
  const int code = run_command_line(argc, argv, errors);
  if (code != 0) session.fail(code, errors);
  return code;
}
