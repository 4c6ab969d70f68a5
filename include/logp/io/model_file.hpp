#pragma once
// Model files (HDF5). Layout:
//   /            attributes format="logp-model", format_version, type, logp_version
//   /data        the DataSpec the model accepts (kind, levels, dim, shape)
//   /model       written by Model::save: hyperparameters as attributes, parameters as datasets
//   /fit         how it was made: data file, split, examples, seconds, command, created
// Written atomically (temporary name, then rename).
#include <memory>
#include <string>

#include "logp/model.hpp"

namespace logp {

inline constexpr std::int64_t kModelFormatVersion = 1;

struct FitRecord {
  std::string data_file;
  std::string split;
  Index examples = 0;
  double seconds = 0.0;
  std::string command;
  std::string created;  // ISO 8601, UTC
};

void save_model(const Model& model, const FitRecord& record, const std::string& path);
std::unique_ptr<Model> load_model(const std::string& path);
// Loads a model and checks that it has a density (log_prob); names the file if not.
std::unique_ptr<DensityModel> load_density_model(const std::string& path);
FitRecord read_fit_record(const std::string& path);

std::string utc_now_iso8601();

}  // namespace logp
