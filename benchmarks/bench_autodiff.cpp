// The tape's overhead: one training step (forward + backward) of a relu MLP D-H-H-D with a
// Bernoulli loss from logits, on the tape and hand-written with the same Eigen products; and,
// for the op mix of a conv encoder, one conv2d step.
//
//   bench_autodiff [batch=100] [hidden=500] [repeats=20]
// Prints the best-of-`repeats` seconds per step for each and the tape / hand ratio. Single
// thread (Eigen single-threaded, as inside one TBB shard). D = 784.
#include <cstdio>
#include <string>

#include "bench_timer.hpp"
#include "logp/autodiff/ops.hpp"
#include "logp/core/rng.hpp"
#include "logp/nn/conv_stack.hpp"
#include "logp/nn/mlp.hpp"

using namespace logp;

int main(int argc, char** argv) {
  const Index batch = argc > 1 ? std::stol(argv[1]) : 100;
  const Index hidden = argc > 2 ? std::stol(argv[2]) : 500;
  const int repeats = argc > 3 ? std::stoi(argv[3]) : 20;
  const Index dim = 784;
  Rng rng(1);
  Matrix x(dim, batch);
  for (Index k = 0; k < x.size(); ++k) x(k) = rng.uniform() < 0.3 ? 1.0f : 0.0f;

  ParameterStore params;
  const nn::Mlp mlp = nn::Mlp::add_to(params, "mlp", {dim, hidden, hidden, dim}, nn::Activation::relu);
  mlp.initialize(params, rng);
  std::vector<float> grad(static_cast<std::size_t>(params.size()), 0.0f);

  ad::Tape tape;
  double tape_loss = 0.0;
  const double tape_s = bench::best_seconds(repeats, [&] {
    tape.clear();
    const ad::Var in = tape.constant(x);
    const ad::Var logits = mlp.forward(tape, in, params, grad);
    const ad::Var loss = ad::scale(ad::sum(ad::bernoulli_log_prob(logits, in)), -1.0f);
    tape.backward(loss);
    tape_loss = loss.value()(0, 0);
  });

  // The same step by hand: preallocated activations and gradients, the same GEMMs.
  const ParameterStore& cp = params;
  const Eigen::Map<const Matrix> W0 = cp.matrix(mlp.layers[0].weight), W1 = cp.matrix(mlp.layers[1].weight),
                                 W2 = cp.matrix(mlp.layers[2].weight);
  const Eigen::Map<const Matrix> b0 = cp.matrix(mlp.layers[0].bias), b1 = cp.matrix(mlp.layers[1].bias),
                                 b2 = cp.matrix(mlp.layers[2].bias);
  Matrix a0(hidden, batch), h0(hidden, batch), a1(hidden, batch), h1(hidden, batch), l(dim, batch), g(dim, batch);
  Matrix gW0(hidden, dim), gW1(hidden, hidden), gW2(dim, hidden), gh(hidden, batch), gh1(hidden, batch);
  VectorF gb0(hidden), gb1(hidden), gb2(dim);
  double hand_loss = 0.0;
  const double hand_s = bench::best_seconds(repeats, [&] {
    a0.noalias() = W0 * x;
    a0.colwise() += b0.col(0);
    h0 = a0.cwiseMax(0.0f);
    a1.noalias() = W1 * h0;
    a1.colwise() += b1.col(0);
    h1 = a1.cwiseMax(0.0f);
    l.noalias() = W2 * h1;
    l.colwise() += b2.col(0);
    hand_loss = -(x.array() * l.array() - l.array().max(0.0f) - (-l.array().abs()).exp().log1p()).sum();
    g = l.array().logistic() - x.array();  // d loss / d logits
    gW2.noalias() += g * h1.transpose();
    gb2 += g.rowwise().sum();
    gh1.noalias() = W2.transpose() * g;
    gh1 = (a1.array() > 0.0f).select(gh1, 0.0f);
    gW1.noalias() += gh1 * h0.transpose();
    gb1 += gh1.rowwise().sum();
    gh.noalias() = W1.transpose() * gh1;
    gh = (a0.array() > 0.0f).select(gh, 0.0f);
    gW0.noalias() += gh * x.transpose();
    gb0 += gh.rowwise().sum();
  });
  std::printf("mlp %ld-%ld-%ld-%ld relu, batch %ld: tape %.3f ms/step, hand %.3f ms/step, tape/hand %.3f "
              "(losses %.3f / %.3f nats)\n",
              long(dim), long(hidden), long(hidden), long(dim), long(batch), 1e3 * tape_s, 1e3 * hand_s, tape_s / hand_s,
              tape_loss, hand_loss);

  // A conv encoder step: 28x28x1 -> 14x14x32 -> 7x7x64 (stride 2, padding 1, relu), sum loss.
  ParameterStore conv_params;
  const nn::ConvStack conv = nn::ConvStack::add_to(conv_params, "enc", 28, 28, 1,
                                                   {{32, 3, 2, 1, false, 0}, {64, 3, 2, 1, false, 0}},
                                                   nn::Activation::relu);
  conv.initialize(conv_params, rng);
  std::vector<float> conv_grad(static_cast<std::size_t>(conv_params.size()), 0.0f);
  const double conv_s = bench::best_seconds(repeats, [&] {
    tape.clear();
    const ad::Var out = conv.forward(tape, tape.constant(x), conv_params, conv_grad);
    tape.backward(ad::sum(ad::relu(out)));
  });
  std::printf("conv 28x28x1 -> 14x14x32 -> 7x7x64 (k3 s2 p1), batch %ld: %.3f ms/step (forward + backward)\n",
              long(batch), 1e3 * conv_s);
  return 0;
}
