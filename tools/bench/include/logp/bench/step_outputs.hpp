#pragma once
// What a finished benchmark step left in its directory, read back for the report.
#include <nlohmann/json.hpp>
#include <string>

namespace logp::bench {

inline constexpr size_t kRocPointsInReport = 200;  // ROC curves are thinned to this many points

// The whole file ("" when it cannot be read).
std::string read_text(const std::string& path);
// The last non-blank line of a log (progress lines that overwrite themselves with \r: their last
// state).
std::string last_line(const std::string& text);
// JSON lines of a training log -> an array of objects (a missing file: closed-form fit, empty).
nlohmann::json read_training_log(const std::string& path);
// An ROC CSV (threshold,fpr,tpr) -> {"points_in_file", "fpr": [...], "tpr": [...]} thinned to at
// most kRocPointsInReport points (always keeping the first and last). Throws naming the file.
nlohmann::json read_roc(const std::string& path);

}  // namespace logp::bench
