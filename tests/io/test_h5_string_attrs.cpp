// String attributes are variable-length UTF-8 (h5py reads them as str); files written with the
// older fixed-length strings still load.
#include <hdf5.h>

#include <catch2/catch.hpp>

#include "logp/data/dataset.hpp"
#include "logp/io/h5.hpp"
#include "logp/io/model_file.hpp"
#include "support/temp_dir.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

struct StringType {
  bool variable = false;
  H5T_cset_t cset = H5T_CSET_ERROR;
};

// How the attribute `name` of the object at `object` is stored, read with the HDF5 C API.
StringType stored_string_type(const std::string& path, const std::string& object, const std::string& name) {
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  REQUIRE(file >= 0);
  const hid_t attr = H5Aopen_by_name(file, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT);
  REQUIRE(attr >= 0);
  const hid_t type = H5Aget_type(attr);
  REQUIRE(H5Tget_class(type) == H5T_STRING);
  const StringType out{H5Tis_variable_str(type) > 0, H5Tget_cset(type)};
  H5Tclose(type);
  H5Aclose(attr);
  H5Fclose(file);
  return out;
}

}  // namespace

TEST_CASE("h5: string attributes are written as variable-length UTF-8 and read back exactly", "[h5][io]") {
  TempDir dir;
  const std::string path = dir.file("a.h5");
  const std::string text = "N = 12 ± 0.5, café, 日本";  // multi-byte UTF-8
  {
    const H5File file = H5File::create(path);
    file.root().set_attr("note", text);
    file.root().set_attr("empty", std::string());
    file.root().create_group("g").set_attr("kind", std::string("binary"));
    file.flush();
  }
  const StringType type = stored_string_type(path, "/", "note");
  CHECK(type.variable);
  CHECK(type.cset == H5T_CSET_UTF8);
  CHECK(stored_string_type(path, "/g", "kind").variable);
  const H5File file = H5File::open(path);
  CHECK(file.root().attr_string("note") == text);
  CHECK(file.root().attr_string("empty").empty());
  CHECK(file.root().group("g").attr_string("kind") == "binary");
}

TEST_CASE("h5: files with fixed-length string attributes (before variable-length) still load", "[h5][io]") {
  // Written by logp at e083a3e: `logp data import` of tiny_binary.csv, then `logp fit bernoulli`.
  const std::string data = std::string(LOGP_FIXTURES_DIR) + "/fixed_length_strings_data.h5";
  const std::string model_path = std::string(LOGP_FIXTURES_DIR) + "/fixed_length_strings_model.h5";
  REQUIRE_FALSE(stored_string_type(model_path, "/", "type").variable);
  REQUIRE_FALSE(stored_string_type(data, "/train/x", "kind").variable);
  const DatasetSplit split = DatasetSplit::open(data, "train");
  CHECK(split.size() == 12);
  const std::unique_ptr<DensityModel> model = load_density_model(model_path);
  CHECK(model->type() == "bernoulli");
  CHECK(model->log_prob(split.read_all()).allFinite());
  const FitRecord record = read_fit_record(model_path);
  CHECK(record.split == "train");
  CHECK(record.data_file == "old-data.h5");
}
