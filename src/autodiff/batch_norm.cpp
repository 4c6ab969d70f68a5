// Batch normalization (include/logp/autodiff/batch_norm.hpp).
//
// x [P*C, N] is, in memory, a [C, P*N] matrix whose row c holds every entry of channel c, so
// the per-channel statistics are row reductions of that view.
#include "logp/autodiff/batch_norm.hpp"

#include "op_support.hpp"

namespace logp::ad {

namespace {

using detail::shape_text;

template <class T>
using ConstMapT = Eigen::Map<const MatrixOf<T>>;
template <class T>
using MapT = Eigen::Map<MatrixOf<T>>;
template <class T>
using Column = Eigen::Array<T, Eigen::Dynamic, 1>;

// The per-channel broadcasts below run column by column (a column is the C channels of one
// position): Eigen 3.4 evaluates `matrix.colwise() op vector` one scalar at a time, a column
// loop of vector ops is vectorized. The same operations on each entry either way.

// y = gamma xhat + beta with xhat = (x - mu) inv_std (saved: xhat [C, P*N], saved2: inv_std [C,1],
// state: BatchNormMode).
// d gamma = sum g xhat, d beta = sum g, per channel. Training (mu, inv_std from the batch, n = P*N):
// dx = inv_std / n (n dxh - sum dxh - xhat sum(dxh xhat)) with dxh = g gamma. Eval: dx = dxh inv_std.
template <class T>
void batch_norm_backward(BasicTape<T>& tape, BasicNode<T>& n) {
  const int x_id = n.inputs[0], gamma_id = n.inputs[1], beta_id = n.inputs[2];
  const Index channels = n.saved.rows(), count = n.saved.cols();
  const ConstMapT<T> g(n.grad.data(), channels, count);
  const MatrixOf<T>& xhat = n.saved;
  if (tape.needs_grad(gamma_id)) tape.add_grad(gamma_id, g.cwiseProduct(xhat).rowwise().sum());
  if (tape.needs_grad(beta_id)) tape.add_grad(beta_id, g.rowwise().sum());
  if (!tape.needs_grad(x_id)) return;
  const Column<T> gamma = tape.node(gamma_id).value.col(0).array();
  const Column<T> inv_std = n.saved2.col(0).array();
  MapT<T> gx(tape.grad_accumulator(x_id).data(), channels, count);
  const bool training = std::get<BatchNormMode>(n.state).training;
  const Column<T> scale = gamma * inv_std;
  if (!training) {
    for (Index j = 0; j < count; ++j) gx.col(j).array() += g.col(j).array() * scale;
    return;
  }
  const Column<T> sum_g = g.rowwise().sum().array();
  const Column<T> sum_g_xhat = g.cwiseProduct(xhat).rowwise().sum().array();
  const T inv_count = T(1) / static_cast<T>(count);
  // dx = gamma inv_std (g - (sum g + xhat sum(g xhat)) / n)
  for (Index j = 0; j < count; ++j)
    gx.col(j).array() += (g.col(j).array() - (xhat.col(j).array() * sum_g_xhat + sum_g) * inv_count) * scale;
}

}  // namespace

template <class T>
BasicVar<T> batch_norm(BasicVar<T> x, BasicVar<T> gamma, BasicVar<T> beta, BasicBatchNormState<T>& state,
                       bool training) {
  detail::require_same_tape("batch_norm", x, gamma);
  detail::require_same_tape("batch_norm", x, beta);
  const Index channels = state.channels();
  require(channels > 0 && x.rows() % channels == 0,
          "autodiff batch_norm: input " + shape_text(x) + " is not a whole number of " + std::to_string(channels) +
              "-channel positions");
  require(gamma.rows() == channels && gamma.cols() == 1 && beta.rows() == channels && beta.cols() == 1,
          "autodiff batch_norm: gamma " + shape_text(gamma) + " and beta " + shape_text(beta) + " must be " +
              std::to_string(channels) + "x1");
  const Index count = x.rows() / channels * x.cols();  // entries per channel
  require(!training || count >= 2, "autodiff batch_norm: training needs at least 2 entries per channel, input is " +
                                       shape_text(x));
  BasicTape<T>& tape = *x.tape;
  const BasicVar<T> out = tape.push(&batch_norm_backward<T>, {x, gamma, beta});
  BasicNode<T>& n = tape.node(out);
  n.state = BatchNormMode{training};
  const ConstMapT<T> xs(x.value().data(), channels, count);
  Eigen::Matrix<T, Eigen::Dynamic, 1> mu;
  const auto center = [&] {  // saved = x - mu
    n.saved.resize(channels, count);
    for (Index j = 0; j < count; ++j) n.saved.col(j) = xs.col(j) - mu;
  };
  if (training) {
    mu = xs.rowwise().mean();
    center();
    const Eigen::Matrix<T, Eigen::Dynamic, 1> variance = n.saved.rowwise().squaredNorm() / static_cast<T>(count);
    n.saved2 = (variance.array() + state.epsilon).rsqrt().matrix();
    BasicBatchNormState<T> batch(channels);
    batch.batch_count = static_cast<T>(count);
    batch.batch_mean = mu;
    batch.batch_m2 = variance * static_cast<T>(count);
    merge_batch_statistics(state, batch);
  } else {
    mu = state.running_mean;
    center();
    n.saved2 = (state.running_var.array() + state.epsilon).rsqrt().matrix();
  }
  n.value.resize(x.rows(), x.cols());
  MapT<T> y(n.value.data(), channels, count);
  const Column<T> inv_std = n.saved2.col(0).array(), g = gamma.value().col(0).array(), b = beta.value().col(0).array();
  for (Index j = 0; j < count; ++j) {
    n.saved.col(j).array() *= inv_std;                  // xhat [C, P*N]
    y.col(j).array() = n.saved.col(j).array() * g;  // gamma xhat, rounded, then + beta: one
    y.col(j).array() += b;                          // rounding each, never a fused multiply-add
  }
  return out;
}

template <class T>
void merge_batch_statistics(BasicBatchNormState<T>& into, const BasicBatchNormState<T>& from) {
  require(into.channels() == from.channels(), "batch_norm: merging statistics of " + std::to_string(from.channels()) +
                                                  " channels into " + std::to_string(into.channels()));
  if (from.batch_count == T(0)) return;
  if (into.batch_count == T(0)) {
    into.batch_count = from.batch_count;
    into.batch_mean = from.batch_mean;
    into.batch_m2 = from.batch_m2;
    return;
  }
  const T total = into.batch_count + from.batch_count;
  const Eigen::Matrix<T, Eigen::Dynamic, 1> delta = from.batch_mean - into.batch_mean;
  into.batch_m2 += from.batch_m2 + delta.cwiseProduct(delta) * (into.batch_count * from.batch_count / total);
  into.batch_mean += delta * (from.batch_count / total);
  into.batch_count = total;
}

template <class T>
void fold_batch_statistics(BasicBatchNormState<T>& state) {
  if (state.batch_count == T(0)) return;
  const T m = state.momentum;
  state.running_mean = (T(1) - m) * state.running_mean + m * state.batch_mean;
  if (state.batch_count > T(1))
    state.running_var = (T(1) - m) * state.running_var + m * state.batch_m2 / (state.batch_count - T(1));
  state.batch_count = 0;
  state.batch_mean.setZero();
  state.batch_m2.setZero();
}

#define LOGP_INSTANTIATE(T)                                                                               \
  template BasicVar<T> batch_norm(BasicVar<T>, BasicVar<T>, BasicVar<T>, BasicBatchNormState<T>&, bool); \
  template void merge_batch_statistics(BasicBatchNormState<T>&, const BasicBatchNormState<T>&);          \
  template void fold_batch_statistics(BasicBatchNormState<T>&);
LOGP_INSTANTIATE(float)
LOGP_INSTANTIATE(double)
#undef LOGP_INSTANTIATE

}  // namespace logp::ad
