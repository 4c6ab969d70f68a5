// Scoring time of a saved model on a split held in memory, for the scikit-learn comparison
// (benchmarks/peers/sklearn_density.py): the in-process counterpart of KernelDensity.score_samples.
//   build/bench_sklearn_scoring MODEL DATA [split=test] [threads=2] [repeats=3]
// Prints one JSON line: {"seconds": best of repeats, "mean_log_prob": nats/example}. The test
// split is read first (not timed); the model's own log_prob is timed via parallel_log_prob.
#include <tbb/global_control.h>

#include <cstdio>
#include <string>

#include "bench_timer.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/model_file.hpp"

using namespace logp;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s MODEL DATA [split] [threads] [repeats]\n", argv[0]);
    return 2;
  }
  const std::string split = argc > 3 ? argv[3] : "test";
  const int threads = argc > 4 ? std::stoi(argv[4]) : 2;
  const int repeats = argc > 5 ? std::stoi(argv[5]) : 3;
  const std::unique_ptr<DensityModel> model = load_density_model(argv[1]);
  const Matrix x = DatasetSplit::open(argv[2], split).read_all();
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  Vector log_probs;
  const double seconds = bench::best_seconds(repeats, [&] { log_probs = parallel_log_prob(*model, x); });
  std::printf("{\"seconds\": %.6f, \"mean_log_prob\": %.10f}\n", seconds, log_probs.mean());
  return 0;
}
