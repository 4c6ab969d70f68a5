// libFuzzer target: a dataset file on arbitrary bytes, read as `logp fit --data` reads it: open
// the train split (kind, levels, shape, dtype checked), read its examples and labels. Every
// input is read or refused with a logp::Error; a crash, a sanitizer report, another exception or
// a batch whose size disagrees with the split's is a bug.
#include <cstdint>

#include "fuzz_input.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    const logp::DatasetSplit split = logp::DatasetSplit::open(logp::fuzz::input_file(data, size), "train");
    if (split.size() * split.dim() > (1 << 24)) return 0;  // larger than any input: a sparse dataset
    const logp::Matrix x = split.read_all();
    if (x.rows() != split.dim() || x.cols() != split.size()) __builtin_trap();
    if (split.has_labels() && static_cast<logp::Index>(split.read_labels().size()) != split.size())
      __builtin_trap();
  } catch (const logp::Error&) {
  }
  return 0;
}
