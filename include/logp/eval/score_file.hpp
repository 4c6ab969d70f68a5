#pragma once
// Per-example value files, as written by `logp score --out` and `logp anomaly --out`.
//   CSV:  a header `index,<name>[,<name>...]`, then one row per example, index 0..N-1 in order.
//   HDF5: one 1-D float64 dataset per column at the root, with attributes (units, likelihood_kind,
//         model, data, ...).
#include <string>
#include <vector>

#include "logp/core/types.hpp"
#include "logp/model.hpp"

namespace logp {

// One model's per-example log-likelihoods read back from a `logp score --out` file.
struct ScoreFile {
  std::string path;
  std::string value_name;  // log_prob, elbo, ...
  LikelihoodKind kind = LikelihoodKind::exact;
  std::string data;        // the scored data (file:/split/x) when recorded (HDF5), else empty
  Vector log_probs;        // N values, nats
};

// CSV kind comes from the column name: log_prob -> exact, elbo -> lower bound, iwae* -> estimate.
ScoreFile read_score_file(const std::string& path);
LikelihoodKind likelihood_kind_of_value_name(const std::string& value_name, const std::string& where);

// A named column of per-example values with its units, for write_columns.
struct Column {
  std::string name;
  std::string units;
  Vector values;
};
// Writes columns (all N long) to a .csv (index first) or .h5 file, atomically. attributes are
// stored on every HDF5 dataset (ignored for CSV).
void write_columns(const std::string& path, const std::vector<Column>& columns,
                   const std::vector<std::pair<std::string, std::string>>& attributes);

}  // namespace logp
