#include "logp/data/dataset_writer.hpp"

#include <cmath>

#include "logp/core/error.hpp"

namespace logp {

DatasetWriter::DatasetWriter(std::string path, DataSpec spec, std::map<std::string, std::string> provenance)
    : spec_(std::move(spec)), provenance_(std::move(provenance)), output_(std::move(path)) {
  require(spec_.dim > 0, output_.target() + ": examples must have D > 0");
  file_ = std::make_unique<H5File>(H5File::create(output_.temp_path()));
  file_->root().set_attr("format", std::string("logp-dataset"));
  file_->root().set_attr("format_version", std::int64_t{1});
}

void DatasetWriter::check_labels(const std::string& name, size_t n, const std::vector<std::int64_t>& labels) const {
  if (!labels.empty() && labels.size() != n)
    throw Error(output_.target() + ":/" + name + "/y: " + std::to_string(labels.size()) + " labels for " +
                std::to_string(n) + " examples");
}

void DatasetWriter::write_attributes(const H5Group& group) const {
  group.set_attr("x", "kind", std::string(to_string(spec_.kind)));
  if (spec_.kind == DataKind::categorical) group.set_attr("x", "levels", static_cast<std::int64_t>(spec_.levels));
  if (!spec_.shape.empty()) group.set_attr("x", "shape", std::vector<std::int64_t>(spec_.shape.begin(), spec_.shape.end()));
  for (const auto& [key, value] : provenance_) group.set_attr("x", key, value);
}

void DatasetWriter::add_split(const std::string& name, const std::vector<std::uint8_t>& rows,
                              const std::vector<std::int64_t>& labels) {
  require(spec_.is_discrete(), output_.target() + ":/" + name + "/x: uint8 values given for real data");
  const size_t d = static_cast<size_t>(spec_.dim);
  require(rows.size() % d == 0, output_.target() + ":/" + name + "/x: " + std::to_string(rows.size()) +
                                    " values is not a whole number of examples of D=" + std::to_string(d));
  const size_t n = rows.size() / d;
  for (size_t k = 0; k < rows.size(); ++k)
    if (rows[k] >= spec_.levels)
      throw Error(output_.target() + ":/" + name + "/x: value " + std::to_string(rows[k]) + " at example " +
                  std::to_string(k / d) + ", dimension " + std::to_string(k % d) + " is not valid " +
                  std::string(to_string(spec_.kind)) + " data (expected 0.." + std::to_string(spec_.levels - 1) + ")");
  check_labels(name, n, labels);
  const H5Group group = file_->root().create_group(name);
  group.write<std::uint8_t>("x", {n, d}, rows.data());
  write_attributes(group);
  if (!labels.empty()) group.write<std::int64_t>("y", {n}, labels.data());
}

void DatasetWriter::add_split(const std::string& name, const std::vector<float>& rows,
                              const std::vector<std::int64_t>& labels) {
  require(!spec_.is_discrete(), output_.target() + ":/" + name + "/x: float values given for " +
                                    std::string(to_string(spec_.kind)) + " data");
  const size_t d = static_cast<size_t>(spec_.dim);
  require(rows.size() % d == 0, output_.target() + ":/" + name + "/x: " + std::to_string(rows.size()) +
                                    " values is not a whole number of examples of D=" + std::to_string(d));
  const size_t n = rows.size() / d;
  for (size_t k = 0; k < rows.size(); ++k)
    if (!std::isfinite(rows[k]))
      throw Error(output_.target() + ":/" + name + "/x: value " + std::to_string(rows[k]) + " at example " +
                  std::to_string(k / d) + ", dimension " + std::to_string(k % d) + " is not finite");
  check_labels(name, n, labels);
  const H5Group group = file_->root().create_group(name);
  group.write<float>("x", {n, d}, rows.data());
  write_attributes(group);
  if (!labels.empty()) group.write<std::int64_t>("y", {n}, labels.data());
}

void DatasetWriter::commit() {
  file_->flush();
  file_.reset();  // close before the rename
  output_.commit();
}

}  // namespace logp
