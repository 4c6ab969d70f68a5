#include "logp/bench/report_format.hpp"

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

}  // namespace logp::bench
