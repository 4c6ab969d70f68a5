#pragma once
// logp's one exception type. Its message names what was wrong and where (file, dataset, shape,
// value), on one line, so the command line can print it as it is.
#include <stdexcept>
#include <string>

namespace logp {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws Error(message) unless condition holds.
inline void require(bool condition, const std::string& message) {
  if (!condition) throw Error(message);
}

}  // namespace logp
