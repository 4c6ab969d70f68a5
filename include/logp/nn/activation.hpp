#pragma once
// The elementwise activations of every network in logp (NADE's hidden layer, the VAE's and the
// autoencoder's dense stacks, the nn layers). A model that supports only some refuses the others
// when it is built, naming the activation.
#include <string>

namespace logp {

enum class Activation { relu, tanh, sigmoid, softplus, leaky_relu, identity };

// "relu" | "tanh" | "sigmoid" | "softplus" | "leaky_relu" | "identity"; refuses anything else.
Activation parse_activation(const std::string& text);
std::string activation_name(Activation a);

}  // namespace logp
