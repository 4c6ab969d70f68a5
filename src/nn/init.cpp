// Weight initialization schemes (include/logp/nn/init.hpp).
#include "logp/nn/init.hpp"

#include <cmath>
#include <string>

#include "logp/core/error.hpp"

namespace logp::nn {

namespace {
void require_nonempty(const Eigen::Map<Matrix>& w, const char* scheme) {
  require(w.rows() > 0 && w.cols() > 0, std::string(scheme) + ": empty weight matrix " +
                                            std::to_string(w.rows()) + "x" + std::to_string(w.cols()));
}
}  // namespace

void glorot_uniform(Eigen::Map<Matrix> w, Rng& rng) {
  require_nonempty(w, "glorot_uniform");
  const double limit = std::sqrt(6.0 / static_cast<double>(w.rows() + w.cols()));
  for (Index j = 0; j < w.cols(); ++j)
    for (Index i = 0; i < w.rows(); ++i) w(i, j) = static_cast<float>(limit * (2.0 * rng.uniform() - 1.0));
}

void fill_normal(Eigen::Map<Matrix> w, float scale, Rng& rng) {
  for (Index k = 0; k < w.size(); ++k) w.data()[k] = scale * static_cast<float>(rng.normal());
}

void he_normal(Eigen::Map<Matrix> w, Rng& rng) {
  require_nonempty(w, "he_normal");
  const double stddev = std::sqrt(2.0 / static_cast<double>(w.cols()));
  for (Index j = 0; j < w.cols(); ++j)
    for (Index i = 0; i < w.rows(); ++i) w(i, j) = static_cast<float>(stddev * rng.normal());
}

}  // namespace logp::nn
