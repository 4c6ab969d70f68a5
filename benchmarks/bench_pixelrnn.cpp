// PixelRNN on binarized Fashion-MNIST for a stated wall-clock budget, before `logp fit` knows the
// model: trains with Adam on shuffled minibatches until the budget is spent, then prints the exact
// test NLL (nats, mean +- standard error over the first `test` test examples) and bits/dim.
//
//   bench_pixelrnn [data=/work/data/fashion-mnist-binary.h5] [layer=diag-bilstm] [layers=7]
//                  [hidden=16] [seconds=600] [test=1000] [batch=16] [shard=4] [lr=0.001] [seed=0]
//                  [out=MODEL.h5] [threads=0]
//
// out: also writes the trained model (a logp model file, `logp score` reads it once the registry
// knows pixelrnn). test=10000 scores the whole test split.
// Arguments are key=value. threads: TBB workers (0: TBB's default, the machine's cores); the result
// does not depend on their number, only on the number of steps the budget allows. test=0 skips
// the test split (throughput only).
#include <tbb/global_control.h>

#include <chrono>
#include <ctime>
#include <memory>
#include <cmath>
#include <cstdio>
#include <map>
#include <numeric>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/eval/score.hpp"
#include "logp/io/model_file.hpp"
#include "logp/models/pixelrnn/pixelrnn.hpp"
#include "logp/train/optimizer.hpp"
#include "logp/train/parallel_gradient.hpp"

using namespace logp;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

std::map<std::string, std::string> parse_arguments(int argc, char** argv) {
  std::map<std::string, std::string> args = {{"data", "/work/data/fashion-mnist-binary.h5"},
                                             {"layer", "diag-bilstm"},
                                             {"layers", "7"},
                                             {"hidden", "16"},
                                             {"seconds", "600"},
                                             {"test", "1000"},
                                             {"batch", "16"},
                                             {"shard", "4"},
                                             {"lr", "0.001"},
                                             {"seed", "0"},
                                             {"out", ""},
                                             {"threads", "0"}};
  for (int k = 1; k < argc; ++k) {
    const std::string a = argv[k];
    const std::size_t eq = a.find('=');
    require(eq != std::string::npos && args.count(a.substr(0, eq)) == 1,
            "bench_pixelrnn: unknown argument '" + a + "' (expected key=value, keys as in the header)");
    args[a.substr(0, eq)] = a.substr(eq + 1);
  }
  return args;
}

}  // namespace

int main(int argc, char** argv) try {
  const std::map<std::string, std::string> args = parse_arguments(argc, argv);
  std::unique_ptr<tbb::global_control> threads;
  if (std::stol(args.at("threads")) > 0)
    threads = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                    static_cast<std::size_t>(std::stol(args.at("threads"))));
  const DatasetSplit train_split = DatasetSplit::open(args.at("data"), "train");
  const DatasetSplit test_split = DatasetSplit::open(args.at("data"), "test");
  PixelRnnOptions options;
  options.layer = parse_pixelrnn_layer(args.at("layer"));
  options.layers = std::stol(args.at("layers"));
  options.hidden = std::stol(args.at("hidden"));
  PixelRnnModel model(train_split.spec(), options);
  Rng rng(std::stoull(args.at("seed")));
  model.initialize(rng);
  const double budget = std::stod(args.at("seconds"));
  const Index batch = std::stol(args.at("batch")), shard = std::stol(args.at("shard"));
  OptimizerOptions optimizer_options;
  optimizer_options.learning_rate = std::stod(args.at("lr"));
  optimizer_options.clip_norm = 10.0;
  Optimizer optimizer(optimizer_options, model.parameters().size());
  std::printf("pixelrnn %s, %ld parameters, on %s (%s)\n", model.hyperparameters().c_str(),
              static_cast<long>(model.num_parameters()), args.at("data").c_str(),
              train_split.spec().describe().c_str());
  std::printf("training: Adam lr %s, batches of %ld (shards of %ld), gradient clipped to norm 10, budget %.0f s\n",
              args.at("lr").c_str(), static_cast<long>(batch), static_cast<long>(shard), budget);
  std::fflush(stdout);

  const Matrix train = train_split.read_all();
  std::vector<Index> order(static_cast<std::size_t>(train.cols()));
  std::iota(order.begin(), order.end(), Index{0});
  ShardGradients shards(model.parameters().size());
  std::vector<float> grad(static_cast<std::size_t>(model.parameters().size()));
  Matrix x(train.rows(), batch);
  const Clock::time_point start = Clock::now();
  const std::clock_t cpu_start = std::clock();  // process CPU time, all threads: robust to a loaded machine
  Index steps = 0, seen = 0, cursor = train.cols();
  double recent = 0.0;
  Index recent_examples = 0;
  while (seconds_since(start) < budget) {
    if (cursor + batch > train.cols()) {  // a new epoch: Fisher-Yates shuffle
      for (Index k = train.cols() - 1; k > 0; --k)
        std::swap(order[static_cast<std::size_t>(k)],
                  order[static_cast<std::size_t>(rng.uniform_index(static_cast<std::uint64_t>(k + 1)))]);
      cursor = 0;
    }
    for (Index j = 0; j < batch; ++j) x.col(j) = train.col(order[static_cast<std::size_t>(cursor + j)]);
    cursor += batch;
    const double nll = shards.compute(model, x, shard, rng.split(static_cast<std::uint64_t>(steps)), grad,
                                      1.0f / static_cast<float>(batch));
    require(std::isfinite(nll), "bench_pixelrnn: non-finite training NLL at step " + std::to_string(steps));
    optimizer.step(model.parameters().values(), grad, 0);
    ++steps;
    seen += batch;
    recent += nll;
    recent_examples += batch;
    if (steps % 200 == 0) {
      std::printf("  step %ld, %.0f s, %ld examples (%.2f epochs): train NLL %.2f nats (last 200 batches)\n",
                  static_cast<long>(steps), seconds_since(start), static_cast<long>(seen),
                  static_cast<double>(seen) / static_cast<double>(train.cols()), recent / recent_examples);
      std::fflush(stdout);
      recent = 0.0;
      recent_examples = 0;
    }
  }
  const double train_seconds = seconds_since(start);
  const double train_cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  if (!args.at("out").empty()) {
    FitRecord record;
    record.data_file = args.at("data");
    record.split = "train";
    record.examples = seen;
    record.seconds = train_seconds;
    record.command = "bench_pixelrnn";
    for (int k = 1; k < argc; ++k) record.command += std::string(" ") + argv[k];
    save_model(model, record, args.at("out"));
    std::printf("wrote %s\n", args.at("out").c_str());
  }

  const Index test_n = std::min<Index>(std::stol(args.at("test")), test_split.size());
  if (test_n <= 0) {
    std::printf("trained %ld steps, %ld examples in %.1f s (%.1f CPU s): %.1f examples/s, %.1f examples/CPU-s\n",
                static_cast<long>(steps), static_cast<long>(seen), train_seconds, train_cpu_seconds,
                static_cast<double>(seen) / train_seconds, static_cast<double>(seen) / train_cpu_seconds);
    return 0;
  }
  const Matrix test = test_split.read(0, test_n);
  const Clock::time_point eval_start = Clock::now();
  const Vector lp = parallel_log_prob(model, test, 16);
  const double eval_seconds = seconds_since(eval_start);
  const double mean = -lp.mean();
  const double sd = std::sqrt((lp.array() + mean).square().sum() / static_cast<double>(std::max<Index>(test_n - 1, 1)));
  const double se = sd / std::sqrt(static_cast<double>(test_n));
  std::printf("trained %ld steps, %ld examples (%.2f epochs) in %.0f s: %.1f examples/s\n", static_cast<long>(steps),
              static_cast<long>(seen), static_cast<double>(seen) / static_cast<double>(train.cols()), train_seconds,
              static_cast<double>(seen) / train_seconds);
  std::printf("test NLL (exact, first %ld test examples): %.2f +- %.2f nats (s.e.), %.4f bits/dim; scored in %.1f s\n",
              static_cast<long>(test_n), mean, se, mean / (static_cast<double>(test.rows()) * std::log(2.0)),
              eval_seconds);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "bench_pixelrnn: %s\n", e.what());
  return 1;
}
