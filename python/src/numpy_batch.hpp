#pragma once
// numpy arrays <-> logp batches. numpy users hold N examples of dimension D as an N x D array; a
// C-contiguous N x D float32 array has exactly the memory of logp's D x N column-major Matrix, so
// it is viewed without a copy. Any other array (float64, uint8, bool, strided) is converted.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>

#include "logp/core/types.hpp"

namespace logp::python {

namespace py = pybind11;

// A D x N view of an N x D array. Holds a reference to the array it views (the caller's, or a
// converted copy), so it must be destroyed with the GIL held; view() may be read without it.
class Batch {
 public:
  // `where` names the argument in errors ("X"). Throws logp::Error unless x is 2-D.
  Batch(const py::handle& x, const std::string& where);
  Eigen::Map<const Matrix> view() const { return {data_, rows_, cols_}; }
  Index dim() const { return rows_; }
  Index size() const { return cols_; }
  bool copied() const { return copied_; }

 private:
  py::array array_;
  const float* data_ = nullptr;
  Index rows_ = 0;  // D
  Index cols_ = 0;  // N
  bool copied_ = false;
};

// The data address of the last Batch made (a test hook: a float32 C-contiguous array must be
// viewed, not copied).
std::uintptr_t last_batch_address();

// A D x N Matrix as an N x D float32 array owning the matrix (no copy).
py::array_t<float> rows_to_numpy(Matrix m);
// N values as a 1-D float64 array owning them (no copy).
py::array_t<double> to_numpy(Vector v);

}  // namespace logp::python
