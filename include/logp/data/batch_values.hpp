#pragma once
// Checking a D x N float batch that did not come from a dataset file (the Python module's arrays)
// against a DataSpec: the same rules DatasetSplit::read applies to a file's values.
#include <string>

#include "logp/core/types.hpp"
#include "logp/data/data_spec.hpp"

namespace logp {

// x: D x N. Throws Error unless x.rows() == spec.dim and every value is valid for spec.kind: 0 or
// 1 (binary), an integer in 0..levels-1 (categorical), finite (real). The message names `where`,
// the first bad value, its example (column) and dimension (row).
void check_batch_values(const DataSpec& spec, ConstMatrixRef x, const std::string& where);

}  // namespace logp
