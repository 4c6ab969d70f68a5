#pragma once
// The one-class rows of a report's anomaly results grouped by detector (dataset, model, seed,
// score), each with its classes' metrics and their mean over the classes. The mean's interval is
// the mean of the classes' interval endpoints: conservative (wider than an interval of the mean
// would be). A metric undefined for some class (NaN, null in JSON) has a null mean.
#include <nlohmann/json.hpp>

namespace logp::bench {

nlohmann::json one_class_summary(const nlohmann::json& anomaly_rows);

}  // namespace logp::bench
