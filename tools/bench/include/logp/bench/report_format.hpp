#pragma once
// Number and label formatting shared by the Markdown and HTML renderings of a benchmark report.
#include <nlohmann/json.hpp>
#include <string>

namespace logp::bench {

// `value` with `decimals` digits after the point; "n/a" for a JSON null or non-number.
std::string format_number(const nlohmann::json& value, int decimals);
// "[lo, hi]" from a two-element array, or "n/a".
std::string format_interval(const nlohmann::json& interval, int decimals);
// "nade-h500" or "nade-h500 seed 1" from a result row with "model" and "seed".
std::string model_label(const nlohmann::json& row);
// "" for a null seed, else the number.
std::string seed_text(const nlohmann::json& seed);

}  // namespace logp::bench
