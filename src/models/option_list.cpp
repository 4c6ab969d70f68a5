#include "logp/models/option_list.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/core/text.hpp"

namespace logp {
namespace {

// The value as the user typed it, cut short when it is long (an error never echoes a page).
std::string quoted(const std::string& text) {
  constexpr std::size_t kMax = 40;
  return "'" + (text.size() <= kMax ? text : text.substr(0, kMax) + "...") + "'";
}

[[noreturn]] void refuse(const std::string& option, const std::string& text, const std::string& expected) {
  throw Error("--" + option + ": expected " + expected + ", got " + quoted(text));
}

template <class Int>
Int parse_integer(const std::string& option, const std::string& text) {
  Int value{};
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) refuse(option, text, "an integer");
  return value;
}

double parse_real(const std::string& option, const std::string& text) {
  std::istringstream in(text);
  double value = 0.0;
  in >> value;
  if (text.empty() || in.fail() || !in.eof() || !std::isfinite(value)) refuse(option, text, "a finite number");
  return value;
}

template <class Number>
void check_range(const std::string& option, Number value, Range range, const std::string& text) {
  switch (range) {
    case Range::any: return;
    case Range::positive:
      if (!(value > 0)) refuse(option, text, "a positive number");
      return;
    case Range::non_negative:
      if (!(value >= 0)) refuse(option, text, "a number >= 0");
      return;
    case Range::probability:
      if (!(value >= 0 && value < 1)) refuse(option, text, "a number in [0, 1)");
      return;
  }
}

std::string real_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

std::string sizes_text(const std::vector<Index>& sizes) {
  std::string text;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    if (i > 0) text += ',';
    text += std::to_string(sizes[i]);
  }
  return text;
}

OptionSpec make_spec(std::string name, std::string help, std::string default_text, std::string type_name) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.help = std::move(help);
  spec.default_text = std::move(default_text);
  spec.type_name = std::move(type_name);
  return spec;
}

template <class Int>
OptionSpec integer_spec(std::string name, std::string help, Int& field, Range range) {
  OptionSpec spec = make_spec(std::move(name), std::move(help), std::to_string(field), "INT");
  spec.set = [&field, range, option = spec.name](const std::string& text) {
    const Int value = parse_integer<Int>(option, text);
    check_range(option, value, range, text);
    field = value;
  };
  spec.current = [&field] { return std::to_string(field); };
  return spec;
}

}  // namespace

void OptionList::push(OptionSpec spec) {
  require(find(spec.name) == nullptr, "option --" + spec.name + " is declared twice");
  specs_.push_back(std::move(spec));
}

void OptionList::append(const OptionList& other) {
  for (const OptionSpec& spec : other.specs_) push(spec);
}

void OptionList::add(std::string name, std::string help, int& field, Range range) {
  push(integer_spec(std::move(name), std::move(help), field, range));
}

void OptionList::add(std::string name, std::string help, Index& field, Range range) {
  push(integer_spec(std::move(name), std::move(help), field, range));
}

void OptionList::add(std::string name, std::string help, std::uint64_t& field) {
  push(integer_spec(std::move(name), std::move(help), field, Range::any));
}

void OptionList::add(std::string name, std::string help, double& field, Range range) {
  OptionSpec spec = make_spec(std::move(name), std::move(help), real_text(field), "FLOAT");
  spec.set = [&field, range, option = spec.name](const std::string& text) {
    const double value = parse_real(option, text);
    check_range(option, value, range, text);
    field = value;
  };
  spec.current = [&field] { return real_text(field); };
  push(std::move(spec));
}

void OptionList::add(std::string name, std::string help, std::string& field, std::vector<std::string> choices) {
  if (!choices.empty()) {
    push_choice(std::move(name), std::move(help), field, std::move(choices),
                [&field](const std::string& text) { field = text; }, [&field] { return field; });
    return;
  }
  OptionSpec spec = make_spec(std::move(name), std::move(help), field, "TEXT");
  spec.set = [&field](const std::string& text) { field = text; };
  spec.current = [&field] { return field; };
  push(std::move(spec));
}

void OptionList::add(std::string name, std::string help, std::vector<Index>& field) {
  OptionSpec spec = make_spec(std::move(name), std::move(help), sizes_text(field), "N,N,...");
  spec.set = [&field, option = spec.name](const std::string& text) {
    std::vector<Index> sizes;
    for (const std::string& part : split(text, ',')) {
      const Index size = parse_integer<Index>(option, part);
      if (size <= 0) refuse(option, text, "positive sizes separated by commas");
      sizes.push_back(size);
    }
    if (sizes.empty()) refuse(option, text, "positive sizes separated by commas");
    field = std::move(sizes);
  };
  spec.current = [&field] { return sizes_text(field); };
  push(std::move(spec));
}

void OptionList::add_flag(std::string name, std::string help, bool& field) {
  OptionSpec spec = make_spec(std::move(name), std::move(help), field ? "on" : "off", "");
  spec.is_flag = true;
  spec.set = [&field](const std::string&) { field = true; };
  spec.current = [&field] { return std::string(field ? "on" : "off"); };
  push(std::move(spec));
}

void OptionList::push_choice(std::string name, std::string help, std::string default_text,
                             std::vector<std::string> choices, std::function<void(const std::string&)> assign,
                             std::function<std::string()> current) {
  OptionSpec spec = make_spec(std::move(name), std::move(help), std::move(default_text), join(choices, "|"));
  spec.choices = choices;
  spec.set = [assign = std::move(assign), choices, option = spec.name](const std::string& text) {
    for (const std::string& choice : choices)
      if (choice == text) return assign(text);
    refuse(option, text, "one of " + join(choices, ", "));
  };
  spec.current = std::move(current);
  push(std::move(spec));
}

void OptionList::add_activation(Activation& field, const std::vector<Activation>& allowed) {
  std::vector<std::pair<std::string, Activation>> names;
  for (Activation activation : allowed) names.emplace_back(activation_name(activation), activation);
  add_choice("activation", "hidden-unit activation", field, std::move(names));
}

const OptionSpec* OptionList::find(std::string_view name) const {
  for (const OptionSpec& spec : specs_)
    if (spec.name == name) return &spec;
  return nullptr;
}

void OptionList::set(std::string_view name, const std::string& text) const {
  const OptionSpec* spec = find(name);
  if (spec == nullptr) throw Error("unknown option --" + std::string(name));
  spec->set(text);
}

}  // namespace logp
