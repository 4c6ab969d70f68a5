// Fits a factorized Bernoulli to a matrix this program allocated and checks log_prob against the
// closed form: the installed headers, library and its dependencies work from another project.
#include <cmath>
#include <cstdio>

#include "logp/models/bernoulli/bernoulli.hpp"

int main() {
  // 3 binary dimensions x 4 examples (columns).
  logp::Matrix x(3, 4);
  x << 1, 1, 0, 1,
       0, 0, 0, 1,
       1, 0, 1, 1;
  const logp::DataSpec spec{logp::DataKind::binary, 2, 3, {}};
  const logp::BernoulliModel model = logp::BernoulliModel::fit(x, spec, 1.0);
  const logp::Vector log_prob = model.log_prob(x);
  // Laplace smoothing: p = (ones + 1) / (4 + 2) = 4/6, 2/6, 4/6.
  const double p[3] = {4.0 / 6.0, 2.0 / 6.0, 4.0 / 6.0};
  for (int j = 0; j < 4; ++j) {
    double expected = 0.0;
    for (int i = 0; i < 3; ++i) expected += std::log(x(i, j) > 0.5f ? p[i] : 1.0 - p[i]);
    if (std::abs(log_prob(j) - expected) > 1e-5) {
      std::printf("example %d: log_prob %.7f, expected %.7f\n", j, static_cast<double>(log_prob(j)), expected);
      return 1;
    }
  }
  std::printf("logp consumer: %s, log_prob of 4 examples matches the closed form\n", model.hyperparameters().c_str());
  return 0;
}
