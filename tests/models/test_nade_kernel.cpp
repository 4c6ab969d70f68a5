// The NADE kernel's float path (vectorized where the CPU allows) against the double reference,
// over the shapes that exercise its edges: H not a multiple of 8, batches that do not fill the
// groups of 4 examples or the blocks of 32, both activations, random orderings, non-binary x.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "logp/models/nade/nade.hpp"
#include "support/orderings.hpp"
#include "support/binary_data.hpp"

using namespace logp;
using namespace logp::testing;

namespace {

// W, V (H x D), b (D), c (H) in one vector, as float and as double.
struct KernelWeights {
  Index dim, hidden;
  std::vector<float> f;
  std::vector<double> d;
  KernelWeights(Index dim_, Index hidden_, std::uint64_t seed, double scale)
      : dim(dim_), hidden(hidden_), f(static_cast<std::size_t>(2 * hidden_ * dim_ + dim_ + hidden_)) {
    Rng rng(seed);
    for (float& v : f) v = static_cast<float>(scale * rng.normal());
    d.assign(f.begin(), f.end());
  }
  template <typename T>
  static NadeWeights<T> weights(const std::vector<T>& t, Index dim, Index hidden) {
    const T* p = t.data();
    return {Eigen::Map<const MatrixX<T>>(p, hidden, dim), Eigen::Map<const MatrixX<T>>(p + hidden * dim, hidden, dim),
            Eigen::Map<const VectorX<T>>(p + 2 * hidden * dim, dim),
            Eigen::Map<const VectorX<T>>(p + 2 * hidden * dim + dim, hidden)};
  }
  template <typename T>
  static NadeGradients<T> gradients(std::vector<T>& g, Index dim, Index hidden) {
    T* p = g.data();
    return {Eigen::Map<MatrixX<T>>(p, hidden, dim), Eigen::Map<MatrixX<T>>(p + hidden * dim, hidden, dim),
            Eigen::Map<VectorX<T>>(p + 2 * hidden * dim, dim), Eigen::Map<VectorX<T>>(p + 2 * hidden * dim + dim, hidden)};
  }
  NadeWeights<float> wf() const { return weights(f, dim, hidden); }
  NadeWeights<double> wd() const { return weights(d, dim, hidden); }
};

}  // namespace

TEST_CASE("nade kernel: the float path agrees with the double reference", "[nade][kernel]") {
  for (const Index hidden : {1, 5, 8, 13, 40}) {
    for (const Index dim : {1, 9, 37}) {
      for (const Index batch : {1, 3, 4, 6, 37}) {
        for (const Activation activation : {Activation::sigmoid, Activation::relu}) {
          INFO("H " << hidden << ", D " << dim << ", batch " << batch << ", activation " << static_cast<int>(activation));
          const KernelWeights w(dim, hidden, static_cast<std::uint64_t>(hidden * 1000 + dim * 10 + batch), 0.7);
          const std::vector<Index> order = random_ordering(dim, static_cast<std::uint64_t>(batch));
          const Matrix x = random_discrete(dim, batch, 2, static_cast<std::uint64_t>(dim + batch));

          Vector lp_f(batch), lp_d(batch);
          nade_log_prob<float>(w.wf(), order, activation, x, lp_f);
          nade_log_prob<double>(w.wd(), order, activation, x.cast<double>(), lp_d);
          CHECK((lp_f - lp_d).cwiseAbs().maxCoeff() < 1e-4 * std::max(1.0, lp_d.cwiseAbs().maxCoeff()));

          // The gradient is added to what grad holds.
          std::vector<float> g_f(w.f.size(), 0.5f);
          std::vector<double> g_d(w.d.size(), 0.5);
          NadeGradients<float> gf = KernelWeights::gradients(g_f, dim, hidden);
          NadeGradients<double> gd = KernelWeights::gradients(g_d, dim, hidden);
          const double nll_f = nade_nll_and_grad<float>(w.wf(), order, activation, x, gf);
          const double nll_d = nade_nll_and_grad<double>(w.wd(), order, activation, x.cast<double>(), gd);
          CHECK(nll_f == Approx(nll_d).epsilon(1e-5));
          CHECK(nll_f == Approx(-lp_f.sum()).epsilon(1e-6));  // a recovered by subtraction: float rounding
          double worst = 0.0, scale = 1.0;
          for (std::size_t k = 0; k < g_d.size(); ++k) {
            worst = std::max(worst, std::abs(static_cast<double>(g_f[k]) - g_d[k]));
            scale = std::max(scale, std::abs(g_d[k]));
          }
          CHECK(worst < 1e-4 * scale);
        }
      }
    }
  }
}

TEST_CASE("nade kernel: log_prob of an example does not depend on the rest of the batch", "[nade][kernel]") {
  const Index dim = 50, hidden = 21, batch = 45;
  const KernelWeights w(dim, hidden, 3, 1.0);
  const std::vector<Index> order = random_ordering(dim, 4);
  const Matrix x = random_discrete(dim, batch, 2, 5);
  for (const Activation activation : {Activation::sigmoid, Activation::relu}) {
    Vector whole(batch);
    nade_log_prob<float>(w.wf(), order, activation, x, whole);
    for (const Index piece : {1, 2, 3, 5, 7, 33}) {
      Vector pieces(batch);
      for (Index first = 0; first < batch; first += piece) {
        const Index count = std::min(piece, batch - first);
        Vector part(count);
        nade_log_prob<float>(w.wf(), order, activation, x.middleCols(first, count), part);
        pieces.segment(first, count) = part;
      }
      INFO("pieces of " << piece);
      CHECK(pieces == whole);  // bit for bit
    }
  }
}

TEST_CASE("nade kernel: x that is not 0/1 takes the portable path", "[nade][kernel]") {
  const Index dim = 11, hidden = 9, batch = 5;
  const KernelWeights w(dim, hidden, 8, 0.8);
  const std::vector<Index> order = random_ordering(dim, 1);
  Matrix x = random_discrete(dim, batch, 2, 9);
  x(3, 2) = 0.5f;
  Vector lp_f(batch), lp_d(batch);
  nade_log_prob<float>(w.wf(), order, Activation::sigmoid, x, lp_f);
  nade_log_prob<double>(w.wd(), order, Activation::sigmoid, x.cast<double>(), lp_d);
  CHECK((lp_f - lp_d).cwiseAbs().maxCoeff() < 1e-4);
  std::vector<float> g_f(w.f.size(), 0.0f);
  NadeGradients<float> gf = KernelWeights::gradients(g_f, dim, hidden);
  CHECK(nade_nll_and_grad<float>(w.wf(), order, Activation::sigmoid, x, gf) == Approx(-lp_d.sum()).epsilon(1e-5));
}
