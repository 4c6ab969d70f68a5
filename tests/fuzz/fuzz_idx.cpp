// libFuzzer target: read_idx on arbitrary bytes (plain or gzip). Every input is read or refused
// with a logp::Error.
#include <cstdint>

#include "fuzz_input.hpp"
#include "logp/core/error.hpp"
#include "logp/data/importers/idx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const logp::IdxArray array = logp::read_idx(logp::fuzz::input_file(data, size));
    if ((array.is_float ? array.floats.size() : array.bytes.size()) != array.count()) __builtin_trap();
  } catch (const logp::Error&) {
  }
  return 0;
}
