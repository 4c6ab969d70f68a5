// libFuzzer target: a benchmark suite file on arbitrary bytes, read as `logp benchmark --suite
// FILE.json` reads it (load_suite), then each model's `logp fit` arguments. Every input is read or
// refused with a logp::Error; a crash, a sanitizer report or another exception is a bug.
#include <cstdint>
#include <string>

#include "fuzz_input.hpp"
#include "logp/bench/suite.hpp"
#include "logp/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const std::string& file = logp::fuzz::input_file(data, size, ".json");
    const logp::bench::Suite suite = logp::bench::load_suite(file);
    for (const logp::bench::SuiteModel& model : suite.models) logp::bench::fit_arguments(model.fit, model.name);
  } catch (const logp::Error&) {
  }
  return 0;
}
