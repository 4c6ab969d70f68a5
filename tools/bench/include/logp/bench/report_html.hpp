#pragma once
// The HTML rendering of a benchmark report (suite_runner.hpp): one self-contained page with
// inline SVG charts (test NLL with 95% intervals per model, ROC curves, training curves) and the
// same numbers in tables. No scripts, no external resources: it opens in any browser offline.
#include <nlohmann/json.hpp>
#include <string>

namespace logp::bench {

std::string render_html(const nlohmann::json& report);

}  // namespace logp::bench
