// The progress reporter (core/progress.hpp): its modes, rate limit, thread safety, and that a
// training run reports every epoch without changing the trained model.
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <iostream>
#include <sstream>

#include "logp/core/progress.hpp"
#include "logp/models/nade/nade.hpp"
#include "logp/train/trainer.hpp"
#include "support/dataset_file.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// Sets the mode and a captured stream for one test, restoring off and std::cerr after.
struct CapturedProgress {
  std::ostringstream text;
  explicit CapturedProgress(ProgressMode mode) {
    set_progress_mode(mode);
    set_progress_stream(text);
  }
  ~CapturedProgress() {
    set_progress_mode(ProgressMode::off);
    set_progress_stream(std::cerr);
  }
};

std::vector<float> train_tiny_nade(const DatasetSplit& train, const DatasetSplit& valid, bool progress) {
  NadeOptions nade;
  nade.hidden = 6;
  NadeModel model(discrete_spec(train.dim(), 2), nade);
  Rng rng(42);
  model.initialize(rng);
  TrainOptions options;
  options.batch_size = 16;
  options.shard_size = 4;
  options.max_epochs = 3;
  options.seed = 7;
  options.progress = progress;
  train_model(model, train, &valid, options);
  return model.parameters().copy_values();
}

}  // namespace

TEST_CASE("progress: durations are short and readable", "[progress]") {
  CHECK(format_duration(4.25) == "4.2 s");
  CHECK(format_duration(185) == "3 min 05 s");
  CHECK(format_duration(3720) == "1 h 02 min");
  CHECK(format_duration(-1) == "?");
}

TEST_CASE("progress: lines mode prints one line per epoch, never a carriage return, and the same model",
          "[progress][trainer]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 150, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  const std::vector<float> silent = train_tiny_nade(train, valid, false);
  std::string text;
  std::vector<float> reported;
  {
    CapturedProgress capture(ProgressMode::lines);
    reported = train_tiny_nade(train, valid, true);
    text = capture.text.str();
  }
  CHECK(reported == silent);  // bit for bit
  CHECK(text.find('\r') == std::string::npos);
  for (int epoch = 1; epoch <= 3; ++epoch)
    CHECK_THAT(text, Catch::Contains("epoch " + std::to_string(epoch) + "/3: train NLL ") &&
                         Catch::Contains("valid NLL") && Catch::Contains("examples/s"));
  CHECK(std::count(text.begin(), text.end(), '\n') == 3);  // a short job: only the epoch lines
  CHECK_THAT(text, Catch::Contains("(best)"));
}

TEST_CASE("progress: off mode prints nothing", "[progress][trainer]") {
  TempDir dir;
  const std::string data = write_discrete_dataset(dir.file("d.h5"), 10, 60, 2);
  const DatasetSplit train = DatasetSplit::open(data, "train"), valid = DatasetSplit::open(data, "valid");
  CapturedProgress capture(ProgressMode::off);
  train_tiny_nade(train, valid, true);
  CHECK(capture.text.str().empty());
}

TEST_CASE("progress: live redraws are rate-limited and the line is cleared at the end", "[progress]") {
  CapturedProgress capture(ProgressMode::live);
  long calls = 0;
  {
    Progress progress("counting", 0, "units");
    progress.step("a line that stays");
    while (progress.elapsed_seconds() < 0.35) {
      progress.advance();
      ++calls;
    }
  }
  const std::string text = capture.text.str();
  // At most one redraw per 0.1 s, however often advance() is called.
  const auto redraws = std::count(text.begin(), text.end(), '\r') - 1;  // less the final clear
  CHECK(calls > 1000);
  CHECK(redraws >= 1);
  CHECK(redraws <= 4);
  CHECK_THAT(text, Catch::Contains("a line that stays\n") && Catch::Contains("counting: "));
  CHECK(text.substr(text.size() - 4) == "\r\033[K");  // the live line does not outlive the job
}

TEST_CASE("progress: advance from TBB tasks counts every unit, a nested progress is silent", "[progress]") {
  CapturedProgress capture(ProgressMode::lines);
  Progress outer("outer", 100'000, "units");
  tbb::parallel_for(tbb::blocked_range<int>(0, 100'000, 7), [&](const tbb::blocked_range<int>& range) {
    Progress inner("inner", 1, "units");
    inner.step("inner line");  // silent: the outer one is shown
    for (int i = range.begin(); i < range.end(); ++i) outer.advance();
  });
  CHECK(outer.done() == 100'000);
  CHECK(capture.text.str().find("inner") == std::string::npos);
}
