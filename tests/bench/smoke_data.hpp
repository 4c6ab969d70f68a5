#pragma once
// The dataset the built-in smoke suite reads (smoke-binary.h5): 6x6 binary images with labels
// 0..2, each class a different stripe pattern with 10% noise, so models and one-class detection
// have something to find. Splits train 90, valid 30, test 30 (labels cycle 0, 1, 2).
#include <string>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/data/dataset_writer.hpp"

namespace logp::testing {

inline std::string write_smoke_dataset(const std::string& dir) {
  const Index height = 6, width = 6, dim = height * width;
  const std::string path = dir + "/smoke-binary.h5";
  DatasetWriter writer(path, DataSpec{DataKind::binary, 2, dim, {height, width, 1}}, {{"source", "smoke test"}});
  Rng rng(7);
  for (const auto& [split, n] : std::vector<std::pair<std::string, Index>>{{"train", 90}, {"valid", 30}, {"test", 30}}) {
    std::vector<std::uint8_t> rows;
    std::vector<std::int64_t> labels;
    for (Index j = 0; j < n; ++j) {
      const int label = static_cast<int>(j % 3);
      labels.push_back(label);
      for (Index r = 0; r < height; ++r)
        for (Index c = 0; c < width; ++c) {
          // class 0: horizontal stripes, 1: vertical stripes, 2: a filled centre square
          const bool on = label == 0 ? r % 2 == 0 : label == 1 ? c % 2 == 0 : (r >= 1 && r <= 4 && c >= 1 && c <= 4);
          rows.push_back(static_cast<std::uint8_t>(rng.uniform() < 0.1 ? !on : on));
        }
    }
    writer.add_split(split, rows, labels);
  }
  writer.commit();
  return path;
}

}  // namespace logp::testing
