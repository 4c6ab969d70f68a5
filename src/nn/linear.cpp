// A fully connected layer (include/logp/nn/linear.hpp).
#include "logp/nn/linear.hpp"

#include "logp/autodiff/arithmetic.hpp"
#include "logp/nn/init.hpp"

namespace logp::nn {

Linear Linear::add_to(ParameterStore& store, const std::string& name, Index in, Index out) {
  require(in > 0 && out > 0, "Linear " + name + ": sizes must be positive, got in = " + std::to_string(in) +
                                 ", out = " + std::to_string(out));
  Linear layer;
  layer.in = in;
  layer.out = out;
  layer.weight = store.add(name + ".weight", out, in);
  layer.bias = store.add(name + ".bias", out, 1);
  return layer;
}

Var Linear::forward(Tape& tape, Var x, const ParameterStore& params, std::span<float> grad) const {
  require(x.rows() == in, "Linear: input has " + std::to_string(x.rows()) + " rows, the layer takes " +
                              std::to_string(in));
  require(static_cast<Index>(grad.size()) == params.size(),
          "Linear: gradient buffer has " + std::to_string(grad.size()) + " entries, the store " +
              std::to_string(params.size()));
  const ParameterBlock& w = params.block(weight);
  const ParameterBlock& b = params.block(bias);
  const Var w_var = tape.parameter(params.matrix(weight), w.in(grad));
  const Var b_var = tape.parameter(params.matrix(bias), b.in(grad));
  return ad::add_bias(ad::matmul(w_var, x), b_var);  // [out,in] x [in,N] + [out,1]
}

void Linear::initialize(ParameterStore& params, Rng& rng, bool relu_like) const {
  if (relu_like) {
    he_normal(params.matrix(weight), rng);
  } else {
    glorot_uniform(params.matrix(weight), rng);
  }
  params.matrix(bias).setZero();
}

}  // namespace logp::nn
