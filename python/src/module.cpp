// logp._logp: the compiled part of the Python module (docs/python.md). logp::Error becomes
// logp.Error, a ValueError with the library's one-line message.
#include <tbb/global_control.h>

#include <memory>

#include "bindings.hpp"
#include "logp/core/error.hpp"

namespace {

// The thread limit set by logp.set_threads (none: TBB's default, all cores).
std::unique_ptr<tbb::global_control>& thread_limit() {
  static std::unique_ptr<tbb::global_control> limit;
  return limit;
}

}  // namespace

PYBIND11_MODULE(_logp, m) {
  namespace py = pybind11;
  m.doc() = "logp's C++ library (see the package logp)";
  m.attr("__version__") = LOGP_VERSION;
  py::register_exception<logp::Error>(m, "Error", PyExc_ValueError);
  m.def("set_threads",
        [](int n) {
          if (n < 0) throw logp::Error("set_threads: expected n >= 0 (0: all cores), got " + std::to_string(n));
          thread_limit().reset();
          if (n > 0)
            thread_limit() = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                                   static_cast<size_t>(n));
        },
        py::arg("n"), "limit logp's worker threads to n (0: all cores), like `logp --threads n`");
  m.def("get_threads",
        [] { return tbb::global_control::active_value(tbb::global_control::max_allowed_parallelism); },
        "the number of worker threads logp may use");
  logp::python::bind_models(m);
  logp::python::bind_tools(m);
  logp::python::bind_data(m);
}
