// libFuzzer target: load_model on arbitrary bytes (a model file as `logp info` / `score` read it),
// then score two examples with it. Every input is loaded or refused with a logp::Error; a crash,
// a sanitizer report, another exception or a non-finite score is a bug. Raw bytes mostly exercise
// libhdf5's own parser; fuzz_model_fields changes the contents of valid files instead.
#include <cstdint>

#include "fuzz_input.hpp"
#include "logp/core/error.hpp"
#include "logp/io/model_file.hpp"
#include "model_use.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const auto model = logp::load_model(logp::fuzz::input_file(data, size));
    logp::fuzz::use_model(*model);
  } catch (const logp::Error&) {
  }
  return 0;
}
