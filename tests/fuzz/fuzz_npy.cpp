// libFuzzer target: read_npy on arbitrary bytes. Every input is read or refused with a
// logp::Error; a crash, a sanitizer report or any other exception is a bug.
#include <cstdint>

#include "fuzz_input.hpp"
#include "logp/core/error.hpp"
#include "logp/data/importers/npy.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const logp::ImportedTable table = logp::read_npy(logp::fuzz::input_file(data, size));
    const std::size_t values = static_cast<std::size_t>(table.n * table.d);
    if ((table.is_bytes ? table.bytes.size() : table.numbers.size()) != values) __builtin_trap();
  } catch (const logp::Error&) {
  }
  return 0;
}
