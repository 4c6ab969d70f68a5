#include "markov_context.hpp"

#include <bit>
#include <limits>
#include <set>
#include <sstream>
#include <string_view>

#include "logp/core/error.hpp"

namespace logp {
namespace {

struct NamedOffset {
  std::string_view name;
  ContextOffset offset;
};

constexpr NamedOffset kNamedOffsets[] = {
    {"left", {0, -1}},
    {"up", {-1, 0}},
    {"up-left", {-1, -1}},
    {"up-right", {-1, 1}},
};

std::string offset_text(const ContextOffset& o) { return std::to_string(o.dy) + ":" + std::to_string(o.dx); }

bool is_causal(const ContextOffset& o) { return o.dy < 0 || (o.dy == 0 && o.dx < 0); }

void check_causal(const ContextOffset& o, const std::string& shown) {
  if (!is_causal(o))
    throw Error("markov context offset '" + shown + "' (dy=" + std::to_string(o.dy) + ", dx=" + std::to_string(o.dx) +
                ") is not causal: in raster order only pixels above (dy < 0) or to the left on the same row "
                "(dy = 0, dx < 0) come before a pixel");
}

std::string trim(const std::string& text) {
  const size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

int parse_int(const std::string& text, const std::string& item) {
  size_t used = 0;
  int value = 0;
  try {
    value = std::stoi(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size())
    throw Error("markov context offset '" + item + "': '" + text + "' is not an integer (expected dy:dx, e.g. -1:0)");
  return value;
}

ContextOffset parse_offset(const std::string& item) {
  for (const NamedOffset& named : kNamedOffsets)
    if (named.name == item) return named.offset;
  const size_t colon = item.find(':');
  if (colon == std::string::npos)
    throw Error("markov context offset '" + item +
                "' is neither a name (left, up, up-left, up-right) nor a dy:dx pair such as -1:0");
  return {parse_int(item.substr(0, colon), item), parse_int(item.substr(colon + 1), item)};
}

}  // namespace

std::vector<ContextOffset> parse_context(const std::string& text) {
  std::vector<ContextOffset> offsets;
  if (trim(text).empty()) return offsets;
  std::stringstream in(text);
  std::string part;
  while (std::getline(in, part, ',')) {
    const std::string item = trim(part);
    if (item.empty()) throw Error("markov context '" + text + "' has an empty entry");
    const ContextOffset offset = parse_offset(item);
    check_causal(offset, item);
    for (const ContextOffset& seen : offsets)
      if (seen == offset) throw Error("markov context '" + text + "' lists offset '" + item + "' twice");
    offsets.push_back(offset);
  }
  return offsets;
}

std::string format_context(const std::vector<ContextOffset>& offsets) {
  std::string text;
  for (const ContextOffset& o : offsets) {
    std::string item = offset_text(o);
    for (const NamedOffset& named : kNamedOffsets)
      if (named.offset == o) item = std::string(named.name);
    text += (text.empty() ? "" : ",") + item;
  }
  return text;
}

namespace markov {

ContextLayout::ContextLayout(Index dim, int slots, int levels)
    : dim_(dim), slots_(slots), levels_(levels), radix_(static_cast<std::uint64_t>(levels) + 1), num_codes_(1) {
  require(dim >= 1, "markov: the data has D=" + std::to_string(dim) + "; need at least one dimension");
  require(dim < std::numeric_limits<std::int32_t>::max(), "markov: D=" + std::to_string(dim) + " is too large");
  for (int j = 0; j < slots; ++j) {
    if (num_codes_ > std::numeric_limits<std::uint64_t>::max() / radix_)
      throw Error("markov: a context of " + std::to_string(slots) + " values with " + std::to_string(radix_) +
                  " symbols each (" + std::to_string(levels) + " levels + padding) has " + std::to_string(radix_) +
                  "^" + std::to_string(slots) +
                  " codes, more than fit in 64 bits; use a smaller --order or fewer --context offsets");
    num_codes_ *= radix_;
  }
  sources_.assign(static_cast<size_t>(dim * slots), static_cast<std::int32_t>(dim));
}

ContextLayout ContextLayout::raster(Index dim, int order, int levels) {
  require(order >= 0, "markov: --order must be >= 0, got " + std::to_string(order));
  ContextLayout layout(dim, order, levels);
  for (Index i = 0; i < dim; ++i)
    for (int j = 0; j < order; ++j) {
      const Index source = i - 1 - j;  // slot j is x_{i-1-j}
      if (source >= 0) layout.sources_[static_cast<size_t>(i * order + j)] = static_cast<std::int32_t>(source);
    }
  return layout;
}

ContextLayout ContextLayout::image(const DataSpec& spec, const std::vector<ContextOffset>& offsets) {
  const std::string context = format_context(offsets);
  if (!spec.is_image())
    throw Error("markov: --context " + context + " needs an image shape (H,W,C) in the data, but the data is " +
                spec.describe() + " with no shape; import it with --shape or use --order");
  if (spec.shape[2] != 1)
    throw Error("markov: --context " + context + " supports single-channel images (C=1) only, but the data is " +
                spec.describe() + "; use --order for multi-channel data");
  for (size_t k = 0; k < offsets.size(); ++k) {
    check_causal(offsets[k], offset_text(offsets[k]));
    for (size_t m = 0; m < k; ++m)
      require(!(offsets[m] == offsets[k]), "markov: context offset " + offset_text(offsets[k]) + " is listed twice");
  }
  const Index height = spec.shape[0];
  const Index width = spec.shape[1];
  require(height * width == spec.dim, "markov: image shape " + spec.describe() + " does not multiply to D");
  const int slots = static_cast<int>(offsets.size());
  ContextLayout layout(spec.dim, slots, spec.levels);
  for (Index y = 0; y < height; ++y)
    for (Index x = 0; x < width; ++x)
      for (int j = 0; j < slots; ++j) {
        const Index ny = y + offsets[static_cast<size_t>(j)].dy;
        const Index nx = x + offsets[static_cast<size_t>(j)].dx;
        const size_t slot = static_cast<size_t>((y * width + x) * slots + j);
        const bool inside = ny >= 0 && ny < height && nx >= 0 && nx < width;
        if (inside) layout.sources_[slot] = static_cast<std::int32_t>(ny * width + nx);
      }
  return layout;
}

std::uint64_t ContextLayout::code_of(const std::vector<int>& slot_values, const std::string& what) const {
  if (static_cast<int>(slot_values.size()) != slots_)
    throw Error(what + ": got " + std::to_string(slot_values.size()) + " context values, the model's context has " +
                std::to_string(slots_));
  std::uint64_t c = 0;
  for (int j = slots_ - 1; j >= 0; --j) {
    const int value = slot_values[static_cast<size_t>(j)];
    if (value < 0 || value > levels_)
      throw Error(what + ": context value " + std::to_string(value) + " in slot " + std::to_string(j) +
                  " is outside 0.." + std::to_string(levels_) + " (" + std::to_string(levels_) + " = padding)");
    c = c * radix_ + static_cast<std::uint64_t>(value);
  }
  return c;
}

std::uint64_t ContextLayout::padding_mask(Index i) const {
  std::uint64_t mask = 0;
  for (int j = 0; j < slots_; ++j)
    if (sources_[static_cast<size_t>(i * slots_ + j)] == dim_) mask |= std::uint64_t{1} << j;
  return mask;
}

bool ContextLayout::can_occur(Index i, std::uint64_t code) const {
  // Digit j (slot j, least significant first) is the padding value exactly where slot j of pixel
  // i is padding.
  const std::uint64_t mask = padding_mask(i);
  for (int j = 0; j < slots_; ++j, code /= radix_) {
    const bool padded = (mask >> j) & 1U;
    if ((code % radix_ == static_cast<std::uint64_t>(levels_)) != padded) return false;
  }
  return code == 0;
}

std::uint64_t ContextLayout::reachable_codes(Index i) const {
  // slots_ <= 40 (radix >= 3 and radix^slots fits in 64 bits), so the mask has room.
  const int padded = std::popcount(padding_mask(i));
  std::uint64_t count = 1;
  for (int j = 0; j < slots_ - padded; ++j) count *= static_cast<std::uint64_t>(levels_);
  return count;
}

std::uint64_t ContextLayout::reachable_codes_any() const {
  // Pixels with the same padded slots see the same set of codes; distinct masks see disjoint sets.
  std::set<std::uint64_t> masks;
  std::uint64_t count = 0;
  for (Index i = 0; i < dim_; ++i)
    if (masks.insert(padding_mask(i)).second) count += reachable_codes(i);
  return count;
}

}  // namespace markov
}  // namespace logp
