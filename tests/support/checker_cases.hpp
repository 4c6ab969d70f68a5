#pragma once
// How to fit a tiny instance of every registered model type (support/model_checker.hpp), shared by
// the model checker and the crafted-model-file tests, so a new type is covered by both.
#include <string>
#include <utility>
#include <vector>

#include "support/model_checker.hpp"

namespace logp::testing {

inline std::vector<std::pair<std::string, std::string>> with_training(
    std::vector<std::pair<std::string, std::string>> options) {
  options.insert(options.end(), {{"epochs", "2"}, {"batch-size", "20"}, {"shard-size", "5"}});
  return options;
}

inline const std::vector<CheckerCase>& checker_cases() {
  static const std::vector<CheckerCase> cases = {
      {"bernoulli", "bernoulli", CheckerData::binary_3x3, {}},
      {"markov", "markov", CheckerData::binary_3x3, {{"order", "2"}}},
      {"nade", "nade", CheckerData::binary_3x3, with_training({{"hidden", "5"}, {"ordering", "random"}})},
      {"nade-oa", "nade-oa", CheckerData::binary_3x3,
       with_training({{"hidden", "5"}, {"activation", "sigmoid"}, {"orderings", "3"}})},
      {"rnade", "rnade", CheckerData::real_4,
       with_training({{"hidden", "5"}, {"components", "2"}, {"activation", "sigmoid"}})},
      {"gaussian", "gaussian", CheckerData::real_4, {{"ridge", "1e-3"}}},
      {"gmm", "gmm", CheckerData::real_4, {{"components", "2"}}},
      {"kde", "kde", CheckerData::real_4, {{"bandwidth", "scott"}}},
      {"transformed", "gaussian", CheckerData::real_4, {{"standardize", ""}}},
      {"vae", "vae", CheckerData::binary_3x3,
       with_training({{"hidden-layers", "6"}, {"latent", "2"}, {"activation", "tanh"}})},
      {"autoencoder", "autoencoder", CheckerData::binary_3x3,
       with_training({{"hidden-layers", "6"}, {"latent", "2"}, {"activation", "tanh"}}), false},
      {"pixelrnn", "pixelrnn", CheckerData::binary_3x3,
       with_training({{"layer", "diag-bilstm"}, {"layers", "1"}, {"hidden", "2"}})},
      {"gan", "gan", CheckerData::real_4, with_training({{"hidden-layers", "8"}, {"latent", "3"}})},
      {"dcgan", "dcgan", CheckerData::binary_4x4, with_training({{"channels", "2"}, {"latent", "3"}})},
      {"lsgan", "lsgan", CheckerData::binary_4x4, with_training({{"channels", "2"}, {"latent", "3"}})},
      {"sgan", "sgan", CheckerData::real_4,
       with_training({{"hidden-layers", "8"}, {"latent", "3"}, {"labels-per-class", "5"}})},
      {"infogan", "infogan", CheckerData::binary_4x4,
       with_training({{"hidden-layers", "8"}, {"latent", "3"}, {"categories", "3"}, {"continuous", "1"}})},
      {"aae", "aae", CheckerData::binary_3x3,
       with_training({{"hidden-layers", "6"}, {"latent", "2"}, {"discriminator-hidden", "4"}})},
      {"cgan", "cgan", CheckerData::real_4,
       with_training({{"architecture", "mlp"}, {"hidden-layers", "8"}, {"latent", "3"}, {"embedding", "3"}})},
      {"geom", "geom", CheckerData::binary_4x4,
       with_training({{"channels1", "2"}, {"channels2", "2"}, {"features", "3"}, {"transforms", "4"}}), false},
      {"progan", "progan", CheckerData::binary_4x4,
       with_training({{"channels", "2"}, {"latent", "3"}, {"stage-steps", "1"}, {"fade-steps", "2"}})},
      {"part2whole", "part2whole", CheckerData::binary_4x4,
       with_training({{"channels", "2"}, {"latent", "3"}, {"patches", "1"}, {"patch-size", "2"}})},
      {"cyclegan", "cyclegan", CheckerData::labelled_8x8,
       with_training({{"channels", "2"}, {"domain-a", "0"}, {"domain-b", "1"}}), false},
      {"stargan", "stargan", CheckerData::labelled_8x8, with_training({{"channels", "2"}}), false},
  };
  return cases;
}

}  // namespace logp::testing
