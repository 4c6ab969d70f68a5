#pragma once
// Number and label formatting shared by the Markdown and HTML renderings of a benchmark report.
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace logp::bench {

// `value` with `decimals` digits after the point; "n/a" for a JSON null or non-number.
std::string format_number(const nlohmann::json& value, int decimals);
// "[lo, hi]" from a two-element array, or "n/a".
std::string format_interval(const nlohmann::json& interval, int decimals);
// "nade-h500" or "nade-h500 seed 1" from a result row with "model" and "seed".
std::string model_label(const nlohmann::json& row);
// "" for a null seed, else the number.
std::string seed_text(const nlohmann::json& seed);

// The sample-based metrics of `logp eval-samples` in table order: (key in a row's "metrics",
// column header).
const std::vector<std::pair<std::string, std::string>>& sample_metric_columns();
// "0.1234 ± 0.012 (p=0.01)" from one metric {"value", "spread", "p_value"} (4 significant digits,
// the spread and p-value 2); "—" for a metric that was not computed (null value) or is absent.
std::string sample_metric_text(const nlohmann::json& metrics, const std::string& key);

// The distinct values of key(row) over a JSON array of rows, in first-seen order.
std::vector<nlohmann::json> distinct(const nlohmann::json& rows,
                                     const std::function<nlohmann::json(const nlohmann::json&)>& key);
// What the sample grids are.
extern const char* const kSampleGridsNote;

// A table of text cells under a title.
struct TextTable {
  std::string title;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;
};

// The one-class summary of a report (results.one_class) as one table per dataset: a row per
// detector (model, score) with the AUROC of each inlier class and the means over classes.
std::vector<TextTable> one_class_tables(const nlohmann::json& groups);
// What the one-class tables' numbers are.
extern const char* const kOneClassNote;

}  // namespace logp::bench
