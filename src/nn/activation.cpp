#include "logp/nn/activation.hpp"

#include "logp/core/error.hpp"

namespace logp {

Activation parse_activation(const std::string& text) {
  if (text == "relu") return Activation::relu;
  if (text == "tanh") return Activation::tanh;
  if (text == "sigmoid") return Activation::sigmoid;
  if (text == "softplus") return Activation::softplus;
  if (text == "leaky_relu") return Activation::leaky_relu;
  if (text == "identity") return Activation::identity;
  throw Error("unknown activation '" + text + "' (expected relu, tanh, sigmoid, softplus, leaky_relu or identity)");
}

std::string activation_name(Activation a) {
  switch (a) {
    case Activation::relu: return "relu";
    case Activation::tanh: return "tanh";
    case Activation::sigmoid: return "sigmoid";
    case Activation::softplus: return "softplus";
    case Activation::leaky_relu: return "leaky_relu";
    case Activation::identity: return "identity";
  }
  return "?";
}

}  // namespace logp
