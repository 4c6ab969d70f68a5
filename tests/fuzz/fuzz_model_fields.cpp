// libFuzzer target, structure-aware: the input is a program of edits applied to a valid small
// model or dataset file (the files of corpus/model/ and corpus/dataset/), which is then loaded as
// the command line loads it (a model: load_model, then two examples scored; a dataset: the train
// split opened and read). Raw bytes (fuzz_model, fuzz_dataset) mostly exercise libhdf5's parser;
// here the file stays valid HDF5 and logp's own validation is what is tested: attribute values
// (hyperparameters, kinds, shapes), single array values (NaN, inf, huge) and array shapes.
//
// Input: byte 0 picks the seed file; then edits of 1 + 1 + 8 bytes: the kind (attribute value /
// array value / array shape) and target, an index, a value (a special value or raw bits).
// A crash, a sanitizer report, another exception than logp::Error or a non-finite score is a bug.
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "fuzz_input.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/model_file.hpp"
#include "model_use.hpp"

namespace {

struct Seed {
  std::vector<std::uint8_t> bytes;
  bool is_model;
};

const std::vector<Seed>& seeds() {
  static const std::vector<Seed> files = [] {
    std::vector<Seed> out;
    for (const char* folder : {"model", "dataset"}) {
      std::vector<std::filesystem::path> paths;
      for (const auto& entry : std::filesystem::directory_iterator(std::string(LOGP_FUZZ_CORPUS_DIR) + "/" + folder))
        paths.push_back(entry.path());
      std::sort(paths.begin(), paths.end());  // the same seed for the same byte, run after run
      for (const auto& path : paths) {
        std::ifstream in(path, std::ios::binary);
        out.push_back({{std::istreambuf_iterator<char>(in), {}}, std::string(folder) == "model"});
      }
    }
    if (out.empty()) __builtin_trap();
    return out;
  }();
  return files;
}

// Reads the input front to back; past its end every read gives zeros.
struct Reader {
  const std::uint8_t* data;
  std::size_t size;
  bool done() const { return size == 0; }
  std::uint8_t byte() {
    if (size == 0) return 0;
    --size;
    return *data++;
  }
  std::uint64_t bits() {
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v = v << 8 | byte();
    return v;
  }
};

// A value for an edit: one of the values that break assumptions, or the raw bits as a double (an
// integer attribute takes the bits as an int64).
double special_value(std::uint8_t pick, std::uint64_t bits, bool integer) {
  static const double table[] = {0, 1, -1, 2, 3, 0.5, -0.5, 1e-300, 1e300, 255, 256, 1 << 20, 2147483648.0,
                                 4.6e18, -9.3e18, NAN, INFINITY, -INFINITY};
  constexpr std::size_t n = std::size(table);
  if (pick < n) return table[pick];
  if (integer) return static_cast<double>(static_cast<std::int64_t>(bits));
  double v;
  std::memcpy(&v, &bits, sizeof v);
  return v;
}

struct Attribute {
  std::string object, name;
};

struct Contents {
  std::vector<std::string> datasets;   // paths
  std::vector<Attribute> attributes;  // on groups and datasets
};

herr_t add_attribute(hid_t, const char* name, const H5A_info_t*, void* op_data) {
  auto* pair = static_cast<std::pair<Contents*, std::string>*>(op_data);
  pair->first->attributes.push_back({pair->second, name});
  return 0;
}

herr_t add_object(hid_t file, const char* name, const H5O_info_t* info, void* op_data) {
  auto* contents = static_cast<Contents*>(op_data);
  if (info->type == H5O_TYPE_DATASET) contents->datasets.push_back(name);
  std::pair<Contents*, std::string> pair{contents, name};
  hid_t object = H5Oopen(file, name, H5P_DEFAULT);
  if (object < 0) return 0;
  H5Aiterate2(object, H5_INDEX_NAME, H5_ITER_INC, nullptr, add_attribute, &pair);
  H5Oclose(object);
  return 0;
}

herr_t add_child(hid_t file, const char* name, const H5O_info_t* info, void* op_data) {
  return std::string(name) == "." ? 0 : add_object(file, name, info, op_data);  // "." is the root
}

// Rewrites an attribute's values (every element) with `value`; a string attribute gets one of a
// few meaningful words instead.
void edit_attribute(hid_t file, const Attribute& a, double value, std::uint8_t pick) {
  hid_t attr = H5Aopen_by_name(file, a.object.c_str(), a.name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  if (attr < 0) return;
  hid_t type = H5Aget_type(attr);
  hid_t space = H5Aget_space(attr);
  const H5T_class_t type_class = H5Tget_class(type);
  const hssize_t count = std::max<hssize_t>(H5Sget_simple_extent_npoints(space), 1);
  if (type_class == H5T_INTEGER) {
    const double integral = std::isnan(value) ? 0.0 : std::clamp(value, -9.2e18, 9.2e18);
    const std::vector<std::int64_t> values(count, static_cast<std::int64_t>(integral));
    H5Awrite(attr, H5T_NATIVE_INT64, values.data());
  } else if (type_class == H5T_FLOAT) {
    const std::vector<double> values(count, value);
    H5Awrite(attr, H5T_NATIVE_DOUBLE, values.data());
  }
  H5Sclose(space);
  H5Tclose(type);
  H5Aclose(attr);
  if (type_class != H5T_STRING) return;
  static const char* words[] = {"", "binary", "real", "categorical", "nade", "gmm", "logp-model", "x", "sigmoid",
                                "relu", "nan", "-1"};
  const std::string word = words[pick % std::size(words)];
  H5Adelete_by_name(file, a.object.c_str(), a.name.c_str(), H5P_DEFAULT);
  hid_t string_type = H5Tcopy(H5T_C_S1);
  H5Tset_size(string_type, std::max<std::size_t>(word.size(), 1));
  hid_t scalar = H5Screate(H5S_SCALAR);
  hid_t object = H5Oopen(file, a.object.c_str(), H5P_DEFAULT);
  hid_t created = H5Acreate2(object, a.name.c_str(), string_type, scalar, H5P_DEFAULT, H5P_DEFAULT);
  if (created >= 0) {
    H5Awrite(created, string_type, word.c_str());
    H5Aclose(created);
  }
  H5Oclose(object);
  H5Sclose(scalar);
  H5Tclose(string_type);
}

// Sets element `index` (modulo the size) of a dataset to `value` (converted to its type).
void edit_value(hid_t file, const std::string& path, std::uint64_t index, double value) {
  hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) return;
  hid_t space = H5Dget_space(dataset);
  const hssize_t count = H5Sget_simple_extent_npoints(space);
  const int rank = H5Sget_simple_extent_ndims(space);
  if (count > 0 && rank >= 1 && rank <= 8) {
    hsize_t dims[8], point[8];
    H5Sget_simple_extent_dims(space, dims, nullptr);
    std::uint64_t rest = index % static_cast<std::uint64_t>(count);
    for (int r = rank - 1; r >= 0; --r) {
      point[r] = rest % dims[r];
      rest /= dims[r];
    }
    H5Sselect_elements(space, H5S_SELECT_SET, 1, point);
    hid_t one = H5Screate(H5S_SCALAR);
    H5Dwrite(dataset, H5T_NATIVE_DOUBLE, one, space, H5P_DEFAULT, &value);
    H5Sclose(one);
  }
  H5Sclose(space);
  H5Dclose(dataset);
}

// Replaces a dataset by one of the same type and rank whose dimension `which` is `extent`
// (at most 4096 elements), its values the old ones repeated; attributes are not kept.
void edit_shape(hid_t file, const std::string& path, std::uint8_t which, std::uint8_t extent) {
  hid_t dataset = H5Dopen2(file, path.c_str(), H5P_DEFAULT);
  if (dataset < 0) return;
  hid_t type = H5Dget_type(dataset);
  hid_t space = H5Dget_space(dataset);
  const int rank = H5Sget_simple_extent_ndims(space);
  std::vector<double> old(std::max<hssize_t>(H5Sget_simple_extent_npoints(space), 0));
  if (rank < 0 || rank > 8 || H5Tget_class(type) == H5T_STRING ||
      H5Dread(dataset, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, old.data()) < 0) {
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(dataset);
    return;
  }
  hsize_t dims[8] = {};
  H5Sget_simple_extent_dims(space, dims, nullptr);
  if (rank > 0) dims[which % rank] = extent % 17;
  hsize_t total = 1;
  for (int r = 0; r < rank; ++r) total *= dims[r];
  H5Sclose(space);
  H5Dclose(dataset);
  if (total <= 4096) {
    std::vector<double> values(total);
    for (hsize_t i = 0; i < total; ++i) values[i] = old.empty() ? 0.0 : old[i % old.size()];
    H5Ldelete(file, path.c_str(), H5P_DEFAULT);
    hid_t new_space = H5Screate_simple(rank, dims, nullptr);
    hid_t created = H5Dcreate2(file, path.c_str(), type, new_space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (created >= 0) {
      H5Dwrite(created, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
      H5Dclose(created);
    }
    H5Sclose(new_space);
  }
  H5Tclose(type);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Reader in{data, size};
  const Seed& seed = seeds()[in.byte() % seeds().size()];
  const std::string& path = logp::fuzz::input_file(seed.bytes.data(), seed.bytes.size(), ".h5");

  hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
  if (file < 0) __builtin_trap();  // the seeds are valid files
  Contents contents;
  H5O_info_t root_info{};
  root_info.type = H5O_TYPE_GROUP;
  add_object(file, "/", &root_info, &contents);  // the root's attributes
  H5Ovisit2(file, H5_INDEX_NAME, H5_ITER_INC, add_child, &contents, H5O_INFO_BASIC);
  for (int edits = 0; !in.done() && edits < 8; ++edits) {
    const std::uint8_t kind = in.byte(), target = in.byte(), pick = in.byte();
    const std::uint64_t bits = in.bits();
    if (kind % 3 == 0 && !contents.attributes.empty()) {
      const Attribute& a = contents.attributes[target % contents.attributes.size()];
      edit_attribute(file, a, special_value(pick, bits, true), pick);
    } else if (kind % 3 == 1 && !contents.datasets.empty()) {
      edit_value(file, contents.datasets[target % contents.datasets.size()], bits, special_value(pick, bits, false));
    } else if (!contents.datasets.empty()) {
      edit_shape(file, contents.datasets[target % contents.datasets.size()], pick, static_cast<std::uint8_t>(bits));
    }
  }
  H5Fclose(file);

  try {
    if (seed.is_model) {
      logp::fuzz::use_model(*logp::load_model(path));
    } else {
      const logp::DatasetSplit split = logp::DatasetSplit::open(path, "train");
      const logp::Matrix x = split.read_all();
      if (x.rows() != split.dim() || x.cols() != split.size()) __builtin_trap();
      if (split.has_labels()) split.read_labels();
    }
  } catch (const logp::Error&) {
  }
  return 0;
}
