#include "logp/bench/one_class_summary.hpp"

#include <map>
#include <string>
#include <vector>

namespace logp::bench {

using nlohmann::json;

json one_class_summary(const json& anomaly_rows) {
  static const std::vector<std::string> kMetrics = {"auroc", "auprc", "fpr_at_95_tpr"};
  json groups = json::array();
  std::map<std::string, size_t> index;  // detector -> position in groups
  for (const json& row : anomaly_rows) {
    if (row["analysis"] != "one-class" || !row["metrics"].is_object()) continue;
    const json detector = {{"dataset", row["dataset"]}, {"model", row["model"]}, {"seed", row["seed"]},
                           {"score", row["score"]}};
    const auto [at, added] = index.emplace(detector.dump(), groups.size());
    if (added) groups.push_back({{"detector", detector}, {"classes", json::array()}, {"mean", nullptr}});
    groups[at->second]["classes"].push_back({{"inlier_class", row["inlier_class"]}, {"metrics", row["metrics"]}});
  }
  for (json& group : groups) {
    json mean = json::object();
    const double n = static_cast<double>(group["classes"].size());
    for (const std::string& metric : kMetrics) {
      double value = 0, low = 0, high = 0;
      bool defined = true;  // NaN metrics are null in JSON
      for (const json& c : group["classes"]) {
        const json m = c["metrics"].value(metric, json(nullptr));
        defined = defined && m.is_object() && m["value"].is_number() && m["ci"].is_array() &&
                  m["ci"].size() == 2 && m["ci"][0].is_number() && m["ci"][1].is_number();
        if (!defined) break;
        value += m["value"].get<double>() / n;
        low += m["ci"][0].get<double>() / n;
        high += m["ci"][1].get<double>() / n;
      }
      mean[metric] = defined ? json{{"value", value}, {"ci", {low, high}}} : json(nullptr);
    }
    group["mean"] = mean;
  }
  return groups;
}

}  // namespace logp::bench
