#pragma once
// Per-example value files, as written by `logp score --out` and `logp anomaly --out`.
//   CSV:  a header `index,<name>[,<name>...]`, then one row per example, index 0..N-1 in order.
//   HDF5: one 1-D float64 dataset per column at the root, with attributes (units, and those the
//         writer is given: likelihood_kind, model, data, ...).
// A `logp score --out` file holds one column whose HDF5 dataset records its likelihood_kind;
// read_score_file reads it back.
#include <string>
#include <utility>
#include <vector>

#include "logp/core/types.hpp"
#include "logp/eval/example_values.hpp"

namespace logp {

// One model's per-example log-likelihoods read back from a `logp score --out` file.
struct ScoreFile {
  std::string path;
  std::string data;       // the scored data (file:/split/x) when recorded (HDF5), else empty
  ExampleValues values;   // a likelihood kind, nats
};

// CSV kind comes from the column name: log_prob -> exact, elbo -> lower bound, iwae* -> estimate.
ScoreFile read_score_file(const std::string& path);
LikelihoodKind likelihood_kind_of_value_name(const std::string& value_name, const std::string& where);

// Whether `path` names a score file (.csv, .h5 or .hdf5).
bool is_score_file_name(const std::string& path);

using FileAttributes = std::vector<std::pair<std::string, std::string>>;

// Writes columns (all N long) to a .csv (index first) or .h5 file, atomically. On HDF5 each
// column's dataset gets the attribute units and `attributes` (ignored for CSV).
void write_score_file(const std::string& path, const std::vector<ExampleValues>& columns,
                      const FileAttributes& attributes);

// The attributes of a `logp score --out` file of `values` (likelihood_kind, model, data).
FileAttributes score_file_attributes(const ExampleValues& values, const std::string& model_path,
                                     const std::string& data_where);

}  // namespace logp
