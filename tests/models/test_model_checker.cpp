// Every registered model type through the model checker (support/model_checker.hpp). A type
// registered without a case here fails the suite.
#include <catch2/catch.hpp>

#include "logp/models/nade/nade.hpp"
#include "logp/models/registry.hpp"
#include "logp/models/rnade/rnade.hpp"
#include "support/model_checker.hpp"

namespace logp::testing {
namespace {

const std::vector<std::pair<std::string, std::string>> kTinyTraining = {
    {"epochs", "2"}, {"batch-size", "20"}, {"shard-size", "5"}};

std::vector<std::pair<std::string, std::string>> with_training(std::vector<std::pair<std::string, std::string>> options) {
  options.insert(options.end(), kTinyTraining.begin(), kTinyTraining.end());
  return options;
}

const std::vector<CheckerCase>& checker_cases() {
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
  };
  return cases;
}

}  // namespace

TEST_CASE("model checker: every registered model type has a case", "[checker]") {
  for (const ModelEntry& entry : model_entries()) {
    bool found = false;
    for (const CheckerCase& c : checker_cases()) found = found || c.type == entry.type;
    INFO("registered model type '" << entry.type << "' has no case in tests/models/test_model_checker.cpp");
    CHECK(found);
  }
}

TEST_CASE("model checker: every registered model type passes", "[checker]") {
  for (const CheckerCase& c : checker_cases()) {
    SECTION(c.type) { check_model(c); }
  }
}

TEST_CASE("model checker: rnade's --hidden default is RNADE's own, not NADE's", "[checker]") {
  const std::unique_ptr<ModelFit> fit = model_entry("rnade").make_fit();
  REQUIRE(fit->options().find("hidden") != nullptr);
  CHECK(fit->options().find("hidden")->default_text == std::to_string(RnadeOptions{}.hidden));
  CHECK(RnadeOptions{}.hidden != NadeOptions{}.hidden);
}

TEST_CASE("model checker: the command line's defaults are the library's", "[checker][cli]") {
  for (const ModelEntry& entry : model_entries()) {
    if (entry.make_fit == nullptr) continue;
    const CliResult help = run_cli("fit " + std::string(entry.type) + " --help");
    REQUIRE(help.exit_code == 0);
    const std::unique_ptr<ModelFit> fit = entry.make_fit();
    for (const OptionSpec& spec : fit->options().specs()) {
      INFO(entry.type << " --" << spec.name << " (library default '" << spec.default_text << "')");
      CHECK(spec.current() == spec.default_text);
      CHECK(help.out.find("--" + spec.name) != std::string::npos);
      if (!spec.is_flag && !spec.default_text.empty())  // CLI11 shows "--name TYPE=default"
        CHECK(help.out.find("--" + spec.name + " " + spec.type_name + "=" + spec.default_text) != std::string::npos);
    }
  }
}

}  // namespace logp::testing
