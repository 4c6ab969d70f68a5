#include "logp/eval/sample_metrics/exact_products.hpp"

namespace logp {
namespace {

constexpr double kFloatExactIntegers = 16777216.0;  // 2^24: float32 holds every integer up to it

bool integer_valued(MatrixDRef m) { return (m.array() == m.array().round()).all(); }

}  // namespace

bool products_exact_in_float(MatrixDRef a, MatrixDRef b) {
  if (a.size() == 0 || b.size() == 0) return true;
  const double bound = static_cast<double>(a.rows()) * a.cwiseAbs().maxCoeff() * b.cwiseAbs().maxCoeff();
  return bound <= kFloatExactIntegers && integer_valued(a) && integer_valued(b);
}

MatrixD lower_gram(MatrixDRef x) {
  const Index n = x.cols();
  if (products_exact_in_float(x, x)) {
    const Matrix xf = x.cast<float>();
    Matrix gram = Matrix::Zero(n, n);
    gram.selfadjointView<Eigen::Lower>().rankUpdate(xf.transpose());
    return gram.cast<double>();
  }
  MatrixD gram = MatrixD::Zero(n, n);
  gram.selfadjointView<Eigen::Lower>().rankUpdate(x.transpose());
  return gram;
}

MatrixD cross_gram(MatrixDRef x, MatrixDRef y) {
  if (products_exact_in_float(x, y)) {
    Matrix product(x.cols(), y.cols());
    product.noalias() = x.cast<float>().transpose() * y.cast<float>();
    return product.cast<double>();
  }
  MatrixD product(x.cols(), y.cols());
  product.noalias() = x.transpose() * y;
  return product;
}

}  // namespace logp
