// The tape itself: leaves, accumulation into parameter buffers, storage reuse.
#include <catch2/catch.hpp>

#include "logp/autodiff/ops.hpp"

using namespace logp;

TEST_CASE("tape: parameters accumulate, inputs are readable, constants get nothing", "[autodiff]") {
  Matrix w(2, 2), g = Matrix::Constant(2, 2, 10.0f);
  w << 1, 2, 3, 4;
  ad::Tape tape;
  const ad::Var wv = tape.parameter(Eigen::Map<const Matrix>(w.data(), 2, 2), Eigen::Map<Matrix>(g.data(), 2, 2));
  const ad::Var x = tape.input(Matrix::Ones(2, 1));
  const ad::Var c = tape.constant(Matrix::Ones(2, 1));
  const ad::Var loss = ad::sum(ad::add(ad::matmul(wv, x), c));  // sum_i (W 1)_i + 2
  CHECK(loss.value()(0, 0) == 12.0f);
  tape.backward(loss);
  // d/dW = 1 1^T added to the prefill 10; d/dx = W^T 1 = (4, 6).
  CHECK(g == Matrix::Constant(2, 2, 11.0f));
  CHECK(tape.grad(x)(0, 0) == 4.0f);
  CHECK(tape.grad(x)(1, 0) == 6.0f);
  CHECK_THROWS_WITH(tape.grad(c), Catch::Contains("no backward() pass reached"));
  tape.backward(loss);
  CHECK(g == Matrix::Constant(2, 2, 12.0f));
}

TEST_CASE("tape: a node no gradient reaches reads zero, clear() reuses storage", "[autodiff]") {
  ad::Tape tape;
  const ad::Var x = tape.input(Matrix::Ones(3, 2));
  const ad::Var unused = tape.input(Matrix::Ones(3, 2));
  ad::Var loss = ad::sum(ad::square(x));
  tape.backward(loss);
  CHECK(tape.grad(unused).isZero());
  CHECK(tape.grad(x) == Matrix::Constant(3, 2, 2.0f));
  const float* storage = tape.value(loss).data();
  tape.clear();
  CHECK(tape.size() == 0);
  const ad::Var x2 = tape.input(Matrix::Ones(3, 2));
  tape.input(Matrix::Ones(3, 2));
  loss = ad::sum(ad::square(x2));
  CHECK(tape.value(loss).data() == storage);  // the same node, the same buffer
  CHECK_THROWS_WITH(tape.backward(ad::Var{&tape, 7}), Catch::Contains("cleared"));
}

TEST_CASE("tape: a loss that depends on no input gives zero gradients", "[autodiff]") {
  ad::Tape tape;
  const ad::Var x = tape.input(Matrix::Ones(2, 2));
  const ad::Var loss = ad::sum(tape.constant(Matrix::Ones(2, 2)));
  tape.backward(loss);
  CHECK(tape.grad(x).isZero());
}
