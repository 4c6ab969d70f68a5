#pragma once
// Small labelled binary images for classifier tests: 8 x 8, three classes, ink mostly in the top
// half (class 0), the bottom half (1) or the left half (2): pixels on with probability 0.7 there
// and 0.1 elsewhere.
#include <cstdint>
#include <string>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/data/dataset_writer.hpp"

namespace logp::testing {

inline DataSpec labelled_image_spec() { return DataSpec{DataKind::binary, 2, 64, {8, 8, 1}}; }

// x: 64 x n, labels: n in 0..2.
inline void make_labelled_images(Index n, std::uint64_t seed, Matrix& x, std::vector<std::int64_t>& labels) {
  Rng rng(seed);
  x.resize(64, n);
  labels.resize(static_cast<size_t>(n));
  for (Index j = 0; j < n; ++j) {
    const std::int64_t label = static_cast<std::int64_t>(rng.uniform_index(3));
    labels[static_cast<size_t>(j)] = label;
    for (Index y = 0; y < 8; ++y)
      for (Index c = 0; c < 8; ++c) {
        const bool inked = label == 0 ? y < 4 : label == 1 ? y >= 4 : c < 4;
        x(y * 8 + c, j) = rng.uniform() < (inked ? 0.7 : 0.1) ? 1.0f : 0.0f;
      }
  }
}

// A dataset file with labelled splits train (n_train) and test (n_test).
inline std::string write_labelled_image_dataset(const std::string& path, Index n_train, Index n_test) {
  DatasetWriter writer(path, labelled_image_spec(), {{"source", "test"}});
  std::uint64_t seed = 1;
  for (const auto& [split, n] : {std::pair<const char*, Index>{"train", n_train}, {"test", n_test}}) {
    Matrix x;
    std::vector<std::int64_t> labels;
    make_labelled_images(n, seed++, x, labels);
    writer.add_split(split, std::vector<std::uint8_t>(x.data(), x.data() + x.size()), labels);
  }
  writer.commit();
  return path;
}

}  // namespace logp::testing
