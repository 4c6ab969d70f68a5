#pragma once
// The result of one sample-based metric: its value, its spread (and what the spread is), the
// sample sizes it was computed from, and a p-value where the metric is a test.
//
// Every metric in this folder is a function of two feature matrices, real (F x N) and samples
// (F x M), one example per column, in double. What the features are (pixels, a network's
// layer, precomputed) is the caller's to say.
#include <cmath>
#include <limits>
#include <string>

#include "logp/core/types.hpp"

namespace logp {

using MatrixDRef = Eigen::Ref<const MatrixD>;  // F x N feature matrix, one example per column

struct MetricValue {
  std::string name;          // "fid", "kid", "mmd2", "precision", ...
  double value = std::numeric_limits<double>::quiet_NaN();
  double spread = std::numeric_limits<double>::quiet_NaN();  // see spread_kind
  std::string spread_kind;   // e.g. "s.e. over the M samples", "std over 100 subsets of 1000"
  Index n_real = 0;          // real examples used
  Index n_samples = 0;       // sample examples used
  double p_value = std::numeric_limits<double>::quiet_NaN();  // NaN: not a test
  std::string details;       // parameters as used: "k=3", "sigma=5.1 (median heuristic ...)"
  std::string warning;       // empty, or why the number is less reliable than usual

  bool has_p_value() const { return !std::isnan(p_value); }
};

}  // namespace logp
