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

}  // namespace logp::bench
