#include "logp/models/model_loading.hpp"

#include <cmath>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"

namespace logp {

namespace {

thread_local StoredBlocksGuard* active_guard = nullptr;

std::string dims_text(const std::vector<std::uint64_t>& dims) {
  if (dims.empty()) return "a scalar";
  std::string text;
  for (std::size_t i = 0; i < dims.size(); ++i) text += (i ? " x " : "") + std::to_string(dims[i]);
  return text;
}

std::string where_group(const H5Group& g) { return g.file() + ":" + g.path(); }

// Every dataset under g, by leaf name, with its location and dataspace dims (nothing is read).
void index_datasets(const H5Group& g,
                    std::multimap<std::string, std::pair<std::string, std::vector<std::uint64_t>>>& out,
                    int depth) {
  if (depth > 16) throw Error(where_group(g) + ": groups nested too deep (corrupt model file?)");
  for (const std::string& child : g.children()) {
    std::vector<std::uint64_t> dims;
    bool is_dataset = true;
    try {
      dims = g.dims(child);
    } catch (const Error&) {
      is_dataset = false;
    }
    if (is_dataset) {
      out.emplace(child, std::make_pair(g.where(child), std::move(dims)));
    } else {
      index_datasets(g.group(child), out, depth + 1);
    }
  }
}

template <typename T>
void require_finite_impl(std::span<const T> values, const std::string& where) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!std::isfinite(values[i])) {
      std::ostringstream text;
      text << where << ": value " << i << " is " << values[i] << " (corrupt model file?)";
      throw Error(text.str());
    }
}

}  // namespace

std::int64_t read_int_attr(const H5Group& g, const std::string& name, std::int64_t lo, std::int64_t hi) {
  const std::int64_t value = g.attr_int(name);
  if (value < lo || value > hi) {
    const std::string range = hi != INT64_MAX ? "be in " + std::to_string(lo) + ".." + std::to_string(hi)
                              : lo == 1       ? "be positive"
                                              : "be >= " + std::to_string(lo);
    throw Error(where_group(g) + ": attribute " + name + " = " + std::to_string(value) + " must " + range);
  }
  return value;
}

double read_real_attr(const H5Group& g, const std::string& name, double lo, double hi, bool lo_open) {
  const double value = g.attr_double(name);
  if (!std::isfinite(value) || value < lo || value > hi || (lo_open && value == lo)) {
    std::ostringstream text;
    text << where_group(g) << ": attribute " << name << " = " << value << " must be finite and in "
         << (lo_open ? "(" : "[") << lo << ", " << hi << "]";
    throw Error(text.str());
  }
  return value;
}

std::vector<Index> read_sizes_attr(const H5Group& g, const std::string& name) {
  const std::vector<std::int64_t> values = g.attr_ints(name);
  for (std::size_t i = 0; i < values.size(); ++i)
    if (values[i] < 1)
      throw Error(where_group(g) + ": attribute " + name + " holds " + std::to_string(values[i]) + " at position " +
                  std::to_string(i) + "; layer sizes must be positive");
  return {values.begin(), values.end()};
}

void require_stored_dims(const H5Group& g, const std::string& dataset, const std::vector<std::uint64_t>& expected,
                         const std::string& implied_by) {
  const std::vector<std::uint64_t> stored = g.dims(dataset);
  if (stored != expected)
    throw Error(g.where(dataset) + ": stored as " + dims_text(stored) + " but " + implied_by + " implies " +
                dims_text(expected) + " (corrupt model file?)");
}

void require_finite(std::span<const float> values, const std::string& where) { require_finite_impl(values, where); }
void require_finite(std::span<const double> values, const std::string& where) { require_finite_impl(values, where); }

// "hidden = 1048576, latent = 2": the size attributes a model group holds, for messages.
std::string size_attributes(const H5Group& g) {
  static const char* const kSizes[] = {"hidden",     "latent",     "code",    "layers",   "channels", "components",
                                       "categories", "continuous", "classes", "orderings", "discriminator_hidden"};
  std::string text;
  for (const char* name : kSizes) {
    if (!g.has_attr(name)) continue;
    std::string value;
    try {
      value = std::to_string(g.attr_int(name));
    } catch (const Error&) {
      try {
        value = "'" + g.attr_string(name) + "'";
      } catch (const Error&) {
        std::string list;
        for (const std::int64_t v : g.attr_ints(name)) list += (list.empty() ? "" : ",") + std::to_string(v);
        value = "[" + list + "]";
      }
    }
    text += (text.empty() ? "" : ", ") + std::string(name) + " = " + value;
  }
  return text;
}

StoredBlocksGuard::StoredBlocksGuard(const H5Group& model_group)
    : where_(where_group(model_group)), previous_(active_guard) {
  const std::string sizes = size_attributes(model_group);
  asking_ = "the attributes of " + model_group.path() + (sizes.empty() ? "" : " (" + sizes + ")");
  index_datasets(model_group, stored_, 0);
  active_guard = this;
}

StoredBlocksGuard::~StoredBlocksGuard() { active_guard = previous_; }

void StoredBlocksGuard::check_block(const std::string& name, Index rows, Index cols) {
  if (active_guard == nullptr) return;
  const std::vector<std::uint64_t> wanted = {static_cast<std::uint64_t>(cols), static_cast<std::uint64_t>(rows)};
  const auto [first, last] = active_guard->stored_.equal_range(name);
  for (auto it = first; it != last; ++it)
    if (it->second.second == wanted) return;
  if (first == last)
    throw Error(active_guard->where_ + ": parameter block '" + name + "' (" + std::to_string(rows) + " x " +
                std::to_string(cols) + ") is not stored (corrupt model file, or attributes that contradict it?)");
  throw Error(first->second.first + ": stored as " + dims_text(first->second.second) + " but " + active_guard->asking_ +
              " ask for " + dims_text(wanted) + " (corrupt model file?)");
}

}  // namespace logp
