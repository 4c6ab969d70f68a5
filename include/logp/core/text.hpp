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

// `text` itself when it has at most max_chars bytes; otherwise its first max_chars bytes (never
// cutting a UTF-8 character), "…" and the whole length: "12345678…(100000 characters)". For
// echoing a user's value in a one-line message.
inline std::string excerpt(std::string_view text, std::size_t max_chars = 40) {
  if (text.size() <= max_chars) return std::string(text);
  std::size_t cut = max_chars;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // a continuation byte
  return std::string(text.substr(0, cut)) + "…(" + std::to_string(text.size()) + " characters)";
}

// {"a", "", "b"} from "a,,b" with separator ','; empty parts are kept (callers refuse them).
inline std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(separator, start);
    parts.emplace_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

}  // namespace logp
