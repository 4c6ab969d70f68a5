#include "logp/data/batch_values.hpp"

#include <cmath>
#include <sstream>

#include "logp/core/error.hpp"

namespace logp {
namespace {

bool valid_value(const DataSpec& spec, float value) {
  if (!std::isfinite(value)) return false;
  if (!spec.is_discrete()) return true;
  return value >= 0.0f && value < static_cast<float>(spec.levels) && value == std::nearbyint(value);
}

std::string expected_text(const DataSpec& spec) {
  if (!spec.is_discrete()) return "finite (NaN or inf in real data)";
  return "valid " + std::string(to_string(spec.kind)) + " data (expected 0.." + std::to_string(spec.levels - 1) + ")";
}

}  // namespace

void check_batch_values(const DataSpec& spec, ConstMatrixRef x, const std::string& where) {
  if (x.rows() != spec.dim)
    throw Error(where + ": examples have D=" + std::to_string(x.rows()) + " but the model expects D=" +
                std::to_string(spec.dim));
  for (Index j = 0; j < x.cols(); ++j)
    for (Index i = 0; i < x.rows(); ++i)
      if (!valid_value(spec, x(i, j))) {
        std::ostringstream value;
        value << x(i, j);
        throw Error(where + ": value " + value.str() + " at example " + std::to_string(j) + ", dimension " +
                    std::to_string(i) + " is not " + expected_text(spec));
      }
}

}  // namespace logp
