#include "logp/models/nade/nade_options.hpp"

namespace logp {

void declare_activation_option(OptionList& options, Activation& activation) {
  options.add_activation(activation, {Activation::sigmoid, Activation::relu});
}

void declare_ordering_options(OptionList& options, std::string& ordering, std::uint64_t& seed) {
  options.add("ordering", "order of the dimensions: raster | random | i,j,k,... | @FILE", ordering);
  options.add("ordering-seed", "seed of --ordering random", seed);
}

}  // namespace logp
