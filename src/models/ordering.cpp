#include "logp/models/ordering.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/h5.hpp"
#include "logp/train/epoch_batches.hpp"

namespace logp {
namespace {

std::vector<Index> parse_index_list(const std::string& text, const std::string& where) {
  std::vector<Index> values;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t\n\r"));
    item.erase(item.find_last_not_of(" \t\n\r") + 1);
    if (item.empty()) continue;
    try {
      values.push_back(std::stol(item));
    } catch (const std::exception&) {
      throw Error(where + ": '" + item + "' is not a dimension index");
    }
  }
  return values;
}

void check_permutation(const std::vector<Index>& order, Index dim, const std::string& where) {
  if (static_cast<Index>(order.size()) != dim)
    throw Error(where + ": the ordering has " + std::to_string(order.size()) + " entries, the data has D=" +
                std::to_string(dim));
  std::vector<Index> first_seen(static_cast<size_t>(dim), -1);  // position where each dimension appeared
  for (Index position = 0; position < dim; ++position) {
    const Index d = order[static_cast<size_t>(position)];
    if (d < 0 || d >= dim)
      throw Error(where + ": the ordering is not a permutation of 0.." + std::to_string(dim - 1) + ": position " +
                  std::to_string(position) + " holds " + std::to_string(d) + ", outside that range");
    if (first_seen[static_cast<size_t>(d)] >= 0)
      throw Error(where + ": the ordering is not a permutation of 0.." + std::to_string(dim - 1) + ": position " +
                  std::to_string(position) + " repeats " + std::to_string(d) + " (first at position " +
                  std::to_string(first_seen[static_cast<size_t>(d)]) + ")");
    first_seen[static_cast<size_t>(d)] = position;
  }
}

std::vector<Index> read_list_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read the ordering file");
  std::stringstream text;
  text << in.rdbuf();
  std::string list = text.str();
  std::replace_if(list.begin(), list.end(), [](char ch) { return ch == '\n' || ch == ' '; }, ',');
  return parse_index_list(list, path);
}

}  // namespace

Ordering::Ordering(std::vector<Index> permutation, std::string rule, std::uint64_t seed)
    : permutation_(std::move(permutation)), rule_(std::move(rule)), seed_(seed) {}

Ordering Ordering::from_option(const std::string& option, std::uint64_t seed, Index dim) {
  if (option == "raster" || option == "random") {
    std::vector<Index> order;
    if (option == "raster") {
      for (Index d = 0; d < dim; ++d) order.push_back(d);
    } else {
      Rng rng(seed);
      order = random_permutation(dim, rng);
    }
    check_permutation(order, dim, "--ordering");
    return Ordering(std::move(order), option, seed);
  }
  const bool from_file = !option.empty() && option[0] == '@';
  std::vector<Index> order = from_file ? read_list_file(option.substr(1)) : parse_index_list(option, "--ordering");
  check_permutation(order, dim, from_file ? option.substr(1) : std::string("--ordering"));  // never echo the list
  return Ordering(std::move(order), "given", seed);
}

Ordering Ordering::stored(std::vector<Index> permutation, const std::string& rule, std::uint64_t seed, Index dim,
                          const std::string& where) {
  check_permutation(permutation, dim, where);
  // Files before the Ordering type kept an explicit list's text as NADE's rule: it is "given".
  return Ordering(std::move(permutation), rule == "raster" || rule == "random" ? rule : "given", seed);
}

std::string Ordering::describe() const {
  if (rule_ == "random") return "random(seed " + std::to_string(seed_) + ")";
  return rule_;
}

void Ordering::save(const H5Group& g) const {
  g.set_attr("ordering_rule", rule_);
  g.set_attr("ordering_seed", static_cast<std::int64_t>(seed_));
  const std::vector<std::int64_t> order(permutation_.begin(), permutation_.end());
  g.write<std::int64_t>("ordering", {order.size()}, order.data());
}

Ordering Ordering::load(const H5Group& g, Index dim) {
  const std::vector<std::int64_t> values = g.read<std::int64_t>("ordering");
  return stored(std::vector<Index>(values.begin(), values.end()), g.attr_string("ordering_rule"),
                static_cast<std::uint64_t>(g.attr_int("ordering_seed")), dim, g.where("ordering"));
}

}  // namespace logp
