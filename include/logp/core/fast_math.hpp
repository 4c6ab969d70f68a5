#pragma once
// Vectorized elementary functions for the hot loops (AVX2 + FMA, 8 floats at a time), with
// their accuracy stated and tested (tests/core/test_fast_math.cpp). Present only when the
// compiler targets AVX2 and FMA (LOGP_HAVE_AVX2_FMA); callers keep a portable path beside.
#if defined(__AVX2__) && defined(__FMA__)
#define LOGP_HAVE_AVX2_FMA 1
#include <immintrin.h>

namespace logp::fast {

// sigmoid(x) = 1 / (1 + exp(-x)), elementwise.
// Relative error below 4e-7 for |x| <= 87 (below 2.6e-7 for |x| <= 16) and absolute error below
// 1e-7 everywhere; x is clamped to [-87, 87], so the result is below 1.7e-38 under that range
// and exactly 1 above about 17. NaN propagates.
// exp(-x) = 2^n e^(-s) with n = round(-x / ln 2), s = x + n ln 2 (one float constant: its
// rounding adds at most 1.9e-9 |n| to the relative error) and e^(-s) a degree-5 minimax
// polynomial on |s| <= ln(2)/2 (relative error 7.5e-8). 15 instructions, one of them a
// division (a reciprocal estimate plus a Newton step costs as much here and is less exact).
inline __m256 sigmoid(__m256 x) {
  // max(lo, x) and min(hi, x) return x when x is NaN (the second operand).
  x = _mm256_min_ps(_mm256_set1_ps(87.0f), _mm256_max_ps(_mm256_set1_ps(-87.0f), x));
  // t = -x log2(e) + (1.5 2^23 + 127) rounds -x log2(e) to the integer n in the low mantissa
  // bits, with the exponent bias already added: (bits of t) << 23 is the float 2^n.
  const __m256 magic = _mm256_set1_ps(12582912.0f + 127.0f);
  const __m256 t = _mm256_fmadd_ps(x, _mm256_set1_ps(-1.44269504088896341f), magic);
  const __m256 n = _mm256_sub_ps(t, magic);
  const __m256 s = _mm256_fmadd_ps(n, _mm256_set1_ps(0.693147180559945309f), x);
  __m256 p = _mm256_set1_ps(-0.00829765519827f);
  p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(0.0419153819779f));
  p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(-0.166675747267f));
  p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(0.499988948515f));
  p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(-0.999999691992f));
  p = _mm256_fmadd_ps(p, s, _mm256_set1_ps(1.00000007165f));  // e^(-s)
  const __m256 scale = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(t), 23));  // 2^n
  const __m256 one = _mm256_set1_ps(1.0f);
  return _mm256_div_ps(one, _mm256_fmadd_ps(p, scale, one));  // 1 / (1 + exp(-x))
}


// The Bernoulli terms of 4 logits l in double: softplus(l) = log(1 + e^l) and sigmoid(l)
// = 1 / (1 + e^-l). Both come from e = exp(-|l|) in (0, 1]: softplus = max(l, 0) + log(1 + e),
// sigmoid = 1 / (1 + e) or e / (1 + e). Absolute error below 1e-15 for softplus (relative below
// 1e-15 where it exceeds 1), relative error below 1e-15 for sigmoid; |l| is clamped at 700 inside
// exp (e^-700 is 1e-304), NaN propagates.
// exp: n = round(-|l| / ln 2), r = -|l| - n ln 2 (two constants), e^r a degree-10 minimax
// polynomial (relative error 2e-16). log(1 + e): u = 1 + e in (1, 2] is halved above sqrt(2),
// then log(m) = 2 atanh(z), z = (m - 1) / (m + 1), |z| < 0.172, nine terms of its series.
inline void softplus_sigmoid(__m256d l, __m256d& softplus, __m256d& sigmoid) {
  const __m256d one = _mm256_set1_pd(1.0);
  const __m256d sign = _mm256_set1_pd(-0.0);
  const __m256d y = _mm256_max_pd(_mm256_set1_pd(-700.0), _mm256_or_pd(l, sign));  // -|l|, NaN kept
  // t = y log2(e) + (1.5 2^52 + 1023): n + 1023 in the low mantissa bits, so that
  // (bits of t) << 52 is the double 2^n.
  const __m256d magic = _mm256_set1_pd(6755399441055744.0 + 1023.0);
  const __m256d t = _mm256_fmadd_pd(y, _mm256_set1_pd(1.4426950408889634074), magic);
  const __m256d n = _mm256_sub_pd(t, magic);
  __m256d r = _mm256_fnmadd_pd(n, _mm256_set1_pd(0.693147180369123816490), y);  // ln 2, high bits
  r = _mm256_fnmadd_pd(n, _mm256_set1_pd(1.90821492927058770002e-10), r);        // ln 2, the rest
  __m256d p = _mm256_set1_pd(2.7488443522901970846e-7);
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(2.7639768251354326759e-6));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.000024801917687877068878));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.00019841171384225595205));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.0013888888499138289863));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.0083333333846657943609));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.041666666668426017158));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.1666666666655774122));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(0.49999999999997287011));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0000000000000064426));
  p = _mm256_fmadd_pd(p, r, _mm256_set1_pd(1.0000000000000000661));  // e^r
  const __m256d e = _mm256_mul_pd(p, _mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(t), 52)));
  const __m256d u = _mm256_add_pd(one, e);  // (1, 2]
  const __m256d inv = _mm256_div_pd(one, u);
  // l >= 0: 1 / (1 + e); l < 0: e / (1 + e) (the sign bit of l picks).
  sigmoid = _mm256_blendv_pd(inv, _mm256_mul_pd(e, inv), l);
  const __m256d big = _mm256_cmp_pd(u, _mm256_set1_pd(1.41421356237309504880), _CMP_GT_OQ);
  const __m256d m = _mm256_blendv_pd(u, _mm256_mul_pd(u, _mm256_set1_pd(0.5)), big);  // [0.707, 1.414]
  const __m256d z = _mm256_div_pd(_mm256_sub_pd(m, one), _mm256_add_pd(m, one));
  const __m256d w = _mm256_mul_pd(z, z);
  __m256d q = _mm256_set1_pd(2.0 / 17);  // 2 atanh(z) = z (2 + 2w/3 + 2w^2/5 + ... + 2w^8/17)
  q = _mm256_fmadd_pd(q, w, _mm256_set1_pd(2.0 / 15));
  q = _mm256_fmadd_pd(q, w, _mm256_set1_pd(2.0 / 13));
  q = _mm256_fmadd_pd(q, w, _mm256_set1_pd(2.0 / 11));
  q = _mm256_fmadd_pd(q, w, _mm256_set1_pd(2.0 / 9));
  q = _mm256_fmadd_pd(q, w, _mm256_set1_pd(2.0 / 7));
  q = _mm256_fmadd_pd(q, w, _mm256_set1_pd(2.0 / 5));
  q = _mm256_fmadd_pd(q, w, _mm256_set1_pd(2.0 / 3));
  q = _mm256_fmadd_pd(q, w, _mm256_set1_pd(2.0));
  const __m256d log_u = _mm256_fmadd_pd(z, q, _mm256_and_pd(big, _mm256_set1_pd(0.69314718055994530942)));
  softplus = _mm256_add_pd(_mm256_max_pd(_mm256_setzero_pd(), l), log_u);
}

}  // namespace logp::fast

#endif
