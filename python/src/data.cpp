// Dataset splits for Python: x as stored (N x D; uint8 for binary and categorical data, float32
// for real), labels, and the spec (python/logp/data.py wraps them as logp.Dataset).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "numpy_batch.hpp"
#include "logp/data/dataset.hpp"

namespace logp::python {
namespace {

py::dict read_split(const std::string& path, const std::string& name) {
  const DatasetSplit split = DatasetSplit::open(path, name);
  Matrix x;
  std::vector<std::int64_t> labels;
  {
    py::gil_scoped_release release;
    x = split.read_all();  // checked as every logp tool checks it
    if (split.has_labels()) labels = split.read_labels();
  }
  const DataSpec& spec = split.spec();
  py::dict d;
  py::array rows = rows_to_numpy(std::move(x));
  d["x"] = spec.is_discrete() ? py::array(rows.attr("astype")("uint8")) : rows;
  d["y"] = split.has_labels() ? py::object(py::array(py::cast(labels))) : py::object(py::none());
  d["kind"] = std::string(to_string(spec.kind));
  d["levels"] = spec.levels;
  d["shape"] = spec.shape;
  d["where"] = split.where();
  return d;
}

}  // namespace

void bind_data(py::module_& m) {
  m.def("_read_split", &read_split, py::arg("path"), py::arg("split"));
  m.def("_list_splits", &list_splits, py::arg("path"));
}

}  // namespace logp::python
