#include "logp/models/features/feature_network.hpp"
#include "logp/models/option_list.hpp"

namespace logp {

OptionList feature_network_option_list(FeatureNetworkOptions& options) {
  OptionList list;
  list.add("channels1", "channels of the first 3x3 stride-2 convolution", options.channels1, Range::positive);
  list.add("channels2", "channels of the second 3x3 stride-2 convolution", options.channels2, Range::positive);
  list.add("features", "width F of the penultimate layer: the feature space", options.features, Range::positive);
  list.add("epochs", "passes over the train split", options.epochs, Range::positive);
  list.add("batch-size", "examples per Adam step", options.batch_size, Range::positive);
  list.add("shard-size", "examples per parallel task (fixes the summation order: any thread count gives the same network)",
           options.shard_size, Range::positive);
  list.add("learning-rate", "Adam step size", options.learning_rate, Range::positive);
  list.add("seed", "initialization and shuffling seed", options.seed);
  return list;
}

}  // namespace logp
