#include "logp/data/dataset.hpp"

#include <cmath>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"

namespace logp {
DatasetSplit::DatasetSplit(H5Group group, std::string split, DataSpec spec, Index size, bool is_uint8)
    : group_(std::move(group)), split_(std::move(split)), spec_(std::move(spec)), size_(size), stored_size_(size), is_uint8_(is_uint8) {}

DatasetSplit DatasetSplit::head(Index n) const {
  if (n < 0) throw Error(where() + ": cannot take the first " + std::to_string(n) + " examples");
  DatasetSplit view = *this;
  view.size_ = std::min(n, size_);
  return view;
}

DatasetSplit DatasetSplit::open(const std::string& file, const std::string& split) {
  const H5Group root = H5File::open(file).root();
  if (!root.has(split)) {
    const std::string present = join(root.children(), ", ");
    throw Error(file + ": split '" + split + "' is missing (the file has: " +
                (present.empty() ? "nothing" : present) + ")");
  }
  H5Group group = root.group(split);
  const std::string where = group.where("x");
  const std::vector<std::uint64_t> dims = group.dims("x");
  if (dims.size() != 2)
    throw Error(where + ": expected a 2-D dataset N x D, found " + std::to_string(dims.size()) + "-D");

  DataSpec spec;
  try {
    spec.kind = parse_data_kind(group.attr_string("x", "kind"));
  } catch (const Error& e) {
    throw Error(where + ": attribute kind: " + e.what());  // parse_data_kind cannot name the file
  }
  spec.dim = static_cast<Index>(dims[1]);
  if (group.has_attr("x", "shape")) {
    const std::vector<std::int64_t> shape = group.attr_ints("x", "shape");
    spec.shape.assign(shape.begin(), shape.end());
    Index product = 1;
    for (Index s : spec.shape) product *= s;
    if (!spec.shape.empty() && product != spec.dim)
      throw Error(where + ": attribute shape does not multiply to D=" + std::to_string(spec.dim));
  }
  const H5Type type = group.type("x");
  switch (spec.kind) {
    case DataKind::binary:
      spec.levels = 2;
      break;
    case DataKind::categorical:
      spec.levels = static_cast<int>(group.attr_int("x", "levels"));
      if (spec.levels < 2 || spec.levels > 256)
        throw Error(where + ": attribute levels=" + std::to_string(spec.levels) + " is outside 2..256");
      break;
    case DataKind::real:
      spec.levels = 0;
      break;
  }
  if (spec.is_discrete() && type != H5Type::uint8)
    throw Error(where + ": " + std::string(to_string(spec.kind)) + " data must be stored as uint8");
  if (!spec.is_discrete() && type != H5Type::float32 && type != H5Type::float64)
    throw Error(where + ": real data must be stored as float32 or float64");
  return DatasetSplit(std::move(group), split, std::move(spec), static_cast<Index>(dims[0]),
                      type == H5Type::uint8);
}

Matrix DatasetSplit::read(Index first, Index count) const {
  if (first < 0 || count < 0 || first + count > size_)
    throw Error(where() + ": examples " + std::to_string(first) + ".." + std::to_string(first + count) +
                " are outside its N=" + std::to_string(size_));
  const Index d = spec_.dim;
  Matrix batch(d, count);
  if (is_uint8_) {
    std::vector<std::uint8_t> raw(static_cast<size_t>(d * count));
    group_.read_rows<std::uint8_t>("x", first, count, raw.data());
    const Eigen::Map<const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic>> values(raw.data(), d, count);
    const std::uint8_t top = count > 0 ? values.maxCoeff() : 0;
    if (top >= spec_.levels) {
      for (Index j = 0; j < count; ++j)
        for (Index i = 0; i < d; ++i)
          if (values(i, j) >= spec_.levels)
            throw Error(where() + ": value " + std::to_string(values(i, j)) + " at example " +
                        std::to_string(first + j) + ", dimension " + std::to_string(i) + " is not valid " +
                        std::string(to_string(spec_.kind)) + " data (expected 0.." +
                        std::to_string(spec_.levels - 1) + ")");
    }
    batch = values.cast<float>();
  } else {
    group_.read_rows<float>("x", first, count, batch.data());
    if (!batch.allFinite()) {
      for (Index j = 0; j < count; ++j)
        for (Index i = 0; i < d; ++i)
          if (!std::isfinite(batch(i, j)))
            throw Error(where() + ": value " + std::to_string(batch(i, j)) + " at example " +
                        std::to_string(first + j) + ", dimension " + std::to_string(i) +
                        " is not finite (NaN or inf in real data)");
    }
  }
  return batch;
}

Matrix DatasetSplit::read_examples(std::span<const Index> indices) const {
  Matrix out(spec_.dim, static_cast<Index>(indices.size()));
  for (std::size_t i = 0; i < indices.size();) {
    // One read: indices[i .. j) span less than kReadWindow examples with gaps of at most kExampleGap.
    const Index first = indices[i];
    if (first < 0 || first >= size_ || (i > 0 && first <= indices[i - 1]))
      throw Error(where() + ": example " + std::to_string(first) + " is outside its N=" + std::to_string(size_) +
                  " or out of order");
    std::size_t j = i + 1;
    while (j < indices.size() && indices[j] > indices[j - 1] && indices[j] - indices[j - 1] <= kExampleGap &&
           indices[j] - first < kReadWindow)
      ++j;
    const Matrix rows = read(first, indices[j - 1] - first + 1);
    for (std::size_t k = i; k < j; ++k) out.col(static_cast<Index>(k)) = rows.col(indices[k] - first);
    i = j;
  }
  return out;
}

bool DatasetSplit::has_labels() const { return group_.has("y"); }

std::vector<std::int64_t> DatasetSplit::read_labels() const {
  const std::vector<std::uint64_t> dims = group_.dims("y");  // checked before anything is read
  if (dims.size() != 1 || static_cast<Index>(dims[0]) != stored_size_)
    throw Error(group_.where("y") + ": expected " + std::to_string(stored_size_) + " labels");
  std::vector<std::int64_t> labels;
  const H5Type type = group_.type("y");
  if (type == H5Type::float32 || type == H5Type::float64) {
    // Labels stored as floats (numpy's default) are accepted when every value is an integer;
    // casting 2.5 to 2 would silently relabel an example.
    const std::vector<double> values = group_.read<double>("y");
    labels.reserve(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(values[i]) || values[i] != std::nearbyint(values[i]) || std::abs(values[i]) > 9.0e15) {
        std::ostringstream text;
        text << group_.where("y") << ": label " << values[i] << " of example " << i << " is not an integer";
        throw Error(text.str());
      }
      labels.push_back(static_cast<std::int64_t>(values[i]));
    }
  } else {
    labels = group_.read<std::int64_t>("y");
  }
  labels.resize(static_cast<std::size_t>(size_));
  return labels;
}

std::map<std::string, std::string> DatasetSplit::provenance() const {
  std::map<std::string, std::string> out;
  for (const std::string& name : group_.attr_names("x"))
    if (name != "kind" && name != "levels" && name != "shape") out[name] = group_.attr_string("x", name);
  return out;
}

void for_each_batch(const DatasetSplit& data, Index batch_size,
                    const std::function<void(Index first, const Matrix& batch)>& fn) {
  if (batch_size <= 0) throw Error("batch size must be positive, got " + std::to_string(batch_size));
  for (Index first = 0; first < data.size(); first += batch_size) {
    const Matrix batch = data.read(first, std::min(batch_size, data.size() - first));
    fn(first, batch);
  }
}

std::vector<std::string> list_splits(const std::string& file) {
  const H5Group root = H5File::open(file).root();
  std::vector<std::string> splits;
  for (const char* name : {"train", "valid", "test"})
    if (root.has(name)) splits.emplace_back(name);
  return splits;
}

}  // namespace logp
