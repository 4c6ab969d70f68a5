// logp: probabilistic modeling and density estimation from the shell.
// Exit codes: 0 success, 1 failure (one line on stderr saying what to do), 2 usage error.
#include <tbb/global_control.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"
#include "logp/core/error.hpp"

int main(int argc, char** argv) {
  using namespace logp::cli;
  set_command_line(argc, argv);
  std::vector<std::string> args = rewrite_fit_model_option(std::vector<std::string>(argv, argv + argc));
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) arg_pointers.push_back(arg.data());
  CLI::App app{"logp: how probable is this data under this model, and how sure are we?"};
  app.require_subcommand(1);
  app.fallthrough();  // --threads and --json are accepted after the verb too
  GlobalOptions global;
  app.add_option("--threads", global.threads, "worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--json", global.json, "machine-readable JSON on stdout");
  app.set_version_flag("--version", std::string("logp ") + LOGP_VERSION);

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

  try {
    app.parse(static_cast<int>(arg_pointers.size()), arg_pointers.data());
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }

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
  } catch (const logp::Error& e) {
    std::cerr << "logp: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "logp: unexpected error: " << e.what() << "\n";
    return 1;
  }
}
