#include "logp/models/nade/nade_kernel.hpp"

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
void activate(Activation activation, const In& a, Out& h) {
  if (activation == Activation::sigmoid)
    h = a.array().logistic();
  else
    h = a.array().max(T(0));
}

template <typename T>
void generic_log_prob(const NadeWeights<T>& w, const std::vector<Index>& order, Activation activation,
                      const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out) {
  const Index batch = x.cols();
  MatrixX<T> a = w.c.replicate(1, batch);  // H x B
  out.setZero();
  for (const Index d : order) {
    for (Index j = 0; j < batch; ++j) {
      // V_d . act(a): one fused, vectorized pass; h is never stored.
      const T dot = activation == Activation::sigmoid
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
double generic_nll_and_grad(const NadeWeights<T>& w, const std::vector<Index>& order, Activation activation,
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
      if (activation == Activation::sigmoid)
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
// Examples go through the positions kLanes (4) at a time, in step: one pass over the H rows per
// position serves the 4 examples, so that every chunk of V[:, d], W[:, d] and their gradients is
// loaded once for the 4 (the kernel would otherwise be bound by moving those columns into L1).
// h_k = act(a_k) changes only after a position whose x is 1, so an example computes act (the
// costly part) only there; elsewhere it reuses its stored h. The 4 logits of a step go through
// one 4-wide softplus/sigmoid in double. Positions are walked in tiles of kTile, every group of 4
// examples through one tile before the next, so the tile's columns are reused from L2.
// The backward sweep adds a position's dV and da terms one step later, once its dNLL/dlogit is
// known, and collects sum dl V[:, d] in u while h stays the same, so that da (needed only where
// x is 1, for dW) is updated there: da += act'(a) u.
//
// Each example's arithmetic depends only on that example: lanes never mix, every lane's dot
// product is summed by the same tree, and the code a lane runs does not depend on the others,
// so log_prob is the same bit for bit however a batch is split, and the gradient of a batch is
// the same for any number of threads.

constexpr int kLanes = 4;          // examples in step: hsum4 and the 4 doubles of softplus_sigmoid
constexpr Index kTile = 16;        // positions per tile
constexpr Index kScoreBlock = 32;  // examples per block in log_prob (their a and h stay in L2)
constexpr Index kTrainBlock = 32;  // examples per block in objective_and_grad (a, h, u, da stay in L2)

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

// fn(std::integral_constant<int, e>) for e = 0 .. N-1, unrolled.
template <int N, typename Fn>
inline __attribute__((always_inline)) void for_lanes(Fn&& fn) {
  [&]<int... E>(std::integer_sequence<int, E...>) { (fn(std::integral_constant<int, E>{}), ...); }
  (std::make_integer_sequence<int, N>{});
}

// The four horizontal sums of a0..a3 (the same summation tree for every lane).
inline __m128 hsum4(__m256 a0, __m256 a1, __m256 a2, __m256 a3) {
  const __m256 s = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3));
  return _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1));
}

template <bool Relu>
inline __attribute__((always_inline)) __m256 act(__m256 a) {
  if constexpr (Relu)
    return _mm256_max_ps(a, _mm256_setzero_ps());
  else
    return fast::sigmoid(a);
}

// act'(a) from h = act(a): h (1 - h) = h - h h, or (h > 0) as a mask for ReLU.
template <bool Relu>
inline __attribute__((always_inline)) __m256 act_slope_times(__m256 h, __m256 u) {
  if constexpr (Relu)
    return _mm256_and_ps(u, _mm256_cmp_ps(h, _mm256_setzero_ps(), _CMP_GT_OQ));
  else
    return _mm256_mul_ps(u, _mm256_fnmadd_ps(h, h, h));
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

// x (D x B) in modelling order, as one byte per position and group of kLanes examples:
// bit e of ones[g * D + k] is x(o_k, kLanes g + e). False if some entry is neither 0 nor 1
// (the portable path handles that).
bool lane_masks(const std::vector<Index>& order, const Eigen::Ref<const MatrixX<float>>& x,
                std::vector<std::uint8_t>& ones) {
  int not_binary = 0;
  for (Index j = 0; j < x.cols(); ++j) {
    const float* xj = x.col(j).data();
    for (Index i = 0; i < x.rows(); ++i) not_binary |= int(xj[i] != 0.0f) & int(xj[i] != 1.0f);
  }
  if (not_binary) return false;
  const Index dim = static_cast<Index>(order.size());
  const Index groups = (x.cols() + kLanes - 1) / kLanes;
  ones.resize(static_cast<std::size_t>(groups * dim));
  for (Index g = 0; g < groups; ++g) {
    const Index lanes = std::min<Index>(kLanes, x.cols() - g * kLanes);
    const float* col[kLanes];
    for (Index e = 0; e < kLanes; ++e) col[e] = x.col(g * kLanes + std::min(e, lanes - 1)).data();
    const unsigned valid = (1u << lanes) - 1;
    std::uint8_t* out = ones.data() + g * dim;
    for (Index k = 0; k < dim; ++k) {
      const Index d = order[static_cast<std::size_t>(k)];
      const unsigned bits = unsigned(col[0][d] != 0.0f) | unsigned(col[1][d] != 0.0f) << 1 |
                            unsigned(col[2][d] != 0.0f) << 2 | unsigned(col[3][d] != 0.0f) << 3;
      out[k] = static_cast<std::uint8_t>(bits & valid);
    }
  }
  return true;
}

// The 4 logits b_d + dots as doubles (lanes past `lanes` are 0).
inline __m256d logits_of(float bias, __m128 dots, int lanes) {
  const __m128 valid = _mm_castsi128_ps(_mm_cmpgt_epi32(_mm_set1_epi32(lanes), _mm_setr_epi32(0, 1, 2, 3)));
  return _mm256_cvtps_pd(_mm_and_ps(_mm_add_ps(_mm_set1_ps(bias), dots), valid));
}

// The lanes of `ones` (bit e: x = 1 in lane e) as doubles 0 or 1.
inline __m256d bits_to_pd(unsigned ones) {
  const __m256i bit = _mm256_and_si256(_mm256_set1_epi64x(ones), _mm256_setr_epi64x(1, 2, 4, 8));
  return _mm256_and_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(bit, _mm256_setr_epi64x(1, 2, 4, 8))),
                       _mm256_set1_pd(1.0));
}

// ---- log_prob ----

struct ScoreStep {
  float* a[kLanes];  // the lanes' a (padded)
  float* h[kLanes];  // and h = act(a)
  const float* w;    // W[:, d'] of the previous position d', added into a in the lanes of Ones
  const float* v;    // V[:, d]
};

// One position d for E lanes: a += W[:, d'] and h = act(a) in the lanes of Ones (x_d' = 1),
// then the dot products V[:, d] . h.
template <int E, unsigned Ones, bool Relu>
void score_step(const Rows& rows, const ScoreStep& s, float* dots) {
  float* a[kLanes];
  float* h[kLanes];
  for (int e = 0; e < E; ++e) a[e] = s.a[e], h[e] = s.h[e];
  const float* __restrict wc = s.w;
  const float* __restrict vc = s.v;
  __m256 acc[kLanes];
  for (int e = 0; e < kLanes; ++e) acc[e] = _mm256_setzero_ps();
  for_chunks(rows, [&](Index o, auto m) {
    const __m256 vv = m.load(vc + o);
    __m256 wv = _mm256_setzero_ps();
    if constexpr (Ones != 0) wv = m.load(wc + o);
    for_lanes<E>([&](auto lane) {
      constexpr int e = lane;
      __m256 hv;
      if constexpr (((Ones >> e) & 1) != 0) {
        const __m256 av = _mm256_add_ps(_mm256_load_ps(a[e] + o), wv);
        _mm256_store_ps(a[e] + o, av);
        hv = act<Relu>(av);
        _mm256_store_ps(h[e] + o, hv);
      } else {
        hv = _mm256_load_ps(h[e] + o);
      }
      acc[e] = _mm256_fmadd_ps(vv, hv, acc[e]);
    });
  });
  _mm_storeu_ps(dots, hsum4(acc[0], acc[1], acc[2], acc[3]));
}

using ScoreStepFn = void (*)(const Rows&, const ScoreStep&, float* dots);

// score_step<E, ones, Relu> for every mask of E lanes.
template <int E, bool Relu>
constexpr std::array<ScoreStepFn, (1u << E)> score_steps() {
  return []<unsigned... M>(std::integer_sequence<unsigned, M...>) {
    return std::array<ScoreStepFn, (1u << E)>{&score_step<E, M, Relu>...};
  }(std::make_integer_sequence<unsigned, (1u << E)>{});
}

template <bool Relu>
ScoreStepFn score_step_for(int lanes, unsigned ones) {
  static constexpr auto s1 = score_steps<1, Relu>();
  static constexpr auto s2 = score_steps<2, Relu>();
  static constexpr auto s3 = score_steps<3, Relu>();
  static constexpr auto s4 = score_steps<4, Relu>();
  switch (lanes) {
    case 1: return s1[ones];
    case 2: return s2[ones];
    case 3: return s3[ones];
    default: return s4[ones];
  }
}

template <bool Relu>
void float_log_prob(const NadeWeights<float>& w, const std::vector<Index>& order, const std::uint8_t* ones,
                    Index count, Eigen::Ref<Vector> out) {
  const Index hidden = w.c.size();
  const Index dim = static_cast<Index>(order.size());
  const Rows rows(hidden);
  ColumnBuffer a(hidden, count), h(hidden, count);
  {
    // a_0 = c and h_0 = act(c), the same for every example.
    Eigen::Map<VectorX<float>>(a.col(0), hidden) = w.c;
    for_chunks(rows, [&](Index o, auto) { _mm256_store_ps(h.col(0) + o, act<Relu>(_mm256_load_ps(a.col(0) + o))); });
    for (Index j = 1; j < count; ++j) {
      std::copy(a.col(0), a.col(0) + a.stride(), a.col(j));
      std::copy(h.col(0), h.col(0) + h.stride(), h.col(j));
    }
  }
  struct Group {  // kLanes examples in step
    ScoreStep step;
    int lanes;
    unsigned previous_ones = 0;  // x = 1 at the previous position, in each lane
    Index previous_dim = 0;
    __m256d log_prob = _mm256_setzero_pd();
  };
  const Index groups = (count + kLanes - 1) / kLanes;
  std::vector<Group> group(static_cast<std::size_t>(groups));
  for (Index g = 0; g < groups; ++g) {
    Group& gr = group[static_cast<std::size_t>(g)];
    gr.lanes = static_cast<int>(std::min<Index>(kLanes, count - g * kLanes));
    for (int e = 0; e < gr.lanes; ++e) gr.step.a[e] = a.col(g * kLanes + e), gr.step.h[e] = h.col(g * kLanes + e);
  }
  for (Index t0 = 0; t0 < dim; t0 += kTile) {
    const Index t1 = std::min(dim, t0 + kTile);
    for (Index g = 0; g < groups; ++g) {
      Group& gr = group[static_cast<std::size_t>(g)];
      const std::uint8_t* x = ones + g * dim;
      __m256d log_prob = gr.log_prob;
      for (Index k = t0; k < t1; ++k) {
        const Index d = order[static_cast<std::size_t>(k)];
        gr.step.w = w.W.col(gr.previous_dim).data();
        gr.step.v = w.V.col(d).data();
        alignas(16) float dots[kLanes];
        score_step_for<Relu>(gr.lanes, gr.previous_ones)(rows, gr.step, dots);
        const __m256d logit = logits_of(w.b(d), _mm_load_ps(dots), gr.lanes);
        __m256d softplus, sigmoid;
        fast::softplus_sigmoid(logit, softplus, sigmoid);
        // log p += x l - softplus(l); lanes past `lanes` have l = 0, x = 0: they add -ln 2.
        log_prob = _mm256_add_pd(log_prob, _mm256_fmsub_pd(bits_to_pd(x[k]), logit, softplus));
        gr.previous_ones = x[k];
        gr.previous_dim = d;
      }
      gr.log_prob = log_prob;
    }
  }
  for (Index g = 0; g < groups; ++g) {
    alignas(32) double lanes[kLanes];
    _mm256_store_pd(lanes, group[static_cast<std::size_t>(g)].log_prob);
    for (int e = 0; e < group[static_cast<std::size_t>(g)].lanes; ++e) out(g * kLanes + e) = lanes[e];
  }
}

// ---- objective_and_grad ----

struct TrainStep {
  float* a[kLanes];    // the lanes' a,
  float* h[kLanes];    // h = act(a),
  float* u[kLanes];    // sum of dl V[:, d] over the positions since h last changed,
  float* da[kLanes];   // and sum over the positions before those of dNLL/da
  const float* vp;     // V[:, d+] and
  float* gvp;          // dV[:, d+] of the position after d (d+), whose terms are pending,
  float dl[kLanes];    // with its dNLL/dlogit in each lane (0: none)
  const float* v;      // V[:, d]
  const float* w;      // W[:, d] and
  float* gw;           // dW[:, d], for the lanes of Ones (x_d = 1)
};

// One position d of the backward sweep for E lanes:
//  1. the pending position d+: dV[:, d+] += dl h and u += dl V[:, d+] (h is that of d+);
//  2. in the lanes of Ones (x_d = 1, h changes below d+): da += act'(a) u, u = 0,
//     dW[:, d] += da, a -= W[:, d], h = act(a);
//  3. the dot products V[:, d] . h.
// Final (after position 0): steps 1 and the first part of 2 in every lane, no dots.
template <int E, unsigned Ones, bool Final, bool Relu>
void train_step(const Rows& rows, const TrainStep& s, float* dots) {
  float* a[kLanes];
  float* h[kLanes];
  float* u[kLanes];
  float* da[kLanes];
  __m256 dl[kLanes];
  for (int e = 0; e < E; ++e) {
    a[e] = s.a[e], h[e] = s.h[e], u[e] = s.u[e], da[e] = s.da[e];
    dl[e] = _mm256_set1_ps(s.dl[e]);
  }
  const float* __restrict vp = s.vp;
  float* __restrict gvp = s.gvp;
  const float* __restrict vc = s.v;
  const float* __restrict wc = s.w;
  float* __restrict gw = s.gw;
  __m256 acc[kLanes];
  for (int e = 0; e < kLanes; ++e) acc[e] = _mm256_setzero_ps();
  for_chunks(rows, [&](Index o, auto m) {
    const __m256 vpv = m.load(vp + o);
    __m256 gvpv = m.load(gvp + o);
    __m256 vv = _mm256_setzero_ps(), wv = _mm256_setzero_ps(), gwv = _mm256_setzero_ps();
    if constexpr (!Final) vv = m.load(vc + o);
    if constexpr (!Final && Ones != 0) {
      wv = m.load(wc + o);
      gwv = m.load(gw + o);
    }
    for_lanes<E>([&](auto lane) {
      constexpr int e = lane;
      __m256 hv = _mm256_load_ps(h[e] + o);
      gvpv = _mm256_fmadd_ps(dl[e], hv, gvpv);
      const __m256 uv = _mm256_fmadd_ps(dl[e], vpv, _mm256_load_ps(u[e] + o));
      if constexpr (Final || ((Ones >> e) & 1) != 0) {
        const __m256 dav = _mm256_add_ps(_mm256_load_ps(da[e] + o), act_slope_times<Relu>(hv, uv));
        _mm256_store_ps(da[e] + o, dav);
        if constexpr (!Final) {
          _mm256_store_ps(u[e] + o, _mm256_setzero_ps());
          gwv = _mm256_add_ps(gwv, dav);
          const __m256 av = _mm256_sub_ps(_mm256_load_ps(a[e] + o), wv);
          _mm256_store_ps(a[e] + o, av);
          hv = act<Relu>(av);
          _mm256_store_ps(h[e] + o, hv);
        }
      } else {
        _mm256_store_ps(u[e] + o, uv);
      }
      if constexpr (!Final) acc[e] = _mm256_fmadd_ps(vv, hv, acc[e]);
    });
    m.store(gvp + o, gvpv);
    if constexpr (!Final && Ones != 0) m.store(gw + o, gwv);
  });
  if constexpr (!Final) _mm_storeu_ps(dots, hsum4(acc[0], acc[1], acc[2], acc[3]));
}

using TrainStepFn = void (*)(const Rows&, const TrainStep&, float* dots);

template <int E, bool Relu>
constexpr std::array<TrainStepFn, (1u << E) + 1> train_steps() {  // every mask, then Final
  return []<unsigned... M>(std::integer_sequence<unsigned, M...>) {
    return std::array<TrainStepFn, (1u << E) + 1>{&train_step<E, M, false, Relu>..., &train_step<E, 0, true, Relu>};
  }(std::make_integer_sequence<unsigned, (1u << E)>{});
}

// The step for `lanes` lanes and mask `ones`; ones = 1 << lanes: the final step.
template <bool Relu>
TrainStepFn train_step_for(int lanes, unsigned ones) {
  static constexpr auto s1 = train_steps<1, Relu>();
  static constexpr auto s2 = train_steps<2, Relu>();
  static constexpr auto s3 = train_steps<3, Relu>();
  static constexpr auto s4 = train_steps<4, Relu>();
  switch (lanes) {
    case 1: return s1[ones];
    case 2: return s2[ones];
    case 3: return s3[ones];
    default: return s4[ones];
  }
}

template <bool Relu>
double float_nll_and_grad(const NadeWeights<float>& w, const std::vector<Index>& order,
                          const Eigen::Ref<const MatrixX<float>>& x, const std::uint8_t* ones,
                          NadeGradients<float>& grad) {
  const Index hidden = w.c.size();
  const Index dim = static_cast<Index>(order.size());
  const Index count = x.cols();
  const Rows rows(hidden);
  ColumnBuffer a(hidden, count), h(hidden, count), u(hidden, count), da(hidden, count);
  {
    // a_D = c + W x: every position's input added at once (one GEMM), into the padded buffer.
    Eigen::Map<MatrixX<float>, 0, Eigen::OuterStride<>> a_map(a.col(0), hidden, count,
                                                              Eigen::OuterStride<>(a.stride()));
    a_map = w.c.replicate(1, count);
    a_map.noalias() += w.W * x;
    for (Index j = 0; j < count; ++j)
      for_chunks(rows, [&](Index o, auto) { _mm256_store_ps(h.col(j) + o, act<Relu>(_mm256_load_ps(a.col(j) + o))); });
  }
  struct Group {  // kLanes examples in step
    TrainStep step;
    int lanes;
    __m256d nll = _mm256_setzero_pd();
  };
  const Index groups = (count + kLanes - 1) / kLanes;
  std::vector<Group> group(static_cast<std::size_t>(groups));
  for (Index g = 0; g < groups; ++g) {
    Group& gr = group[static_cast<std::size_t>(g)];
    gr.lanes = static_cast<int>(std::min<Index>(kLanes, count - g * kLanes));
    for (int e = 0; e < kLanes; ++e) {
      const Index j = g * kLanes + std::min(e, gr.lanes - 1);
      gr.step.a[e] = a.col(j), gr.step.h[e] = h.col(j), gr.step.u[e] = u.col(j), gr.step.da[e] = da.col(j);
      gr.step.dl[e] = 0.0f;  // nothing pending before the last position
    }
    gr.step.vp = w.V.col(order.back()).data();
    gr.step.gvp = grad.V.col(order.back()).data();  // += 0 h: unchanged
  }
  for (Index t1 = dim; t1 > 0; t1 -= kTile) {
    const Index t0 = std::max<Index>(0, t1 - kTile);
    for (Index g = 0; g < groups; ++g) {
      Group& gr = group[static_cast<std::size_t>(g)];
      const std::uint8_t* x_ones = ones + g * dim;
      const __m256d lane_valid = _mm256_castsi256_pd(
          _mm256_cmpgt_epi64(_mm256_set1_epi64x(gr.lanes), _mm256_setr_epi64x(0, 1, 2, 3)));
      __m256d nll = gr.nll;
      for (Index k = t1 - 1; k >= t0; --k) {
        const Index d = order[static_cast<std::size_t>(k)];
        gr.step.v = w.V.col(d).data();
        gr.step.w = w.W.col(d).data();
        gr.step.gw = grad.W.col(d).data();
        alignas(16) float dots[kLanes];
        train_step_for<Relu>(gr.lanes, x_ones[k])(rows, gr.step, dots);
        const __m256d logit = logits_of(w.b(d), _mm_load_ps(dots), gr.lanes);
        __m256d softplus, sigmoid;
        fast::softplus_sigmoid(logit, softplus, sigmoid);
        const __m256d xd = bits_to_pd(x_ones[k]);
        nll = _mm256_add_pd(nll, _mm256_and_pd(_mm256_fnmadd_pd(xd, logit, softplus), lane_valid));
        // dNLL/dlogit = sigmoid(l) - x_d (0 in the lanes past `lanes`)
        const __m128 dlogit = _mm256_cvtpd_ps(_mm256_and_pd(_mm256_sub_pd(sigmoid, xd), lane_valid));
        _mm_storeu_ps(gr.step.dl, dlogit);
        float sum = 0.0f;
        for (int e = 0; e < gr.lanes; ++e) sum += gr.step.dl[e];
        grad.b(d) += sum;
        gr.step.vp = gr.step.v;
        gr.step.gvp = grad.V.col(d).data();
      }
      gr.nll = nll;
    }
  }
  double nll = 0.0;
  for (Index g = 0; g < groups; ++g) {
    Group& gr = group[static_cast<std::size_t>(g)];
    train_step_for<Relu>(gr.lanes, 1u << gr.lanes)(rows, gr.step, nullptr);
    alignas(32) double lanes[kLanes];
    _mm256_store_pd(lanes, gr.nll);
    for (int e = 0; e < gr.lanes; ++e) nll += lanes[e];
  }
  for (Index j = 0; j < count; ++j) grad.c.noalias() += Eigen::Map<const VectorX<float>>(da.col(j), hidden);
  return nll;
}

#endif  // LOGP_HAVE_AVX2_FMA

}  // namespace

template <typename T>
void nade_log_prob(const NadeWeights<T>& w, const std::vector<Index>& order, Activation activation,
                   const Eigen::Ref<const MatrixX<T>>& x, Eigen::Ref<Vector> out) {
#if LOGP_HAVE_AVX2_FMA
  if constexpr (std::is_same_v<T, float>) {
    std::vector<std::uint8_t> ones;
    if (!order.empty() && lane_masks(order, x, ones)) {
      const Index dim = static_cast<Index>(order.size());
      for (Index first = 0; first < x.cols(); first += kScoreBlock) {
        const Index count = std::min(kScoreBlock, x.cols() - first);
        const std::uint8_t* block_ones = ones.data() + first / kLanes * dim;
        if (activation == Activation::relu)
          float_log_prob<true>(w, order, block_ones, count, out.segment(first, count));
        else
          float_log_prob<false>(w, order, block_ones, count, out.segment(first, count));
      }
      return;
    }
  }
#endif
  generic_log_prob<T>(w, order, activation, x, out);
}

template <typename T>
double nade_nll_and_grad(const NadeWeights<T>& w, const std::vector<Index>& order, Activation activation,
                         const Eigen::Ref<const MatrixX<T>>& x, NadeGradients<T>& grad) {
#if LOGP_HAVE_AVX2_FMA
  if constexpr (std::is_same_v<T, float>) {
    std::vector<std::uint8_t> ones;
    if (!order.empty() && lane_masks(order, x, ones)) {
      const Index dim = static_cast<Index>(order.size());
      double nll = 0.0;
      for (Index first = 0; first < x.cols(); first += kTrainBlock) {
        const Index count = std::min(kTrainBlock, x.cols() - first);
        const auto block = x.middleCols(first, count);
        const std::uint8_t* block_ones = ones.data() + first / kLanes * dim;
        nll += activation == Activation::relu ? float_nll_and_grad<true>(w, order, block, block_ones, grad)
                                                  : float_nll_and_grad<false>(w, order, block, block_ones, grad);
      }
      return nll;
    }
  }
#endif
  return generic_nll_and_grad<T>(w, order, activation, x, grad);
}

template void nade_log_prob<float>(const NadeWeights<float>&, const std::vector<Index>&, Activation,
                                   const Eigen::Ref<const MatrixX<float>>&, Eigen::Ref<Vector>);
template void nade_log_prob<double>(const NadeWeights<double>&, const std::vector<Index>&, Activation,
                                    const Eigen::Ref<const MatrixX<double>>&, Eigen::Ref<Vector>);
template double nade_nll_and_grad<float>(const NadeWeights<float>&, const std::vector<Index>&, Activation,
                                         const Eigen::Ref<const MatrixX<float>>&, NadeGradients<float>&);
template double nade_nll_and_grad<double>(const NadeWeights<double>&, const std::vector<Index>&, Activation,
                                          const Eigen::Ref<const MatrixX<double>>&, NadeGradients<double>&);

}  // namespace logp
