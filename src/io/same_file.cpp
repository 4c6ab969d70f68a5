#include "logp/io/same_file.hpp"

#include <filesystem>
#include <system_error>

namespace logp {

bool same_file(const std::string& a, const std::string& b) {
  namespace fs = std::filesystem;
  if (a.empty() || b.empty()) return false;
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) {
    const bool same = fs::equivalent(a, b, ec);
    return !ec && same;
  }
  const fs::path canonical_a = fs::weakly_canonical(fs::absolute(a, ec), ec);
  if (ec) return a == b;
  const fs::path canonical_b = fs::weakly_canonical(fs::absolute(b, ec), ec);
  if (ec) return a == b;
  return canonical_a == canonical_b;
}

}  // namespace logp
