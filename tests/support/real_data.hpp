#pragma once
// Small real-valued datasets for the continuous-model tests.
#include <string>
#include <vector>

#include "logp/core/rng.hpp"
#include "logp/data/dataset_writer.hpp"

namespace logp::testing {

inline DataSpec real_spec(Index dim) {
  DataSpec spec;
  spec.kind = DataKind::real;
  spec.levels = 0;
  spec.dim = dim;
  return spec;
}

// D x N values a + b * U[0,1) drawn from Rng(seed), different scales per dimension.
inline Matrix random_real(Index dim, Index n, std::uint64_t seed, double low = 0.0, double high = 1.0) {
  Rng rng(seed);
  Matrix x(dim, n);
  for (Index j = 0; j < n; ++j)
    for (Index i = 0; i < dim; ++i) x(i, j) = static_cast<float>(low + (high - low) * rng.uniform());
  return x;
}

// Splits train, valid, test, each a D x N matrix.
inline std::string write_real_dataset(const std::string& path, const Matrix& train, const Matrix& valid,
                                      const Matrix& test) {
  DatasetWriter writer(path, real_spec(train.rows()), {{"source", "test"}});
  writer.add_split("train", std::vector<float>(train.data(), train.data() + train.size()), {});
  writer.add_split("valid", std::vector<float>(valid.data(), valid.data() + valid.size()), {});
  writer.add_split("test", std::vector<float>(test.data(), test.data() + test.size()), {});
  writer.commit();
  return path;
}

}  // namespace logp::testing
