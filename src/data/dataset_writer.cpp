#include "logp/data/dataset_writer.hpp"

#include <cmath>
#include <type_traits>

#include "logp/core/error.hpp"

namespace logp {
namespace {

// Bytes to reserve on disk for `examples` examples with labels, and the metadata around them:
// the superblock, three groups, six object headers, and the provenance attributes, stored once
// on each x (variable-length strings in a global heap). The margin is many times what HDF5 uses
// (H5File::flush checks, and trims the file to what was used).
std::uint64_t reserve_bytes(const DataSpec& spec, const std::map<std::string, std::string>& provenance,
                            std::uint64_t examples) {
  const std::uint64_t value_bytes = spec.is_discrete() ? 1 : 4;
  std::uint64_t text = 0;
  for (const auto& [key, value] : provenance) text += key.size() + value.size() + 64;
  constexpr std::uint64_t kMetadata = std::uint64_t{1} << 20;
  return examples * (static_cast<std::uint64_t>(spec.dim) * value_bytes + 8) + kMetadata + 3 * 4 * text;
}

}  // namespace

DatasetWriter::DatasetWriter(std::string path, DataSpec spec, std::map<std::string, std::string> provenance)
    : spec_(std::move(spec)), provenance_(std::move(provenance)), output_(std::move(path)) {
  require(spec_.dim > 0, output_.target() + ": examples must have D > 0");
  file_ = std::make_unique<H5File>(H5File::create(output_.temp_path()));
  file_->root().set_attr("format", std::string("logp-dataset"));
  file_->root().set_attr("format_version", std::int64_t{1});
}

DatasetWriter::DatasetWriter(std::string path, DataSpec spec, std::map<std::string, std::string> provenance,
                             std::uint64_t examples)
    : spec_(std::move(spec)), provenance_(std::move(provenance)), output_(std::move(path)) {
  require(spec_.dim > 0, output_.target() + ": examples must have D > 0");
  file_ = std::make_unique<H5File>(
      H5File::create_reserved(output_.temp_path(), reserve_bytes(spec_, provenance_, examples)));
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

void DatasetWriter::begin_split(const std::string& name, std::uint64_t n) {
  require(sizes_.count(name) == 0, output_.target() + ":/" + name + ": split written twice");
  const H5Group group = file_->root().create_group(name);
  const std::uint64_t d = static_cast<std::uint64_t>(spec_.dim);
  if (spec_.is_discrete())
    group.create_rows<std::uint8_t>("x", n, d);
  else
    group.create_rows<float>("x", n, d);
  write_attributes(group);
  sizes_[name] = n;
}

template <typename T>
void DatasetWriter::write_checked_rows(const std::string& name, std::uint64_t first, const std::vector<T>& rows) {
  constexpr bool discrete = std::is_same_v<T, std::uint8_t>;
  const std::string where = output_.target() + ":/" + name + "/x";
  require(discrete == spec_.is_discrete(), where + ": " + (discrete ? "uint8" : "float") + " values given for " +
                                               std::string(to_string(spec_.kind)) + " data");
  require(sizes_.count(name) == 1, where + ": rows written before begin_split");
  const size_t d = static_cast<size_t>(spec_.dim);
  require(rows.size() % d == 0, where + ": " + std::to_string(rows.size()) +
                                    " values is not a whole number of examples of D=" + std::to_string(d));
  const auto example = [&](size_t k) { return std::to_string(first + k / d) + ", dimension " + std::to_string(k % d); };
  for (size_t k = 0; k < rows.size(); ++k) {
    if constexpr (discrete) {
      if (rows[k] >= spec_.levels)
        throw Error(where + ": value " + std::to_string(rows[k]) + " at example " + example(k) + " is not valid " +
                    std::string(to_string(spec_.kind)) + " data (expected 0.." + std::to_string(spec_.levels - 1) + ")");
    } else if (!std::isfinite(rows[k])) {
      throw Error(where + ": value " + std::to_string(rows[k]) + " at example " + example(k) + " is not finite");
    }
  }
  file_->root().group(name).write_rows<T>("x", first, rows.size() / d, rows.data());
}

void DatasetWriter::write_rows(const std::string& name, std::uint64_t first, const std::vector<std::uint8_t>& rows) {
  write_checked_rows(name, first, rows);
}

void DatasetWriter::write_rows(const std::string& name, std::uint64_t first, const std::vector<float>& rows) {
  write_checked_rows(name, first, rows);
}

void DatasetWriter::end_split(const std::string& name, const std::vector<std::int64_t>& labels) {
  require(sizes_.count(name) == 1, output_.target() + ":/" + name + ": end_split before begin_split");
  check_labels(name, sizes_[name], labels);
  if (!labels.empty()) file_->root().group(name).write<std::int64_t>("y", {labels.size()}, labels.data());
}

void DatasetWriter::add_split(const std::string& name, const std::vector<std::uint8_t>& rows,
                              const std::vector<std::int64_t>& labels) {
  const size_t d = static_cast<size_t>(spec_.dim);
  begin_split(name, rows.size() / d);
  write_rows(name, 0, rows);
  end_split(name, labels);
}

void DatasetWriter::add_split(const std::string& name, const std::vector<float>& rows,
                              const std::vector<std::int64_t>& labels) {
  const size_t d = static_cast<size_t>(spec_.dim);
  begin_split(name, rows.size() / d);
  write_rows(name, 0, rows);
  end_split(name, labels);
}

void DatasetWriter::commit() {
  file_->flush();
  file_.reset();  // close before the rename
  output_.commit();
}

}  // namespace logp
