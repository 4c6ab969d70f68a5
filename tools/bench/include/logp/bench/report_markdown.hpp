#pragma once
// The Markdown rendering of a benchmark report (suite_runner.hpp): tables of test NLL with
// standard errors and 95% intervals, training summaries, paired comparisons, anomaly-detection
// metrics, and the provenance. Every number comes from the report JSON.
#include <nlohmann/json.hpp>
#include <string>

namespace logp::bench {

std::string render_markdown(const nlohmann::json& report);

}  // namespace logp::bench
