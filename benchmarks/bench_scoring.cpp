// Scoring throughput (examples/s) of the count models on binarized Fashion-MNIST, 1 and 2 threads.
//   build/bench_scoring [data/fashion-mnist-binary.h5] [repeats]
// Fits each model on train, then times parallel_log_prob over the whole test split held in memory
// (best of `repeats`). Prints a Markdown table; the ratio column is 2 threads / 1 thread.
#include <tbb/global_control.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "bench_timer.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/models/bernoulli/bernoulli.hpp"
#include "logp/models/markov/markov.hpp"

using namespace logp;

namespace {

double examples_per_second(const DensityModel& model, const Matrix& x, int threads, int repeats) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  volatile double sink = 0.0;
  const double seconds = bench::best_seconds(repeats, [&] { sink = sink + parallel_log_prob(model, x).sum(); });
  return static_cast<double>(x.cols()) / seconds;
}

MarkovModel markov(const DatasetSplit& train, int order, const std::string& context) {
  MarkovOptions options;
  options.order = order;
  options.context = parse_context(context);
  return MarkovModel::fit(train, options);
}

}  // namespace

int main(int argc, char** argv) {
  const std::string path = argc > 1 ? argv[1] : "data/fashion-mnist-binary.h5";
  const int repeats = argc > 2 ? std::stoi(argv[2]) : 5;
  const DatasetSplit train = DatasetSplit::open(path, "train");
  const Matrix test = DatasetSplit::open(path, "test").read_all();

  std::vector<std::pair<std::string, std::unique_ptr<DensityModel>>> models;
  models.emplace_back("bernoulli", std::make_unique<BernoulliModel>(BernoulliModel::fit(train, 1.0)));
  models.emplace_back("markov order 1", std::make_unique<MarkovModel>(markov(train, 1, "")));
  models.emplace_back("markov order 3", std::make_unique<MarkovModel>(markov(train, 3, "")));
  models.emplace_back("markov left,up,up-left,up-right",
                      std::make_unique<MarkovModel>(markov(train, 1, "left,up,up-left,up-right")));

  std::printf("scoring %ld test examples of %s (D=%ld), best of %d runs\n\n", static_cast<long>(test.cols()),
              path.c_str(), static_cast<long>(test.rows()), repeats);
  std::printf("| model | examples/s, 1 thread | examples/s, 2 threads | 2T / 1T |\n|---|---:|---:|---:|\n");
  for (const auto& [name, model] : models) {
    const double one = examples_per_second(*model, test, 1, repeats);
    const double two = examples_per_second(*model, test, 2, repeats);
    std::printf("| %s | %.0f | %.0f | %.2f |\n", name.c_str(), one, two, two / one);
  }
  return 0;
}
