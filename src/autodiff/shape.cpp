// Stacking, slicing and repeating (include/logp/autodiff/shape.hpp).
#include "logp/autodiff/shape.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

using detail::shape_text;

// Each part gets its block of rows of G.
template <class T>
void concat_rows_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  Index offset = 0;
  for (const int id : n.inputs) {
    const Index rows = tape.node(id).value.rows();
    tape.add_grad(id, n.grad.middleRows(offset, rows));
    offset += rows;
  }
}

// G goes into rows begin .. begin+count-1 (state: SliceBounds); the other rows get nothing.
template <class T>
void slice_rows_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const SliceBounds& rows = std::get<SliceBounds>(n.state);
  tape.grad_accumulator(n.inputs[0]).middleRows(rows.begin, rows.count) += n.grad;
}

template <class T>
void slice_cols_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const SliceBounds& cols = std::get<SliceBounds>(n.state);
  tape.grad_accumulator(n.inputs[0]).middleCols(cols.begin, cols.count) += n.grad;
}

template <class T>
void transpose_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  tape.add_grad(n.inputs[0], n.grad.transpose());
}

// Column j of the input gets the sum of its k copies' gradients (state: TileCopies).
template <class T>
void tile_columns_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const Index k = std::get<TileCopies>(n.state).copies;
  MatrixOf<T>& ga = tape.grad_accumulator(n.inputs[0]);
  for (Index j = 0; j < ga.cols(); ++j) ga.col(j) += n.grad.middleCols(j * k, k).rowwise().sum();
}

}  // namespace

template <class T>
BasicVar<T> concat_rows(const std::vector<BasicVar<T>>& parts) {
  if (parts.empty()) throw Error("autodiff concat_rows: no parts");
  BasicTape<T>& tape = *parts.front().tape;
  Index rows = 0;
  const Index cols = parts.front().cols();
  for (const BasicVar<T>& p : parts) {
    detail::require_same_tape("concat_rows", parts.front(), p);
    if (!(p.cols() == cols))
      throw Error("autodiff concat_rows: parts have " + std::to_string(cols) + " and " + std::to_string(p.cols()) +
                  " columns (" + shape_text(p) + ")");
    rows += p.rows();
  }
  const BasicVar<T> out = tape.push(&concat_rows_backward<T>, std::span<const BasicVar<T>>(parts));
  BasicNode<T>& n = tape.node(out);
  n.value.resize(rows, cols);
  Index offset = 0;
  for (const BasicVar<T>& p : parts) {
    n.value.middleRows(offset, p.rows()) = p.value();
    offset += p.rows();
  }
  return out;
}

template <class T>
BasicVar<T> slice_rows(BasicVar<T> a, Index begin, Index count) {
  if (!(begin >= 0 && count >= 0 && begin + count <= a.rows()))
    throw Error("autodiff slice_rows: rows " + std::to_string(begin) + " .. " + std::to_string(begin + count) +
                " are outside a " + shape_text(a) + " input");
  const BasicVar<T> out = a.tape->push(&slice_rows_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  n.state = SliceBounds{begin, count};
  n.value = a.value().middleRows(begin, count);
  return out;
}

template <class T>
BasicVar<T> slice_cols(BasicVar<T> a, Index begin, Index count) {
  if (!(begin >= 0 && count >= 0 && begin + count <= a.cols()))
    throw Error("autodiff slice_cols: columns " + std::to_string(begin) + " .. " + std::to_string(begin + count) +
                " are outside a " + shape_text(a) + " input");
  const BasicVar<T> out = a.tape->push(&slice_cols_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  n.state = SliceBounds{begin, count};
  n.value = a.value().middleCols(begin, count);
  return out;
}

template <class T>
BasicVar<T> transpose(BasicVar<T> a) {
  const BasicVar<T> out = a.tape->push(&transpose_backward<T>, {a});
  a.tape->node(out).value = a.value().transpose();
  return out;
}

template <class T>
BasicVar<T> tile_columns(BasicVar<T> a, Index k) {
  if (!(k >= 1)) throw Error("autodiff tile_columns: k must be >= 1, got " + std::to_string(k));
  const BasicVar<T> out = a.tape->push(&tile_columns_backward<T>, {a});
  BasicNode<T>& n = a.tape->node(out);
  n.state = TileCopies{k};
  const MatrixOf<T>& x = a.value();
  n.value.resize(x.rows(), x.cols() * k);
  for (Index j = 0; j < x.cols(); ++j) n.value.middleCols(j * k, k) = x.col(j).replicate(1, k);
  return out;
}

#define LOGP_INSTANTIATE(T)                                                   \
  template BasicVar<T> concat_rows(const std::vector<BasicVar<T>>&);          \
  template BasicVar<T> slice_rows(BasicVar<T>, Index, Index);                 \
  template BasicVar<T> slice_cols(BasicVar<T>, Index, Index);                 \
  template BasicVar<T> transpose(BasicVar<T>);                                \
  template BasicVar<T> tile_columns(BasicVar<T>, Index);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp::ad
