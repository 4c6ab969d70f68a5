#pragma once
// Runs a suite: every step is a `logp` command run as a subprocess (fit, score, compare, anomaly,
// data select, data perturb, eval-samples) with --json, its outputs kept under the run directory
// keyed by its configuration (step_cache.hpp). Finished steps are reused, so re-running a suite after a kill
// runs only what is missing, and a fit that was killed mid-training resumes from its checkpoint.
//
// Per dataset (and per one-class subset of it): fit each model (x seeds when seeded) on train with
// early stopping on valid, score on test, compare all models per seed; with perturbed_outliers,
// detect a corrupted copy of the test split; with one_class, detect the other labels' test
// examples; with eval_samples, one `logp eval-samples` step over all the models fitted on the
// dataset (pixels, and the suite's feature network when it names one), a model the command
// refuses being listed as skipped with the reason. The report (JSON) holds every number and its provenance; report_markdown.hpp and
// report_html.hpp render it.
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>

#include "logp/bench/suite.hpp"

namespace logp::bench {

struct RunOptions {
  std::string logp_binary;  // the `logp` program each step runs
  std::string data_dir;     // relative dataset files of the suite are found here
  std::string run_dir;      // step results, keyed by configuration
  int threads = 0;          // --threads of each step (0: all cores)
  int max_epochs = 0;       // > 0: replaces "epochs" in every model that has it (fast runs)
  std::string command;      // the benchmark's own command line, for provenance
  std::ostream* progress = nullptr;  // one line per step
};

inline constexpr int kReportFormatVersion = 1;

// Returns the report: {"format", "suite", "provenance", "steps", "results"}. "results" depends
// only on the suite and the data (reused steps give the same numbers as fresh ones); "steps" says
// which steps ran and which were reused. Throws logp::Error naming the failed step and its stderr.
nlohmann::json run_suite(const Suite& suite, const RunOptions& options);

}  // namespace logp::bench
