#pragma once
// Inner products of feature matrices, in float32 GEMMs when that is exact.
//
// When every feature is an integer and F * max|a| * max|b| <= 2^24, every product and every
// partial sum of a^T b is an integer below 2^24, so a float32 GEMM computes it exactly, in any
// summation order: the result equals the double GEMM's bit for bit, at twice the speed. Binary
// pixels (F = 784) qualify; 8-bit pixels (784 * 255^2 > 2^24) and real features do not and stay
// in double.
#include "logp/eval/sample_metrics/metric_value.hpp"

namespace logp {

// True when a^T b (a: F x Na, b: F x Nb) is exact in float32 as described above.
bool products_exact_in_float(MatrixDRef a, MatrixDRef b);

// The lower triangle of x^T x (n x n, x: F x n; the strict upper triangle is left zero), in
// float32 when exact, else in double.
MatrixD lower_gram(MatrixDRef x);
// x^T y (n x m), in float32 when exact, else in double.
MatrixD cross_gram(MatrixDRef x, MatrixDRef y);

}  // namespace logp
