#include "numpy_batch.hpp"

#include <atomic>

#include "logp/core/error.hpp"

namespace logp::python {
namespace {

std::atomic<std::uintptr_t> g_last_batch_address{0};

bool is_float32_c_contiguous(const py::array& a) {
  return a.dtype().is(py::dtype::of<float>()) && (a.flags() & py::array::c_style) && (a.flags() & py::detail::npy_api::NPY_ARRAY_ALIGNED_);
}

}  // namespace

Batch::Batch(const py::handle& x, const std::string& where) {
  py::array a = py::array::ensure(x);
  if (!a) throw Error(where + ": expected an array of numbers");
  if (a.ndim() != 2)
    throw Error(where + ": expected a 2-D array (N examples x D dimensions), got " + std::to_string(a.ndim()) +
                "-D");
  if (a.dtype().kind() != 'f' && a.dtype().kind() != 'i' && a.dtype().kind() != 'u' && a.dtype().kind() != 'b')
    throw Error(where + ": expected numbers (float, int or bool), got dtype kind '" +
                std::string(1, a.dtype().kind()) + "'");
  if (!is_float32_c_contiguous(a)) {
    a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(a);
    if (!a) throw Error(where + ": could not convert to float32");
    copied_ = true;
  }
  array_ = a;
  data_ = static_cast<const float*>(array_.data());
  cols_ = static_cast<Index>(array_.shape(0));
  rows_ = static_cast<Index>(array_.shape(1));
  g_last_batch_address = reinterpret_cast<std::uintptr_t>(data_);
}

std::uintptr_t last_batch_address() { return g_last_batch_address; }

py::array_t<float> rows_to_numpy(Matrix m) {
  auto* owned = new Matrix(std::move(m));
  py::capsule free(owned, [](void* p) { delete static_cast<Matrix*>(p); });
  const auto d = static_cast<py::ssize_t>(owned->rows());
  const auto n = static_cast<py::ssize_t>(owned->cols());
  return py::array_t<float>({n, d}, {d * static_cast<py::ssize_t>(sizeof(float)), static_cast<py::ssize_t>(sizeof(float))},
                            owned->data(), free);
}

py::array_t<double> to_numpy(Vector v) {
  auto* owned = new Vector(std::move(v));
  py::capsule free(owned, [](void* p) { delete static_cast<Vector*>(p); });
  return py::array_t<double>({static_cast<py::ssize_t>(owned->size())}, {static_cast<py::ssize_t>(sizeof(double))},
                             owned->data(), free);
}

}  // namespace logp::python
