#pragma once
// Helpers shared by the op sources: shape checks with messages that name the op and shapes,
// and the explicit instantiation of each op for float (training) and double (checks).
#include <string>

#include "logp/autodiff/tape.hpp"

namespace logp::ad::detail {

template <class T>
std::string shape_text(const BasicVar<T>& v) {
  return std::to_string(v.rows()) + "x" + std::to_string(v.cols());
}

template <class T>
void require_same_shape(const char* op, const BasicVar<T>& a, const BasicVar<T>& b) {
  require(a.rows() == b.rows() && a.cols() == b.cols(),
          std::string("autodiff ") + op + ": shapes differ, " + shape_text(a) + " and " + shape_text(b));
}

template <class T>
void require_same_tape(const char* op, const BasicVar<T>& a, const BasicVar<T>& b) {
  require(a.tape != nullptr && a.tape == b.tape, std::string("autodiff ") + op + ": operands on different tapes");
}

}  // namespace logp::ad::detail
