#pragma once
// The checker every autodiff op and every nn layer passes (docs/architecture.md, "Gradients").
//
// check_op(name, op, inputs): `op` is a generic callable, op(tape, vars) -> Var, run on a
// BasicTape<double> for the checks and on a float Tape for the float-vs-double comparison. The
// scalar loss is sum(op(...) .* R) for a fixed random R, so every output entry matters.
//  1. Poisoned analytic pass: the tape fills every gradient buffer with +inf before backward(),
//     so an entry an op never initialized shows as non-finite.
//  2. Accumulation: with the inputs as parameters whose gradient buffers hold a random G0,
//     two backward() passes must leave G0 + 2 g (adds, never overwrites).
//  3. Central differences in double: (L(x + h e) - L(x - h e)) / 2h for every input entry,
//     compared with |analytic - numeric| <= tolerance * max(1, |numeric|).
//  4. The same op in float gives the double value and gradient within float_tolerance.
//  5. clear() and rebuild reproduce the value exactly (storage reuse is clean).
// check_layer(...) does 1-3 (in float, with a double-accumulated loss) for a layer whose
// parameters live in a ParameterStore.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "logp/autodiff/ops.hpp"
#include "logp/core/rng.hpp"
#include "logp/core/types.hpp"
#include "logp/train/parameter_store.hpp"

namespace logp::testing {

using TapeD = ad::BasicTape<double>;
using VarD = ad::BasicVar<double>;

struct OpCheckOptions {
  double step = 1e-6;             // central-difference step (double)
  double tolerance = 1e-6;        // relative to max(1, |numeric|)
  double float_tolerance = 2e-3;  // float op vs double op, relative to max(1, |double|)
};

inline MatrixD random_matrix(Index rows, Index cols, Rng& rng, double scale = 1.0) {
  MatrixD m(rows, cols);
  for (Index j = 0; j < cols; ++j)
    for (Index i = 0; i < rows; ++i) m(i, j) = scale * rng.normal();
  return m;
}

namespace detail {

// Builds the op on `tape` with the inputs as leaves of `kind` and returns sum(out .* R).
template <class T, class Op>
ad::BasicVar<T> build_loss(ad::BasicTape<T>& tape, const Op& op, const std::vector<ad::MatrixOf<T>>& inputs,
                           const ad::MatrixOf<T>& projection, std::vector<ad::BasicVar<T>>& vars) {
  vars.clear();
  for (const ad::MatrixOf<T>& x : inputs) vars.push_back(tape.input(x));
  const ad::BasicVar<T> out = op(tape, vars);
  REQUIRE(out.rows() == projection.rows());
  REQUIRE(out.cols() == projection.cols());
  return ad::sum(ad::mul(out, tape.constant(projection)));
}

inline double relative_error(double analytic, double numeric) {
  return std::abs(analytic - numeric) / std::max(1.0, std::abs(numeric));
}

}  // namespace detail

template <class Op>
void check_op(const std::string& name, const Op& op, const std::vector<MatrixD>& inputs,
              const OpCheckOptions& options = {}) {
  INFO("op check: " << name);
  Rng rng(20260523);
  std::vector<VarD> vars;

  // The output's shape, then the fixed projection R.
  MatrixD projection;
  {
    TapeD probe;
    for (const MatrixD& x : inputs) vars.push_back(probe.input(x));
    const VarD out = op(probe, vars);
    projection = random_matrix(out.rows(), out.cols(), rng);
  }

  // 1. Poisoned analytic gradients, and 5. rebuild after clear().
  TapeD tape;
  tape.set_poison_gradients(true);
  VarD loss = detail::build_loss(tape, op, inputs, projection, vars);
  const double loss_value = loss.value()(0, 0);
  tape.clear();
  loss = detail::build_loss(tape, op, inputs, projection, vars);
  CHECK(loss.value()(0, 0) == loss_value);
  tape.backward(loss);
  std::vector<MatrixD> analytic;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    INFO("input " << i);
    analytic.push_back(tape.grad(vars[i]));
    CHECK(analytic.back().allFinite());
  }

  // 2. Accumulation into parameter gradient buffers.
  {
    TapeD ptape;
    std::vector<MatrixD> values = inputs, buffers, prefill;
    std::vector<VarD> pvars;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      prefill.push_back(random_matrix(inputs[i].rows(), inputs[i].cols(), rng));
      buffers.push_back(prefill.back());
    }
    for (std::size_t i = 0; i < inputs.size(); ++i)
      pvars.push_back(ptape.parameter(Eigen::Map<const MatrixD>(values[i].data(), values[i].rows(), values[i].cols()),
                                      Eigen::Map<MatrixD>(buffers[i].data(), buffers[i].rows(), buffers[i].cols())));
    const VarD ploss = ad::sum(ad::mul(op(ptape, pvars), ptape.constant(projection)));
    ptape.backward(ploss);
    ptape.backward(ploss);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      INFO("accumulation, input " << i);
      const MatrixD expected = prefill[i] + 2.0 * analytic[i];
      CHECK((buffers[i] - expected).cwiseAbs().maxCoeff() <= 1e-9 * std::max(1.0, expected.cwiseAbs().maxCoeff()));
    }
  }

  // 3. Central differences in double.
  std::vector<MatrixD> shifted = inputs;
  TapeD fd_tape;
  std::vector<VarD> fd_vars;
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    double worst = 0.0;
    Index worst_entry = -1;
    double worst_analytic = 0.0, worst_numeric = 0.0;
    for (Index k = 0; k < inputs[i].size(); ++k) {
      const double saved = shifted[i](k);
      shifted[i](k) = saved + options.step;
      fd_tape.clear();
      const double up = detail::build_loss(fd_tape, op, shifted, projection, fd_vars).value()(0, 0);
      shifted[i](k) = saved - options.step;
      fd_tape.clear();
      const double down = detail::build_loss(fd_tape, op, shifted, projection, fd_vars).value()(0, 0);
      shifted[i](k) = saved;
      const double numeric = (up - down) / (2.0 * options.step);
      const double error = detail::relative_error(analytic[i](k), numeric);
      if (error > worst || worst_entry < 0) {
        worst = error;
        worst_entry = k;
        worst_analytic = analytic[i](k);
        worst_numeric = numeric;
      }
    }
    INFO("input " << i << ", worst entry " << worst_entry << ": analytic " << worst_analytic << ", numeric "
                  << worst_numeric);
    CHECK(worst <= options.tolerance);
  }

  // 4. The float instantiation agrees with the double one.
  {
    ad::Tape ftape;
    std::vector<Matrix> finputs;
    for (const MatrixD& x : inputs) finputs.push_back(x.cast<float>());
    std::vector<ad::Var> fvars;
    const ad::Var floss = detail::build_loss(ftape, op, finputs, Matrix(projection.cast<float>()), fvars);
    INFO("float vs double: loss " << floss.value()(0, 0) << " vs " << loss_value);
    CHECK(detail::relative_error(floss.value()(0, 0), loss_value) <= options.float_tolerance);
    ftape.backward(floss);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const MatrixD fgrad = ftape.grad(fvars[i]).cast<double>();
      const double scale = std::max(1.0, analytic[i].cwiseAbs().maxCoeff());
      INFO("float vs double gradient, input " << i);
      CHECK((fgrad - analytic[i]).cwiseAbs().maxCoeff() <= options.float_tolerance * scale);
    }
  }
}

// A layer under test: builds its output from input x on the tape, its parameters read from
// `params` and their gradients added into `grad`.
using LayerBuilder = std::function<ad::Var(ad::Tape& tape, ad::Var x, const ParameterStore& params, std::span<float> grad)>;

struct LayerCheckOptions {
  double step = 1e-3;        // central-difference step in float parameters
  double tolerance = 1e-2;   // relative to max(1, |numeric|)
};

// Checks d sum(layer(x) .* R) / d (parameters, x) in float against central differences of a
// double-accumulated loss, with +inf poison and accumulation as in check_op.
inline void check_layer(const std::string& name, ParameterStore& params, const LayerBuilder& layer, const Matrix& x,
                        const LayerCheckOptions& options = {}) {
  INFO("layer check: " << name);
  Rng rng(99);
  ad::Tape tape;
  std::vector<float> dummy(static_cast<std::size_t>(params.size()));
  MatrixD projection;
  {
    const ad::Var out = layer(tape, tape.input(x), params, dummy);
    projection = random_matrix(out.rows(), out.cols(), rng);
  }
  const auto loss_of = [&](const Matrix& input) {
    tape.clear();
    const ad::Var out = layer(tape, tape.input(input), params, dummy);
    return (out.value().cast<double>().array() * projection.array()).sum();
  };

  // Analytic, poisoned, twice into a prefilled buffer.
  std::vector<float> prefill(static_cast<std::size_t>(params.size()));
  for (float& g : prefill) g = static_cast<float>(rng.normal());
  std::vector<float> grad = prefill;
  tape.clear();
  tape.set_poison_gradients(true);
  const ad::Var xin = tape.input(x);
  const ad::Var out = layer(tape, xin, params, grad);
  const ad::Var loss = ad::sum(ad::mul(out, tape.constant(Matrix(projection.cast<float>()))));
  tape.backward(loss);
  const Matrix grad_x = tape.grad(xin);
  CHECK(grad_x.allFinite());
  tape.backward(loss);
  tape.set_poison_gradients(false);
  std::vector<double> analytic(grad.size());
  for (std::size_t k = 0; k < grad.size(); ++k) {
    CHECK(std::isfinite(grad[k]));
    analytic[k] = (static_cast<double>(grad[k]) - prefill[k]) / 2.0;
  }

  // The parameters.
  std::span<float> theta = params.values();
  double worst = 0.0;
  std::size_t worst_k = 0;
  for (std::size_t k = 0; k < theta.size(); ++k) {
    const float saved = theta[k];
    theta[k] = saved + static_cast<float>(options.step);
    const double up = loss_of(x);
    theta[k] = saved - static_cast<float>(options.step);
    const double down = loss_of(x);
    theta[k] = saved;
    const double numeric = (up - down) / (2.0 * options.step);
    const double error = detail::relative_error(analytic[k], numeric);
    if (error > worst) {
      worst = error;
      worst_k = k;
    }
  }
  INFO("worst parameter entry " << worst_k << " analytic " << analytic[worst_k]);
  CHECK(worst <= options.tolerance);

  // The input.
  Matrix shifted = x;
  double worst_x = 0.0;
  for (Index k = 0; k < x.size(); ++k) {
    shifted(k) = x(k) + static_cast<float>(options.step);
    const double up = loss_of(shifted);
    shifted(k) = x(k) - static_cast<float>(options.step);
    const double down = loss_of(shifted);
    shifted(k) = x(k);
    worst_x = std::max(worst_x, detail::relative_error(grad_x(k), (up - down) / (2.0 * options.step)));
  }
  CHECK(worst_x <= options.tolerance);
}

}  // namespace logp::testing
