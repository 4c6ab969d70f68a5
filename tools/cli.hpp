#pragma once
// Shared pieces of the `logp` command line: one file per verb registers its subcommand here.
#include <CLI/CLI.hpp>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

#include "logp/core/error.hpp"

namespace logp {
class OptionList;
}

namespace logp::cli {

// Exit codes (main.cpp): 0 success, 1 failure, 2 usage error. A UsageError is a mistake in the
// command line found after parsing (options that conflict, an output onto an input); main prints
// it like any error but exits 2, as for CLI11's own parse errors.
class UsageError : public Error {
 public:
  using Error::Error;
};

// A file named on the command line, with the option that named it ("--out").
struct FileArgument {
  std::string option;
  std::string path;
};
using FileArguments = std::vector<FileArgument>;

// Every verb calls this before any work: an output that is the same file as an input (by inode,
// io/same_file.hpp: hard links and symlinks too) or the same file as another output is a
// UsageError naming both options. Empty paths (options not given) are skipped.
void refuse_outputs_over_inputs(const FileArguments& inputs, const FileArguments& outputs);

// Validators with one short message ("-n: 0 is not a positive integer"); CLI11's own ranges print
// their bounds as 300-digit numbers. Integers are checked as 64-bit; the option's own type may
// be narrower (CLI11 then refuses the conversion).
CLI::Validator positive_integer();      // 1, 2, ...
CLI::Validator non_negative_integer();  // 0, 1, ...
CLI::Validator positive_number();       // finite and > 0
CLI::Validator number_between(double low, double high);  // finite, in [low, high]

struct GlobalOptions {
  int threads = 0;     // 0: all cores (TBB's default)
  bool json = false;   // machine-readable output on stdout
  bool quiet = false;  // no progress and no informational lines on stderr (errors still)
};

// `text` written to `path` atomically (io/atomic_output.hpp): complete, or not there at all.
void write_text_file(const std::string& path, const std::string& text);

// The source tree's `git describe` at build time, "unknown" outside a checkout
// (build/generated/git_revision.cpp, cmake/git_revision.cmake).
const char* git_revision();

// Where informational lines go: std::cerr, or a stream that discards them after set_quiet(true)
// (main.cpp, for --quiet).
std::ostream& notes();
void set_quiet(bool quiet);

// A leaf subcommand and what it does once the whole command line has parsed.
struct Command {
  CLI::App* app;
  std::function<void()> run;
};
using Commands = std::vector<Command>;

void add_data_commands(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_data_import_command(CLI::App& data, Commands& commands, const GlobalOptions& global);  // under `data`
void add_fit_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_fit_features_command(CLI::App& fit, Commands& commands, const GlobalOptions& global);  // under `fit`
// `logp fit --model NAME ...` rewritten as `logp fit NAME ...` (argv as strings, argv[0] first).
std::vector<std::string> rewrite_fit_model_option(std::vector<std::string> args);
void add_score_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_sample_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_encode_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_info_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_benchmark_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_compare_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_anomaly_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_eval_samples_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_classify_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_complete_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
void add_translate_command(CLI::App& app, Commands& commands, const GlobalOptions& global);
// `logp completion`: a bash completion script made from the whole app (`root`).
void add_completion_command(CLI::App& root, Commands& commands);
void add_data_transform_commands(CLI::App& data, Commands& commands, const GlobalOptions& global);  // perturb, select

// Declared options as CLI11 options: the same names, help and defaults; a bad value is a usage
// error naming the option. `options` must outlive `app`.
void add_option_list(CLI::App& app, const OptionList& options);

// The command line as typed, for provenance records.
const std::string& command_line();
void set_command_line(int argc, char** argv);

// Formatting helpers for human tables.
std::string fixed(double value, int decimals);
// "mean ± s.e."; "mean ± n/a" when the standard error is undefined (NaN: fewer than two values).
std::string plus_minus(double mean, double std_error, int decimals);

}  // namespace logp::cli
