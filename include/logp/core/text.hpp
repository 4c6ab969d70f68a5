#pragma once
// Small text helpers for messages and attributes.
#include <string>
#include <string_view>
#include <vector>

namespace logp {

// "a, b, c" from {"a", "b", "c"} with separator ", ".
template <typename Range>
std::string join(const Range& items, std::string_view separator) {
  std::string text;
  bool first = true;
  for (const auto& item : items) {
    if (!first) text += separator;
    text += item;
    first = false;
  }
  return text;
}

}  // namespace logp
