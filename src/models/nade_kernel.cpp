#include "logp/models/nade_kernel.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "logp/core/fast_math.hpp"

namespace logp {
namespace {

// log(1 + exp(z)) in double.
inline double softplus_of(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

// ---------------------------------------------------------------------------------------------
// Portable path: any scalar, any x. The double instantiation (tests) and the reference for the
// float path below.

// h = act(a), one column.
template <typename T, typename In, typename Out>
void activate(NadeActivation activation, const In& a, Out& h) {
  if (activation == NadeActivation::sigmoid)
    h = a.array().logistic();
  else
    h = a.array().max(T(0));
}

template <typename T>
void generic_log_prob(const NadeWeights<T>& w, const std::vector<Index>& order, NadeActivation activation,
                      const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out) {
  const Index batch = x.cols();
  MatrixX<T> a = w.c.replicate(1, batch);  // H x B
  out.setZero();
  for (const Index d : order) {
    for (Index j = 0; j < batch; ++j) {
      // V_d . act(a): one fused, vectorized pass; h is never stored.
      const T dot = activation == NadeActivation::sigmoid
                        ? w.V.col(d).dot(a.col(j).array().logistic().matrix())
                        : w.V.col(d).dot(a.col(j).array().max(T(0)).matrix());
      const double logit = static_cast<double>(w.b(d) + dot);
      const double xd = static_cast<double>(x(d, j));
      out(j) += xd * logit - softplus_of(logit);
      if (x(d, j) != T(0)) a.col(j).noalias() += x(d, j) * w.W.col(d);
    }
  }
}

template <typename T>
double generic_nll_and_grad(const NadeWeights<T>& w, const std::vector<Index>& order, NadeActivation activation,
                            const Eigen::Ref<const MatrixX<T>>& x, NadeGradients<T>& grad) {
  const Index batch = x.cols();
  const Index hidden = w.c.size();
  // a_D = c + W x: every position's input added at once (one GEMM).
  MatrixX<T> a = w.c.replicate(1, batch);
  a.noalias() += w.W * x;
  MatrixX<T> da_sum = MatrixX<T>::Zero(hidden, batch);  // sum over positions after k of dNLL/da
  VectorX<T> h(hidden);
  double nll = 0.0;
  for (auto k = order.rbegin(); k != order.rend(); ++k) {
    const Index d = *k;
    for (Index j = 0; j < batch; ++j) {
      const T xd = x(d, j);
      if (xd != T(0)) {
        // a_{k+1} -> a_k, and x_d feeds every later position: dW[:, d] += x_d * sum of their da.
        grad.W.col(d).noalias() += xd * da_sum.col(j);
        a.col(j).noalias() -= xd * w.W.col(d);
      }
      activate<T>(activation, a.col(j), h);
      const double logit = static_cast<double>(w.b(d) + w.V.col(d).dot(h));
      nll += softplus_of(logit) - static_cast<double>(xd) * logit;
      // dNLL/dlogit = sigmoid(logit) - x_d
      const T dlogit = static_cast<T>(1.0 / (1.0 + std::exp(-logit)) - static_cast<double>(xd));
      grad.b(d) += dlogit;
      grad.V.col(d).noalias() += dlogit * h;
      if (activation == NadeActivation::sigmoid)
        da_sum.col(j).array() += dlogit * w.V.col(d).array() * h.array() * (T(1) - h.array());
      else
        da_sum.col(j).array() += (h.array() > T(0)).select(dlogit * w.V.col(d).array(), T(0));
    }
  }
  grad.c.noalias() += da_sum.rowwise().sum();
  return nll;
}

#if LOGP_HAVE_AVX2_FMA
// ---------------------------------------------------------------------------------------------
// Float path (AVX2 + FMA), for binary x.
//
// h_k = act(a_k) changes only after a position whose x is 1, so the positions are taken in
// groups that share one h: a group starts where h changes and holds up to kGroup positions. One
// pass over the H rows of one example updates a, computes h (when it changed) and all the
// group's dot products V[:, d] . h at once, so each h is computed once per change, not once per
// position, and is used while in registers. Positions are walked in tiles of kTile, all the
// batch's examples through one tile before the next, so the tile's columns of W and V (and of
// their gradients) are reused from cache by every example.
//
// Each example's arithmetic depends only on that example (the grouping is fixed by its own x and
// the tile boundaries), so log_prob is the same bit for bit however a batch is split, and the
// gradient of a batch is the same for any number of threads.

constexpr int kGroup = 4;         // positions per pass over H (dot-product accumulators)
#ifndef NADE_TILE
#define NADE_TILE 16
#endif
constexpr Index kTile = NADE_TILE;  // positions per tile
constexpr Index kScoreBlock = 32;  // examples per block in log_prob (a, h stay in L2)
constexpr Index kTrainBlock = 32;  // examples per block in nll_and_grad (a, h, da stay in L2)

// The rows of one H-vector: `full` rows in whole chunks of 8, then `tail` (< 8) through `mask`.
struct Rows {
  Index full;
  Index tail;
  __m256i mask;
  explicit Rows(Index hidden) : full(hidden - hidden % 8), tail(hidden % 8) {
    alignas(32) std::int32_t lanes[8];
    for (int k = 0; k < 8; ++k) lanes[k] = k < tail ? -1 : 0;
    mask = _mm256_load_si256(reinterpret_cast<const __m256i*>(lanes));
  }
};

// Access to the model's columns (W, V and their gradients, H floats each, no padding): whole
// chunks, or the last partial chunk through the mask (lanes past H read as 0, never written).
// The kernel's own buffers are padded to a multiple of 8 rows and use aligned whole chunks.
struct Whole {
  static __m256 load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, __m256 v) { _mm256_storeu_ps(p, v); }
};
struct Masked {
  __m256i mask;
  __m256 load(const float* p) const { return _mm256_maskload_ps(p, mask); }
  void store(float* p, __m256 v) const { _mm256_maskstore_ps(p, mask, v); }
};

// body(offset, access) over every chunk of rows.
template <typename Body>
inline __attribute__((always_inline)) void for_chunks(const Rows& rows, Body&& body) {
  const Index full = rows.full;
  for (Index o = 0; o < full; o += 8) body(o, Whole{});
  if (rows.tail) body(full, Masked{rows.mask});
}

// The four horizontal sums of a0..a3 (the same summation tree for every dot product).
inline void hsum4(__m256 a0, __m256 a1, __m256 a2, __m256 a3, float* out) {
  const __m256 s = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
  _mm_storeu_ps(out, _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1)));
}

template <bool Relu>
inline __attribute__((always_inline)) __m256 act(__m256 a) {
  if constexpr (Relu)
    return _mm256_max_ps(a, _mm256_setzero_ps());
  else
    return fast::sigmoid(a);
}

// Padded per-example buffers: `count` vectors of H floats, each starting on a 32-byte boundary.
class ColumnBuffer {
 public:
  ColumnBuffer(Index hidden, Index count) : stride_((hidden + 7) / 8 * 8), data_(stride_ * count, 0.0f) {}
  float* col(Index j) { return data_.data() + j * stride_; }
  Index stride() const { return stride_; }

 private:
  Index stride_;
  std::vector<float, Eigen::aligned_allocator<float>> data_;
};

// x (D x B) as 0/1 bytes in modelling order, one example after another: xo[j * D + k] = x(o_k, j).
// False if some entry is neither 0 nor 1 (the portable path handles that).
bool ordered_binary(const std::vector<Index>& order, const Eigen::Ref<const MatrixX<float>>& x,
                    std::vector<std::uint8_t>& xo) {
  const Index dim = static_cast<Index>(order.size());
  xo.resize(static_cast<std::size_t>(dim * x.cols()));
  for (Index j = 0; j < x.cols(); ++j) {
    const float* xj = x.col(j).data();
    std::uint8_t* out = xo.data() + j * dim;
    bool binary = true;
    for (Index k = 0; k < dim; ++k) {
      const float v = xj[order[static_cast<std::size_t>(k)]];
      binary = binary && (v == 0.0f || v == 1.0f);
      out[k] = v != 0.0f;
    }
    if (!binary) return false;
  }
  return true;
}

// The Bernoulli terms of one position from its logit l (double): softplus(l) = log(1 + e^l)
// and sigmoid(l), sharing one exp.
struct LogitTerms {
  double softplus, sigmoid;
};
inline LogitTerms logit_terms(double l) {
  const double e = std::exp(-std::abs(l));  // in (0, 1]
  const double r = 1.0 / (1.0 + e);
  return {std::max(l, 0.0) + std::log1p(e), l >= 0 ? r : e * r};
}
#ifdef NADE_NOSP
inline double softplus_fast(double l) { return std::max(l, 0.0); }
#else
inline double softplus_fast(double l) { return std::max(l, 0.0) + std::log1p(std::exp(-std::abs(l))); }
#endif

// ---- log_prob ----

// How a group's pass obtains h: the stored one (keep), act(a) (from_a: the first group), or
// act(a + W[:, d]) after the previous group ended on a 1 at d (add). NewH passes store h only
// when a later pass reads it (the group does not end on a 1).
enum class ScoreH { keep, from_a, add };

struct ScorePass {
  float* a;                // the example's a (padded)
  float* h;                // its h = act(a) (padded)
  const float* w;          // W[:, d] to add, for ScoreH::add
  const float* v[kGroup];  // V[:, d] of the group's positions
  float* dots;             // out: kGroup dot products
};

// One pass over the rows: h (as Mode says), then ND dot products V[:, d] . h.
template <int ND, ScoreH Mode, bool StoreH, bool Relu>
void score_pass(const Rows& rows, const ScorePass& p) {
  float* __restrict a = p.a;
  float* __restrict h = p.h;
  const float* __restrict wc = p.w;
  const float* v[kGroup];
  for (int i = 0; i < ND; ++i) v[i] = p.v[i];
  __m256 acc[kGroup];
  for (int i = 0; i < kGroup; ++i) acc[i] = _mm256_setzero_ps();
  for_chunks(rows, [&](Index o, auto m) {
    __m256 hv;
    if constexpr (Mode == ScoreH::keep) {
      hv = _mm256_load_ps(h + o);
    } else {
      __m256 av = _mm256_load_ps(a + o);
      if constexpr (Mode == ScoreH::add) {
        av = _mm256_add_ps(av, m.load(wc + o));
        _mm256_store_ps(a + o, av);
      }
      hv = act<Relu>(av);
      if constexpr (StoreH) _mm256_store_ps(h + o, hv);
    }
    for (int i = 0; i < ND; ++i) acc[i] = _mm256_fmadd_ps(m.load(v[i] + o), hv, acc[i]);
  });
  hsum4(acc[0], acc[1], acc[2], acc[3], p.dots);
}

using ScorePassFn = void (*)(const Rows&, const ScorePass&);

// Indexed by (ND - 1) * 5 + kind, kind 0: keep, 1/2: from_a storing h or not, 3/4: add, same.
template <bool Relu, std::size_t... I>
constexpr std::array<ScorePassFn, sizeof...(I)> score_table(std::index_sequence<I...>) {
  return {(I % 5 == 0   ? &score_pass<int(I / 5) + 1, ScoreH::keep, false, Relu>
           : I % 5 == 1 ? &score_pass<int(I / 5) + 1, ScoreH::from_a, true, Relu>
           : I % 5 == 2 ? &score_pass<int(I / 5) + 1, ScoreH::from_a, false, Relu>
           : I % 5 == 3 ? &score_pass<int(I / 5) + 1, ScoreH::add, true, Relu>
                        : &score_pass<int(I / 5) + 1, ScoreH::add, false, Relu>)...};
}

template <bool Relu>
void float_log_prob(const NadeWeights<float>& w, const std::vector<Index>& order, const std::uint8_t* xo,
                    Index count, Eigen::Ref<Vector> out) {
  static constexpr auto table = score_table<Relu>(std::make_index_sequence<kGroup * 5>());
  const Index hidden = w.c.size();
  const Index dim = static_cast<Index>(order.size());
  const Rows rows(hidden);
  ColumnBuffer a(hidden, count), h(hidden, count);
  for (Index j = 0; j < count; ++j) Eigen::Map<VectorX<float>>(a.col(j), hidden) = w.c;
  struct State {
    Index add = -1;        // the dimension whose W column is still to be added into a, or -1
    bool h_valid = false;  // whether the stored h is act(a)
    double log_prob = 0.0;
  };
  std::vector<State> state(static_cast<std::size_t>(count));
  for (Index t0 = 0; t0 < dim; t0 += kTile) {
    const Index t1 = std::min(dim, t0 + kTile);
    for (Index j = 0; j < count; ++j) {
      const std::uint8_t* xj = xo + j * dim;
      State& st = state[static_cast<std::size_t>(j)];
      double lp = 0.0;
      Index k = t0;
      while (k < t1) {
        // A group: positions from k sharing one h, ending after a 1 or at kGroup positions.
        Index dims[kGroup];
        int n = 0;
        ScorePass p{a.col(j), h.col(j), nullptr, {}, nullptr};
        bool ends_on_one;
        do {
          dims[n] = order[static_cast<std::size_t>(k)];
          p.v[n] = w.V.col(dims[n]).data();
          ++n;
          ends_on_one = xj[k++] != 0;
        } while (!ends_on_one && n < kGroup && k < t1);
        int kind = 0;
        if (st.add >= 0) {
          p.w = w.W.col(st.add).data();
          kind = ends_on_one ? 4 : 3;
        } else if (!st.h_valid) {
          kind = ends_on_one ? 2 : 1;
        }
        float dots[kGroup];
        p.dots = dots;
        table[static_cast<std::size_t>((n - 1) * 5 + kind)](rows, p);
        st.h_valid = !ends_on_one;
        st.add = ends_on_one ? dims[n - 1] : -1;
        for (int i = 0; i < n; ++i) lp -= softplus_fast(static_cast<double>(w.b(dims[i]) + dots[i]));
        if (ends_on_one) lp += static_cast<double>(w.b(dims[n - 1]) + dots[n - 1]);
      }
      st.log_prob += lp;
    }
  }
  for (Index j = 0; j < count; ++j) out(j) = state[static_cast<std::size_t>(j)].log_prob;
}

// ---- nll_and_grad ----

enum class NewH { keep, from_a, subtract };

struct TrainPass {
  float* a;
  float* h;
  float* da;                 // sum over the later positions of dNLL/da
  const float* w;            // W[:, d] and
  float* gw;                 // dW[:, d] of the group's first position, for NewH::subtract
  const float* pv[kGroup];   // the pending positions (previous group, same h as stored): V[:, d],
  float* pgv[kGroup];        // dV[:, d]
  float pdl[kGroup];         // and dNLL/dlogit
  const float* v[kGroup];    // V[:, d] of this group's positions
  float* dots;               // out: kGroup dot products
};

// One pass over the rows of one example in the backward sweep:
//  1. the NP pending positions, whose h is the stored one: dV[:, d] += dl h, and
//     da += act'(a) * sum dl V[:, d];
//  2. NewH::subtract (x = 1 at this group's first position d): dW[:, d] += da, a -= W[:, d],
//     h = act(a) stored; NewH::from_a: h = act(a) stored;
//  3. the ND dot products V[:, d] . h of this group.
template <int NP, int ND, NewH Mode, bool Relu>
void train_pass(const Rows& rows, const TrainPass& p) {
  float* __restrict a = p.a;
  float* __restrict h = p.h;
  float* __restrict da = p.da;
  const float* __restrict wc = p.w;
  float* __restrict gw = p.gw;
  const float* pv[kGroup];
  float* pgv[kGroup];
  __m256 dl[kGroup];
  for (int i = 0; i < NP; ++i) {
    pv[i] = p.pv[i];
    pgv[i] = p.pgv[i];
    dl[i] = _mm256_set1_ps(p.pdl[i]);
  }
  const float* v[kGroup];
  for (int i = 0; i < ND; ++i) v[i] = p.v[i];
  __m256 acc[kGroup];
  for (int i = 0; i < kGroup; ++i) acc[i] = _mm256_setzero_ps();
  for_chunks(rows, [&](Index o, auto m) {
    __m256 hv = _mm256_setzero_ps(), dav = _mm256_setzero_ps();
    if constexpr (NP > 0 || Mode == NewH::keep) hv = _mm256_load_ps(h + o);
    if constexpr (NP > 0) {
      __m256 u = _mm256_mul_ps(dl[0], m.load(pv[0] + o));
      for (int i = 1; i < NP; ++i) u = _mm256_fmadd_ps(dl[i], m.load(pv[i] + o), u);
      for (int i = 0; i < NP; ++i) m.store(pgv[i] + o, _mm256_fmadd_ps(dl[i], hv, m.load(pgv[i] + o)));
      dav = _mm256_load_ps(da + o);
      if constexpr (Relu)
        dav = _mm256_add_ps(dav, _mm256_and_ps(u, _mm256_cmp_ps(hv, _mm256_setzero_ps(), _CMP_GT_OQ)));
      else
        dav = _mm256_fmadd_ps(u, _mm256_fnmadd_ps(hv, hv, hv), dav);  // h (1 - h) = h - h h
      _mm256_store_ps(da + o, dav);
    }
    if constexpr (Mode == NewH::subtract) {
      if constexpr (NP == 0) dav = _mm256_load_ps(da + o);
      m.store(gw + o, _mm256_add_ps(m.load(gw + o), dav));
      const __m256 av = _mm256_sub_ps(_mm256_load_ps(a + o), m.load(wc + o));
      _mm256_store_ps(a + o, av);
      hv = act<Relu>(av);
      _mm256_store_ps(h + o, hv);
    } else if constexpr (Mode == NewH::from_a) {
      hv = act<Relu>(_mm256_load_ps(a + o));
      _mm256_store_ps(h + o, hv);
    }
    for (int i = 0; i < ND; ++i) acc[i] = _mm256_fmadd_ps(m.load(v[i] + o), hv, acc[i]);
  });
  if constexpr (ND > 0) hsum4(acc[0], acc[1], acc[2], acc[3], p.dots);
}

using TrainPassFn = void (*)(const Rows&, const TrainPass&);

// Indexed by (NP * (kGroup + 1) + ND) * 3 + mode.
template <bool Relu, std::size_t... I>
constexpr std::array<TrainPassFn, sizeof...(I)> train_table(std::index_sequence<I...>) {
  constexpr int g = kGroup + 1;
  return {(I % 3 == 0   ? &train_pass<int(I / 3 / g), int(I / 3 % g), NewH::keep, Relu>
           : I % 3 == 1 ? &train_pass<int(I / 3 / g), int(I / 3 % g), NewH::from_a, Relu>
                        : &train_pass<int(I / 3 / g), int(I / 3 % g), NewH::subtract, Relu>)...};
}

template <bool Relu>
double float_nll_and_grad(const NadeWeights<float>& w, const std::vector<Index>& order,
                          const Eigen::Ref<const MatrixX<float>>& x, const std::uint8_t* xo, NadeGradients<float>& grad) {
  static constexpr auto table = train_table<Relu>(std::make_index_sequence<(kGroup + 1) * (kGroup + 1) * 3>());
  const Index hidden = w.c.size();
  const Index dim = static_cast<Index>(order.size());
  const Index count = x.cols();
  const Rows rows(hidden);
  ColumnBuffer a(hidden, count), h(hidden, count), da(hidden, count);
  {
    // a_D = c + W x: every position's input added at once (one GEMM), into the padded buffer.
    Eigen::Map<MatrixX<float>, 0, Eigen::OuterStride<>> a_map(a.col(0), hidden, count,
                                                              Eigen::OuterStride<>(a.stride()));
    a_map = w.c.replicate(1, count);
    a_map.noalias() += w.W * x;
  }
  struct State {
    bool h_valid = false;  // whether the stored h is act(a)
    int pending = 0;       // the previous group, whose dV and da terms are not yet added:
    Index dims[kGroup];    // its dimensions
    float dl[kGroup];      // and their dNLL/dlogit
    double nll = 0.0;
  };
  std::vector<State> state(static_cast<std::size_t>(count));

  // One pass for example j: the pending terms, h as `mode` says, and the nd dot products.
  const auto run = [&](Index j, State& st, NewH mode, Index one, int nd, const Index* dims, float* dots) {
    TrainPass p{a.col(j), h.col(j), da.col(j), nullptr, nullptr, {}, {}, {}, {}, dots};
    for (int i = 0; i < st.pending; ++i) {
      p.pv[i] = w.V.col(st.dims[i]).data();
      p.pgv[i] = grad.V.col(st.dims[i]).data();
      p.pdl[i] = st.dl[i];
    }
    for (int i = 0; i < nd; ++i) p.v[i] = w.V.col(dims[i]).data();
    if (mode == NewH::subtract) {
      p.w = w.W.col(one).data();
      p.gw = grad.W.col(one).data();
    }
    table[static_cast<std::size_t>((st.pending * (kGroup + 1) + nd) * 3 + static_cast<int>(mode))](rows, p);
  };

  for (Index t1 = dim; t1 > 0; t1 -= kTile) {
    const Index t0 = std::max<Index>(0, t1 - kTile);
    for (Index j = 0; j < count; ++j) {
      const std::uint8_t* xj = xo + j * dim;
      State& st = state[static_cast<std::size_t>(j)];
      double nll = 0.0;
      Index k = t1 - 1;
      while (k >= t0) {
        // A group, walking down: position k (if x = 1 there, a loses W[:, o_k] and h changes),
        // then the positions below it while their x is 0, up to kGroup.
        Index dims[kGroup];
        int n = 0;
        const bool one = xj[k] != 0;
        dims[n++] = order[static_cast<std::size_t>(k--)];
        while (n < kGroup && k >= t0 && !xj[k]) dims[n++] = order[static_cast<std::size_t>(k--)];
        const NewH mode = one ? NewH::subtract : st.h_valid ? NewH::keep : NewH::from_a;
        float dots[kGroup];
        run(j, st, mode, dims[0], n, dims, dots);
        st.h_valid = true;
        st.pending = n;
        for (int i = 0; i < n; ++i) {
          const double logit = static_cast<double>(w.b(dims[i]) + dots[i]);
          const LogitTerms terms = logit_terms(logit);
          const double xd = i == 0 && one ? 1.0 : 0.0;
          nll += terms.softplus - xd * logit;
          const float dlogit = static_cast<float>(terms.sigmoid - xd);  // dNLL/dlogit
          grad.b(dims[i]) += dlogit;
          st.dims[i] = dims[i];
          st.dl[i] = dlogit;
        }
      }
      st.nll += nll;
    }
  }
  double nll = 0.0;
  for (Index j = 0; j < count; ++j) {
    State& st = state[static_cast<std::size_t>(j)];
    if (st.pending > 0) run(j, st, NewH::keep, 0, 0, nullptr, nullptr);
    grad.c.noalias() += Eigen::Map<const VectorX<float>>(da.col(j), hidden);
    nll += st.nll;
  }
  return nll;
}

#endif  // LOGP_HAVE_AVX2_FMA

}  // namespace

template <typename T>
void nade_log_prob(const NadeWeights<T>& w, const std::vector<Index>& order, NadeActivation activation,
                   const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out) {
#if LOGP_HAVE_AVX2_FMA
  if constexpr (std::is_same_v<T, float>) {
    std::vector<std::uint8_t> xo;
    if (ordered_binary(order, x, xo)) {
      const Index dim = static_cast<Index>(order.size());
      for (Index first = 0; first < x.cols(); first += kScoreBlock) {
        const Index count = std::min(kScoreBlock, x.cols() - first);
        if (activation == NadeActivation::relu)
          float_log_prob<true>(w, order, xo.data() + first * dim, count, out.segment(first, count));
        else
          float_log_prob<false>(w, order, xo.data() + first * dim, count, out.segment(first, count));
      }
      return;
    }
  }
#endif
  generic_log_prob<T>(w, order, activation, x, out);
}

template <typename T>
double nade_nll_and_grad(const NadeWeights<T>& w, const std::vector<Index>& order, NadeActivation activation,
                         const Eigen::Ref<const MatrixX<T>>& x, NadeGradients<T>& grad) {
#if LOGP_HAVE_AVX2_FMA
  if constexpr (std::is_same_v<T, float>) {
    std::vector<std::uint8_t> xo;
    if (ordered_binary(order, x, xo)) {
      const Index dim = static_cast<Index>(order.size());
      double nll = 0.0;
      for (Index first = 0; first < x.cols(); first += kTrainBlock) {
        const Index count = std::min(kTrainBlock, x.cols() - first);
        const auto block = x.middleCols(first, count);
        nll += activation == NadeActivation::relu
                   ? float_nll_and_grad<true>(w, order, block, xo.data() + first * dim, grad)
                   : float_nll_and_grad<false>(w, order, block, xo.data() + first * dim, grad);
      }
      return nll;
    }
  }
#endif
  return generic_nll_and_grad<T>(w, order, activation, x, grad);
}

template void nade_log_prob<float>(const NadeWeights<float>&, const std::vector<Index>&, NadeActivation,
                                   const Eigen::Ref<const MatrixX<float>>&, Eigen::Ref<Vector>);
template void nade_log_prob<double>(const NadeWeights<double>&, const std::vector<Index>&, NadeActivation,
                                    const Eigen::Ref<const MatrixX<double>>&, Eigen::Ref<Vector>);
template double nade_nll_and_grad<float>(const NadeWeights<float>&, const std::vector<Index>&, NadeActivation,
                                         const Eigen::Ref<const MatrixX<float>>&, NadeGradients<float>&);
template double nade_nll_and_grad<double>(const NadeWeights<double>&, const std::vector<Index>&, NadeActivation,
                                          const Eigen::Ref<const MatrixX<double>>&, NadeGradients<double>&);

}  // namespace logp
