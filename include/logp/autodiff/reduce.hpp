#pragma once
// Reductions and normalizations of tape nodes, in log space where it matters.
#include "logp/autodiff/tape.hpp"

namespace logp::ad {

template <class T> BasicVar<T> sum(BasicVar<T> a);       // [M,N] -> [1,1], sum of all entries
template <class T> BasicVar<T> mean(BasicVar<T> a);      // [M,N] -> [1,1], mean of all entries
template <class T> BasicVar<T> sum_rows(BasicVar<T> a);  // [M,N] -> [1,N], sum over rows per column
// [M,N] -> [1,N]: log sum_i exp(a(i, j)) per column, shifted by the column max (stable);
// -inf for a column of -inf.
template <class T> BasicVar<T> log_sum_exp(BasicVar<T> a);
// [M,N] -> [M,N]: a(i, j) - log_sum_exp(a)(j), per column.
template <class T> BasicVar<T> log_softmax(BasicVar<T> a);
// [1,N*k] -> [1,N]: log (1/k) sum_{i<k} exp(a(j*k + i)), per group of k consecutive columns
// (the importance-weighted bound over k samples per example, with tile_columns).
template <class T> BasicVar<T> log_mean_exp_groups(BasicVar<T> a, Index k);

}  // namespace logp::ad
