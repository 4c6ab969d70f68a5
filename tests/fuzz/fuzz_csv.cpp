// libFuzzer target: read_csv on arbitrary bytes, with the header detected and with the first
// byte choosing the separator. Every input is read or refused with a logp::Error.
#include <cstdint>

#include "fuzz_input.hpp"
#include "logp/core/error.hpp"
#include "logp/data/importers/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const char separators[] = {',', ';', '\t', ' '};
  logp::CsvOptions options;
  options.separator = size > 0 ? separators[data[0] % 4] : ',';
  try {
    const logp::ImportedTable table = logp::read_csv(logp::fuzz::input_file(data, size), options);
    if (table.numbers.size() != static_cast<std::size_t>(table.n * table.d)) __builtin_trap();
    if (table.lines.size() != static_cast<std::size_t>(table.n)) __builtin_trap();
  } catch (const logp::Error&) {
  }
  return 0;
}
