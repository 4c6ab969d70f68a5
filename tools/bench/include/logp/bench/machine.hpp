#pragma once
// What a benchmark ran on, for the report's provenance: host name, CPU model, logical cores,
// memory, operating system.
#include <nlohmann/json.hpp>

namespace logp::bench {

nlohmann::json describe_machine();

}  // namespace logp::bench
