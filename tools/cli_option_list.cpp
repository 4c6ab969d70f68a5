// Declared options (models/option_list.hpp) as CLI11 options.
#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/models/option_list.hpp"

namespace logp::cli {

void add_option_list(CLI::App& app, const OptionList& options) {
  for (const OptionSpec& spec : options.specs()) {
    const std::string flag = "--" + spec.name;
    const auto set = [&spec](const std::string& text) {
      try {
        spec.set(text);
      } catch (const Error& e) {
        throw CLI::ValidationError(e.what());
      }
    };
    if (spec.is_flag) {
      app.add_flag_callback(flag, [set] { set(""); }, spec.help);
      continue;
    }
    app.add_option_function<std::string>(flag, set, spec.help)->default_str(spec.default_text)->type_name(spec.type_name);
  }
}

}  // namespace logp::cli
