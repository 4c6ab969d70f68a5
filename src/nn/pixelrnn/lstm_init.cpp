// Initial weights of the PixelRNN layers (include/logp/nn/pixelrnn/lstm_init.hpp).
#include "logp/nn/pixelrnn/lstm_init.hpp"

#include <algorithm>
#include <cmath>

#include "logp/core/error.hpp"

namespace logp::nn {

void masked_uniform(Eigen::Map<Matrix> w, const MatrixD& mask, Rng& rng) {
  require(mask.rows() == w.rows() && mask.cols() == w.cols(),
          "masked_uniform: mask " + std::to_string(mask.rows()) + "x" + std::to_string(mask.cols()) +
              " does not fit weight " + std::to_string(w.rows()) + "x" + std::to_string(w.cols()));
  for (Index o = 0; o < w.rows(); ++o) {
    const double limit = std::sqrt(3.0 / std::max(1.0, mask.row(o).sum()));
    for (Index k = 0; k < w.cols(); ++k) w(o, k) = static_cast<float>(mask(o, k) * limit * (2.0 * rng.uniform() - 1.0));
  }
}

void lstm_gate_bias(Eigen::Map<Matrix> b) {
  require(b.cols() == 1 && b.rows() % 4 == 0, "lstm_gate_bias: expected [4h, 1], got " + std::to_string(b.rows()) +
                                                  "x" + std::to_string(b.cols()));
  const Index h = b.rows() / 4;
  b.setZero();
  b.middleRows(h, h).setOnes();
}

}  // namespace logp::nn
