#pragma once
// Stacking, slicing and repeating tape nodes.
#include <vector>

#include "logp/autodiff/tape.hpp"

namespace logp::ad {

// [M1,N], [M2,N], ... -> [M1+M2+...,N]: parts stacked top to bottom (all on one tape).
template <class T> BasicVar<T> concat_rows(const std::vector<BasicVar<T>>& parts);
// [M,N] -> [count,N]: rows begin .. begin+count-1.
template <class T> BasicVar<T> slice_rows(BasicVar<T> a, Index begin, Index count);
// [M,N] -> [M,count]: columns begin .. begin+count-1.
template <class T> BasicVar<T> slice_cols(BasicVar<T> a, Index begin, Index count);
// [M,N] -> [N,M].
template <class T> BasicVar<T> transpose(BasicVar<T> a);
// [M,N] -> [M,N*k]: columns j*k .. j*k+k-1 are copies of column j.
template <class T> BasicVar<T> tile_columns(BasicVar<T> a, Index k);

}  // namespace logp::ad
