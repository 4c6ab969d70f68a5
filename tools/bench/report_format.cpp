#include "logp/bench/report_format.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace logp::bench {

std::string format_number(const nlohmann::json& value, int decimals) {
  if (!value.is_number()) return "n/a";
  std::ostringstream text;
  text << std::fixed << std::setprecision(decimals) << value.get<double>();
  return text.str();
}

std::string format_interval(const nlohmann::json& interval, int decimals) {
  if (!interval.is_array() || interval.size() != 2) return "n/a";
  // Appended piecewise: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string here.
  std::string text = "[";
  text += format_number(interval[0], decimals);
  text += ", ";
  text += format_number(interval[1], decimals);
  text += "]";
  return text;
}

std::string seed_text(const nlohmann::json& seed) { return seed.is_number() ? std::to_string(seed.get<long long>()) : ""; }

std::string model_label(const nlohmann::json& row) {
  const std::string seed = seed_text(row.value("seed", nlohmann::json()));
  return row.value("model", std::string("?")) + (seed.empty() ? "" : " seed " + seed);
}

const std::vector<std::pair<std::string, std::string>>& sample_metric_columns() {
  static const std::vector<std::pair<std::string, std::string>> columns = {
      {"fid", "FID"},           {"kid", "KID"},           {"mmd2", "MMD²"},       {"precision", "precision"},
      {"recall", "recall"},     {"density", "density"},   {"coverage", "coverage"}, {"c2st", "C2ST acc"},
      {"parzen_ll", "Parzen LL (legacy)"}, {"copying_z", "copying z"}};
  return columns;
}

std::string sample_metric_text(const nlohmann::json& metrics, const std::string& key) {
  if (!metrics.is_object() || !metrics.contains(key) || !metrics[key].is_object()) return "—";
  const nlohmann::json& metric = metrics[key];
  const nlohmann::json value = metric.value("value", nlohmann::json());
  if (!value.is_number()) return "—";
  std::ostringstream text;
  text << std::setprecision(4) << value.get<double>();
  const nlohmann::json spread = metric.value("spread", nlohmann::json());
  if (spread.is_number()) text << " ± " << std::setprecision(2) << spread.get<double>();
  const nlohmann::json p = metric.value("p_value", nlohmann::json());
  if (p.is_number()) text << " (p=" << std::setprecision(2) << p.get<double>() << ")";
  return text.str();
}

namespace {

// "0.941 [0.935, 0.946]" from {"value", "ci"}; "n/a" when undefined.
std::string short_metric_text(const nlohmann::json& metric) {
  if (!metric.is_object()) return "n/a";
  return format_number(metric.value("value", nlohmann::json()), 3) + " " +
         format_interval(metric.value("ci", nlohmann::json()), 3);
}

}  // namespace

const char* const kOneClassNote =
    "Each detector is fitted on one class's training examples and scores the whole test split; the test examples "
    "of the other labels are the anomalies (the positives of AUPRC). Intervals: stratified bootstrap percentile "
    "intervals per class; a mean's interval is the mean of its classes' endpoints (conservative). Scores other than "
    "nll are anomaly scores, not likelihoods of the image.";

const char* const kSampleGridsNote =
    "Samples drawn by logp sample --png from each fit (the count and seed are the suite's sample_grids), "
    "one tile per sample, values mapped to grey levels (binary: 0 black, 1 white); what a model generates, "
    "not a measure of it.";

std::vector<nlohmann::json> distinct(const nlohmann::json& rows,
                                     const std::function<nlohmann::json(const nlohmann::json&)>& key) {
  std::vector<nlohmann::json> values;
  for (const nlohmann::json& row : rows)
    if (std::find(values.begin(), values.end(), key(row)) == values.end()) values.push_back(key(row));
  return values;
}

std::vector<TextTable> one_class_tables(const nlohmann::json& groups) {
  std::vector<TextTable> tables;
  if (!groups.is_array()) return tables;
  for (const nlohmann::json& group : groups) {
    const nlohmann::json& detector = group["detector"];
    const std::string dataset = detector["dataset"];
    auto table = std::find_if(tables.begin(), tables.end(), [&](const TextTable& t) { return t.title == dataset; });
    if (table == tables.end()) table = tables.insert(tables.end(), TextTable{dataset, {}, {}});
    table->rows.push_back({model_label(detector), detector["score"].is_string() ? detector["score"].get<std::string>() : ""});
  }
  for (TextTable& table : tables) {
    std::vector<std::string> classes;  // columns in first-seen order
    for (const nlohmann::json& group : groups)
      if (group["detector"]["dataset"] == table.title)
        for (const nlohmann::json& c : group["classes"])
          if (std::find(classes.begin(), classes.end(), c["inlier_class"].dump()) == classes.end())
            classes.push_back(c["inlier_class"].dump());
    table.headers = {"model", "score"};
    for (const std::string& c : classes) table.headers.push_back("AUROC class " + c);
    table.headers.insert(table.headers.end(), {"mean AUROC", "mean AUPRC", "mean FPR at 95% TPR"});
    size_t row = 0;
    for (const nlohmann::json& group : groups) {
      if (group["detector"]["dataset"] != table.title) continue;
      std::vector<std::string>& cells = table.rows[row++];
      for (const std::string& c : classes) {
        std::string cell = "—";
        for (const nlohmann::json& entry : group["classes"])
          if (entry["inlier_class"].dump() == c) cell = short_metric_text(entry["metrics"].value("auroc", nlohmann::json()));
        cells.push_back(cell);
      }
      const nlohmann::json& mean = group["mean"];
      for (const char* metric : {"auroc", "auprc", "fpr_at_95_tpr"})
        cells.push_back(short_metric_text(mean.is_object() ? mean.value(metric, nlohmann::json()) : nlohmann::json()));
    }
  }
  return tables;
}

}  // namespace logp::bench
