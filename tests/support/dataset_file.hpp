#pragma once
// Writes small logp dataset files for tests.
#include <string>
#include <vector>

#include "logp/data/dataset_writer.hpp"
#include "support/binary_data.hpp"

namespace logp::testing {

// Random discrete examples (see random_discrete) in splits train, valid, test of n each.
inline std::string write_discrete_dataset(const std::string& path, Index dim, Index n, int levels,
                                          std::vector<Index> shape = {}) {
  DatasetWriter writer(path, discrete_spec(dim, levels, std::move(shape)), {{"source", "test"}});
  std::uint64_t seed = 100;
  for (const char* split : {"train", "valid", "test"}) {
    const Matrix x = random_discrete(dim, n, levels, seed++);
    writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), {});
  }
  writer.commit();
  return path;
}

}  // namespace logp::testing
