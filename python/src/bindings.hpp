#pragma once
// The parts of the extension module logp._logp, one function per file.
#include <pybind11/pybind11.h>

namespace logp::python {

namespace py = pybind11;

void bind_models(py::module_& m);    // models.cpp: entries, fit, load, the model handle
void bind_tools(py::module_& m);     // tools.cpp: compare, anomaly and sample metrics
void bind_data(py::module_& m);      // data.cpp: dataset splits

}  // namespace logp::python
