// Every registered model type through the model checker (support/model_checker.hpp). A type
// registered without a case here fails the suite.
#include <catch2/catch.hpp>

#include "logp/models/nade/nade.hpp"
#include "logp/models/registry.hpp"
#include "logp/models/rnade/rnade.hpp"
#include "support/checker_cases.hpp"
#include "support/model_checker.hpp"

namespace logp::testing {

TEST_CASE("model checker: every registered model type has a case", "[checker]") {
  for (const ModelEntry& entry : model_entries()) {
    bool found = false;
    for (const CheckerCase& c : checker_cases()) found = found || c.type == entry.type;
    INFO("registered model type '" << entry.type << "' has no case in tests/support/checker_cases.hpp");
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
