// logp benchmark: run a suite (models x datasets x seeds x analyses) as `logp` subprocesses and
// write its report as JSON, Markdown and HTML. Finished steps are reused (keyed by configuration),
// so a killed or extended run continues where it stopped. Under `mpirun -np R` the ranks share the
// suite's steps (each step runs once, on the rank that claims it) and rank 0 writes the reports.
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/bench/report_html.hpp"
#include "logp/bench/report_markdown.hpp"
#include "logp/bench/suite_runner.hpp"
#include "logp/core/error.hpp"
#include "logp/core/text.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/parallel/communicator.hpp"

namespace logp::cli {
namespace {

struct BenchmarkOptions {
  std::string suite;
  std::string data_dir = "data";
  std::string out;      // default: benchmark-results/SUITE
  std::string run_dir;  // default: OUT/runs
  int max_epochs = 0;
  bool print_suite = false;
  bool list = false;
  bool mpi = false;  // refuse to run unless started by an MPI launcher with several ranks
};

// A file name for one fit's grid: "fmnist-binary_nade-h500_seed-1.png" (letters, digits, '-', '_').
std::string grid_file_name(const nlohmann::json& grid) {
  std::string name = grid["dataset"].get<std::string>() + "_" + grid["model"].get<std::string>() +
                     (grid["seed"].is_null() ? "" : "_seed-" + grid["seed"].dump());
  for (char& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  return name + ".png";
}

// Copies each sample grid from its step's directory to OUT/samples/ and records that path,
// relative to the reports ("file"), which is how the Markdown and HTML reports show it.
void copy_sample_grids(nlohmann::json& report, const std::string& out_dir) {
  for (nlohmann::json& grid : report["results"]["sample_grids"]) {
    if (!grid["png"].is_string()) continue;
    const std::string source = grid["png"].get<std::string>();
    std::ifstream in(source, std::ios::binary);
    if (!in) throw Error(source + ": cannot read the sample grid");
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string file = "samples/" + grid_file_name(grid);
    std::error_code ec;
    std::filesystem::create_directories(out_dir + "/samples", ec);
    if (ec) throw Error(out_dir + "/samples: cannot create the directory: " + ec.message());
    write_text_file(out_dir + "/" + file, bytes);
    grid["file"] = file;
  }
}

void run_benchmark(const BenchmarkOptions& options, const GlobalOptions& global) {
  if (options.list) {
    for (const std::string& name : bench::builtin_suite_names())
      std::cout << name << ": " << bench::load_suite(name).description << "\n";
    return;
  }
  if (options.suite.empty())
    throw UsageError("give --suite NAME (built-in: " + join(bench::builtin_suite_names(), ", ") + ") or --suite FILE.json");
  if (options.mpi && world().size() < 2)
    throw UsageError("benchmark --mpi: not started as an MPI job of several ranks; run it as mpirun -np R logp "
                     "benchmark --mpi ... (or srun --mpi=pmix), see docs/mpi.md");
  const bench::Suite suite = bench::load_suite(options.suite);
  if (options.print_suite) {
    std::cout << suite.definition.dump(2) << "\n";
    return;
  }
  const std::string out_dir = options.out.empty() ? "benchmark-results/" + suite.name : options.out;
  const std::string json_path = out_dir + "/report.json", markdown_path = out_dir + "/report.md",
                    html_path = out_dir + "/report.html";
  refuse_outputs_over_inputs({{"--suite", options.suite}},
                             {{"--out", json_path}, {"--out", markdown_path}, {"--out", html_path}});
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) throw Error(out_dir + ": cannot create the output directory: " + ec.message());

  bench::RunOptions run;
  run.logp_binary = std::filesystem::read_symlink("/proc/self/exe").string();
  run.data_dir = options.data_dir;
  run.run_dir = options.run_dir.empty() ? out_dir + "/runs" : options.run_dir;
  run.threads = global.threads;
  run.max_epochs = options.max_epochs;
  run.command = command_line();
  run.progress = &notes();
  nlohmann::json report = bench::run_suite(suite, run);
  if (world().rank() != 0) return;  // every rank has the report; rank 0 writes it
  copy_sample_grids(report, out_dir);

  write_text_file(json_path, report.dump(2) + "\n");
  write_text_file(markdown_path, bench::render_markdown(report));
  write_text_file(html_path, bench::render_html(report));
  size_t reused = 0;
  for (const nlohmann::json& step : report["steps"]) reused += step["reused"].get<bool>() ? 1 : 0;
  if (global.json) {
    std::cout << nlohmann::json{{"suite", suite.name},
                                {"report", {{"json", json_path}, {"markdown", markdown_path}, {"html", html_path}}},
                                {"run_dir", run.run_dir},
                                {"steps", report["steps"].size()},
                                {"reused", reused}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << bench::render_markdown(report) << "\nran " << report["steps"].size() - reused << " steps, reused "
              << reused << "; wrote " << json_path << ", " << markdown_path << ", " << html_path << "\n";
  }
}

}  // namespace

void add_benchmark_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<BenchmarkOptions>();
  CLI::App* benchmark = app.add_subcommand(
      "benchmark", "run a suite of fits, scores, comparisons and anomaly tests; write JSON, Markdown and HTML reports");
  benchmark->add_option("--suite", options->suite, "built-in suite name (see --list) or a suite file ending in .json");
  benchmark->add_option("--data-dir", options->data_dir, "where the suite's relative dataset files are")
      ->capture_default_str();
  benchmark->add_option("--out", options->out, "report directory (default: benchmark-results/SUITE)");
  benchmark->add_option("--run-dir", options->run_dir,
                        "step results, reused when a step's configuration is unchanged (default: OUT/runs)");
  benchmark->add_option("--epochs", options->max_epochs,
                        "fast runs: replace every model's \"epochs\" fit option by this (0: as in the suite)")
      ->check(non_negative_integer());
  benchmark->add_flag("--print-suite", options->print_suite, "print the suite's JSON (to copy and edit) and exit");
  benchmark->add_flag("--list", options->list, "list the built-in suites and exit");
  benchmark->add_flag("--mpi", options->mpi,
                      "spread the steps over the ranks of an MPI job (mpirun -np R logp benchmark --mpi ...); refuse "
                      "to run as a single process");
  commands.push_back({benchmark, [options, &global] { run_benchmark(*options, global); }});
}

}  // namespace logp::cli
