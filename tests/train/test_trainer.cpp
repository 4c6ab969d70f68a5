#include <sys/wait.h>
#include <unistd.h>

#include <tbb/global_control.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "logp/core/error.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/train/parallel_gradient.hpp"
#include "logp/train/trainer.hpp"
#include "logp/data/dataset_writer.hpp"
#include "support/dataset_file.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

NadeModel tiny_nade(Index dim) {
  NadeOptions options;
  options.hidden = 6;
  NadeModel model(discrete_spec(dim, 2), options);
  Rng rng(42);
  model.initialize(rng);
  return model;
}

TrainOptions tiny_options() {
  TrainOptions options;
  options.batch_size = 16;
  options.shard_size = 4;
  options.max_epochs = 4;
  options.patience = 100;
  options.seed = 7;
  options.optimizer.learning_rate = 0.01;
  return options;
}

std::vector<float> trained_with_threads(int threads, const DatasetSplit& train, const DatasetSplit& valid) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads));
  NadeModel model = tiny_nade(train.dim());
  train_model(model, train, &valid, tiny_options());
  return model.parameters().copy_values();
}

}  // namespace

TEST_CASE("trainer: the trained model is bit-identical for 1, 2 and 4 threads", "[trainer]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 150, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  const std::vector<float> one = trained_with_threads(1, train, valid);
  CHECK(trained_with_threads(2, train, valid) == one);
  CHECK(trained_with_threads(4, train, valid) == one);
  CHECK(one != tiny_nade(10).parameters().copy_values());  // it did train
}

TEST_CASE("trainer: training lowers the validation NLL and keeps the best epoch", "[trainer]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 300, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  NadeModel model = tiny_nade(10);
  const double before = -model.log_prob(valid.read_all()).mean();
  TrainOptions options = tiny_options();
  options.log = dir.file("log.jsonl");
  const TrainResult result = train_model(model, train, &valid, options);
  const double after = -model.log_prob(valid.read_all()).mean();
  CHECK(after < before - 0.5);
  CHECK(after == Approx(result.best_valid_nll).epsilon(1e-6));
  std::ifstream log(options.log);
  int lines = 0;
  for (std::string line; std::getline(log, line);) {
    CHECK_THAT(line, Catch::Contains("\"epoch\": " + std::to_string(lines + 1)) && Catch::Contains("valid_nll"));
    ++lines;
  }
  CHECK(lines == 4);
}

TEST_CASE("trainer: a resumed run ends with the model of an unbroken one", "[trainer][checkpoint]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 150, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");

  NadeModel unbroken = tiny_nade(10);
  train_model(unbroken, train, &valid, tiny_options());

  TrainOptions options = tiny_options();
  options.checkpoint = dir.file("ckpt.h5");
  options.stop_after_epochs = 2;  // "killed" after two epochs
  NadeModel first = tiny_nade(10);
  CHECK(train_model(first, train, &valid, options).epochs_done == 2);
  options.stop_after_epochs = 0;
  options.resume = true;
  NadeModel resumed = tiny_nade(10);  // a fresh process: initial parameters, then the checkpoint
  CHECK(train_model(resumed, train, &valid, options).epochs_done == 4);
  CHECK(resumed.parameters().copy_values() == unbroken.parameters().copy_values());

  // A resume with other settings is refused.
  options.batch_size = 8;
  NadeModel other = tiny_nade(10);
  CHECK_THROWS_WITH(train_model(other, train, &valid, options), Catch::Contains("batch size"));
}

TEST_CASE("trainer: divergence is reported with epoch and batch, the last good checkpoint kept", "[trainer][errors]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 150, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  TrainOptions options = tiny_options();
  options.checkpoint = dir.file("ckpt.h5");
  options.max_epochs = 1;
  options.optimizer.kind = "sgd";
  NadeModel model = tiny_nade(10);
  train_model(model, train, &valid, options);
  const auto written = std::filesystem::last_write_time(options.checkpoint);

  // With an absurd step size the parameters overflow to inf and the objective to NaN. (A resume
  // with another learning rate is refused, so this is a fresh run onto the same checkpoint path.)
  options.max_epochs = 3;
  options.optimizer.learning_rate = 1e38;
  NadeModel diverging = tiny_nade(10);
  CHECK_THROWS_WITH(train_model(diverging, train, &valid, options),
                    Catch::Contains("diverged at epoch 1, batch") && Catch::Contains("ckpt.h5"));
  CHECK(std::filesystem::last_write_time(options.checkpoint) == written);
}

TEST_CASE("trainer: parameters that overflow in an epoch's last step stop training, naming the epoch",
          "[trainer][errors]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 16, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  TrainOptions options = tiny_options();
  options.max_epochs = 1;            // one epoch of one batch: no later objective would show it
  options.optimizer.learning_rate = 1e39;  // finite in double, inf once applied in float
  NadeModel model = tiny_nade(10);
  CHECK_THROWS_WITH(train_model(model, train, &valid, options),
                    Catch::StartsWith("training diverged at epoch 1: parameter") && Catch::Contains("not finite"));
}

TEST_CASE("trainer: a resume with any setting that changes the result is refused, naming it", "[trainer][checkpoint]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 150, 2);
  const std::string other = dir.file("other.h5");
  {  // other.h5: d.h5 with one training value flipped (the same shape, other content)
    DatasetWriter writer(other, discrete_spec(10, 2), {{"source", "test"}});
    std::uint64_t seed = 100;
    for (const char* split : {"train", "valid", "test"}) {
      Matrix x = random_discrete(10, 150, 2, seed++);
      if (std::string(split) == "train") x(0, 0) = 1.0f - x(0, 0);
      writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), {});
    }
    writer.commit();
  }
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  TrainOptions options = tiny_options();
  options.checkpoint = dir.file("ckpt.h5");
  options.stop_after_epochs = 1;
  NadeModel first = tiny_nade(10);
  train_model(first, train, &valid, options);
  options.stop_after_epochs = 0;
  options.resume = true;

  const auto refused = [&](TrainOptions changed, const DatasetSplit& t, const DatasetSplit* v) {
    NadeModel model = tiny_nade(10);
    try {
      train_model(model, t, v, changed);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("resumed");
  };
  TrainOptions lr = options;
  lr.optimizer.learning_rate = 0.02;
  CHECK_THAT(refused(lr, train, &valid), Catch::Contains("ckpt.h5: the checkpoint was made with learning rate '0.01"));
  TrainOptions l2 = options;
  l2.optimizer.l2 = 1e-4;
  CHECK_THAT(refused(l2, train, &valid), Catch::Contains("with l2 '0'"));
  const DatasetSplit other_train = DatasetSplit::open(other, "train");
  CHECK_THAT(refused(options, other_train, &valid), Catch::Contains("with training data '150 x 10"));
  const DatasetSplit test = DatasetSplit::open(data, "test");
  CHECK_THAT(refused(options, train, &test), Catch::Contains("with validation data"));
  CHECK_THAT(refused(options, train, nullptr), Catch::Contains("this run has 'none'"));
  TrainOptions fewer = options;
  fewer.valid_examples = 50;
  CHECK_THAT(refused(fewer, train, &valid), Catch::Contains("with validation data '150 x 10"));
  // What only says where to stop may change.
  TrainOptions longer = options;
  longer.max_epochs = 5;
  longer.patience = 7;
  CHECK(refused(longer, train, &valid) == "resumed");
}

TEST_CASE("trainer: a resume after a kill between the log line and the checkpoint logs each epoch once",
          "[trainer][checkpoint]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 150, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  TrainOptions options = tiny_options();
  options.checkpoint = dir.file("ckpt.h5");
  options.log = dir.file("log.jsonl");
  options.stop_after_epochs = 2;
  NadeModel first = tiny_nade(10);
  train_model(first, train, &valid, options);
  {  // killed after epoch 3's line was written, before its checkpoint was renamed into place
    std::ofstream log(options.log, std::ios::app);
    log << "{\"epoch\": 3, \"train_nll\": 1}\n";
  }
  options.stop_after_epochs = 0;
  options.resume = true;
  NadeModel resumed = tiny_nade(10);
  train_model(resumed, train, &valid, options);
  std::ifstream in(options.log);
  std::vector<int> epochs;
  for (std::string line; std::getline(in, line);) epochs.push_back(std::stoi(line.substr(line.find(':') + 1)));
  CHECK(epochs == std::vector<int>{1, 2, 3, 4});
}

TEST_CASE("trainer: the sharded gradient is the sum of the shards' gradients", "[trainer][gradient]") {
  NadeModel model = tiny_nade(8);
  const Matrix x = random_discrete(8, 37, 2, 3);
  std::vector<float> whole(static_cast<size_t>(model.parameters().size()), 0.0f), sharded(whole.size());
  Rng rng(0);
  const double expected = model.objective_and_grad(x, rng, whole);
  const double got = parallel_objective_and_grad(model, x, 5, rng, sharded);
  CHECK(got == Approx(expected).epsilon(1e-6));
  for (size_t k = 0; k < whole.size(); ++k) CHECK(sharded[k] == Approx(whole[k]).margin(1e-4));
}

TEST_CASE("trainer: temporary files of killed runs are removed when the checkpoint is written again",
          "[trainer][checkpoint]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 20, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  const pid_t dead = ::fork();  // a process that has exited: its PID no longer runs
  if (dead == 0) ::_exit(0);
  REQUIRE(dead > 0);
  ::waitpid(dead, nullptr, 0);
  const std::string stale = dir.file(".ckpt.h5.tmp-" + std::to_string(dead));
  const std::string live = dir.file(".ckpt.h5.tmp-" + std::to_string(::getppid()));  // a running process
  std::ofstream(stale) << "half-written";
  std::ofstream(live) << "being written";
  TrainOptions options = tiny_options();
  options.checkpoint = dir.file("ckpt.h5");
  options.max_epochs = 1;
  NadeModel model = tiny_nade(10);
  train_model(model, train, &valid, options);
  CHECK_FALSE(std::filesystem::exists(stale));
  CHECK(std::filesystem::exists(live));
  CHECK(std::filesystem::exists(options.checkpoint));
}

TEST_CASE("trainer: patience 0 is refused, never an untrained model", "[trainer][errors]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 20, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  TrainOptions options = tiny_options();
  options.patience = 0;
  NadeModel model = tiny_nade(10);
  CHECK_THROWS_WITH(train_model(model, train, &valid, options), Catch::Equals("--patience must be positive, got 0"));
}
