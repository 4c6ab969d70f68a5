// NADE's hand-derived gradient (NadeModel::objective_and_grad, nade_kernel) against the same
// log-likelihood built from tape ops (docs/architecture.md: "the hand-derived NADE gradient is
// checked against the tape too").
#include <catch2/catch.hpp>

#include "logp/autodiff/ops.hpp"
#include "logp/models/nade/nade.hpp"
#include "support/binary_data.hpp"
#include "support/orderings.hpp"

using namespace logp;

namespace {

// -sum_j log p(x_j) of NADE on the tape, from parameter nodes W, V [H,D], b [D,1], c [H,1]:
//   a_0 = c;  h_k = act(a_k);  logit_k = b[o_k] + V[:, o_k]^T h_k;  a_{k+1} = a_k + W[:, o_k] x_{o_k}.
template <class T>
ad::BasicVar<T> nade_nll_on_tape(ad::BasicTape<T>& tape, ad::BasicVar<T> W, ad::BasicVar<T> V, ad::BasicVar<T> b,
                                 ad::BasicVar<T> c, const std::vector<Index>& order, Activation activation,
                                 const ad::MatrixOf<T>& x) {
  const Index batch = x.cols();
  ad::BasicVar<T> a = ad::tile_columns(c, batch);  // [H,B]
  ad::BasicVar<T> log_prob;                        // [1,B]
  for (std::size_t k = 0; k < order.size(); ++k) {
    const Index d = order[k];
    const ad::BasicVar<T> h = activation == Activation::sigmoid ? ad::sigmoid(a) : ad::relu(a);
    const ad::BasicVar<T> logit = ad::add(ad::matmul(ad::transpose(ad::slice_cols(V, d, 1)), h),  // [1,H] x [H,B]
                                          ad::tile_columns(ad::slice_rows(b, d, 1), batch));
    const ad::BasicVar<T> x_d = tape.constant(x.row(d));  // [1,B]
    const ad::BasicVar<T> term = ad::bernoulli_log_prob(logit, x_d);
    log_prob = k == 0 ? term : ad::add(log_prob, term);
    a = ad::add(a, ad::matmul(ad::slice_cols(W, d, 1), x_d));  // [H,1] x [1,B]
  }
  return ad::scale(ad::sum(log_prob), -1.0);
}

}  // namespace

TEST_CASE("nade: NadeModel::objective_and_grad matches the same NADE built on the tape", "[autodiff][nade]") {
  const Index dim = 6, hidden = 4, n = 5;
  const Matrix x = testing::random_discrete(dim, n, 2, 31);
  for (const Activation activation : {Activation::sigmoid, Activation::relu}) {
    INFO("activation " << (activation == Activation::sigmoid ? "sigmoid" : "relu"));
    NadeOptions options;
    options.hidden = hidden;
    options.activation = activation;
    options.ordering = "random";
    options.ordering_seed = 7;
    NadeModel model(testing::discrete_spec(dim, 2), options);
    Rng rng(3);
    model.initialize(rng);
    // Nonzero biases, so that their gradients are exercised too.
    std::span<float> theta = model.parameters().values();
    for (float& t : theta) t += 0.3f * static_cast<float>(rng.normal());

    std::vector<float> hand(theta.size(), 0.0f);
    const double hand_nll = model.objective_and_grad(x, rng, hand);

    // The tape in double, from the model's float parameters.
    const ParameterStore& params = model.parameters();
    const Eigen::VectorXd theta_d = Eigen::Map<const VectorF>(theta.data(), theta.size()).cast<double>();
    Eigen::VectorXd tape_grad = Eigen::VectorXd::Zero(theta_d.size());
    ad::BasicTape<double> tape;
    const auto param = [&](std::size_t block) {
      const ParameterBlock& bl = params.block(block);
      return tape.parameter(Eigen::Map<const MatrixD>(theta_d.data() + bl.offset, bl.rows, bl.cols),
                            Eigen::Map<MatrixD>(tape_grad.data() + bl.offset, bl.rows, bl.cols));
    };
    REQUIRE(params.blocks().size() == 4);  // W, V, b, c in NadeModel's order
    const ad::BasicVar<double> W = param(0), V = param(1), b = param(2), c = param(3);
    const ad::BasicVar<double> loss =
        nade_nll_on_tape(tape, W, V, b, c, model.ordering(), activation, MatrixD(x.cast<double>()));
    tape.backward(loss);

    CHECK(loss.value()(0, 0) == Approx(hand_nll).epsilon(1e-5));
    const Eigen::VectorXd hand_d = Eigen::Map<const VectorF>(hand.data(), hand.size()).cast<double>();
    const double scale = std::max(1.0, tape_grad.cwiseAbs().maxCoeff());
    Index worst = 0;
    const double error = (hand_d - tape_grad).cwiseAbs().maxCoeff(&worst);
    INFO("worst entry " << worst << ": hand " << hand_d(worst) << ", tape " << tape_grad(worst));
    CHECK(error < 1e-4 * scale);  // the hand-derived gradient is computed in float
  }
}
