#pragma once
// Matrix and vector aliases shared by all of logp.
//
// An example is a column: a batch of N examples of dimension D is a D x N column-major Matrix.
// Data and activations are float32; per-example log-likelihoods and sums over examples are
// double (nats).
#include <Eigen/Core>
#include <cstdint>

namespace logp {

using Index = Eigen::Index;

using Matrix = Eigen::MatrixXf;        // D x N batch of examples (float32)
using MatrixD = Eigen::MatrixXd;       // double-precision matrices (count tables, checks)
using Vector = Eigen::VectorXd;        // one double per example (nats), or per parameter
using VectorF = Eigen::VectorXf;

using MatrixRef = Eigen::Ref<Matrix>;
using ConstMatrixRef = Eigen::Ref<const Matrix>;
using ConstVectorRef = Eigen::Ref<const Vector>;

}  // namespace logp
