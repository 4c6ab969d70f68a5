#pragma once
// A model's options, declared once. Each option binds a name (as on the command line, without
// the dashes), a help line and a field of the library's options struct; the field's value at
// declaration is the default, so the command line, the Python module and the library cannot
// disagree about defaults. Values are set from text (the CLI's and Python's common ground) and
// checked on the way in; an error names the option and the value.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "logp/core/types.hpp"
#include "logp/nn/activation.hpp"

namespace logp {

// What a numeric option accepts.
enum class Range { any, positive, non_negative, probability /* [0, 1) */ };

struct OptionSpec {
  std::string name;                   // "hidden"
  std::string help;                   // one line
  std::string default_text;           // the library's default, as text ("" for none)
  std::string type_name;              // "INT", "FLOAT", "TEXT", "LIST", or "a|b|c" for choices
  bool is_flag = false;               // takes no value; set("") turns it on
  std::vector<std::string> choices;   // empty: any text
  std::function<void(const std::string& text)> set;  // parses and checks; throws logp::Error
  std::function<std::string()> current;              // the value now, as text
};

class OptionList {
 public:
  void add(std::string name, std::string help, int& field, Range range = Range::any);
  void add(std::string name, std::string help, Index& field, Range range = Range::any);
  void add(std::string name, std::string help, std::uint64_t& field);
  void add(std::string name, std::string help, double& field, Range range = Range::any);
  void add(std::string name, std::string help, std::string& field, std::vector<std::string> choices = {});
  void add(std::string name, std::string help, std::vector<Index>& field);  // "500,500", each > 0
  void add_flag(std::string name, std::string help, bool& field);

  // --activation limited to `allowed` (nn/activation.hpp).
  void add_activation(Activation& field, const std::vector<Activation>& allowed);

  // An enum field shown as text: names lists every value with its text.
  template <class Enum>
  void add_choice(std::string name, std::string help, Enum& field,
                  std::vector<std::pair<std::string, Enum>> names);

  // Adds every option of `other` (whose fields must outlive this list), e.g. a component's
  // declared options inside a model's (geom declares the feature network's).
  void append(const OptionList& other);

  const std::vector<OptionSpec>& specs() const { return specs_; }
  const OptionSpec* find(std::string_view name) const;
  // Sets an option by name; throws logp::Error naming it if unknown or the text is bad.
  void set(std::string_view name, const std::string& text) const;

 private:
  void push(OptionSpec spec);
  // A text option limited to `choices`: `assign` runs only for one of them.
  void push_choice(std::string name, std::string help, std::string default_text, std::vector<std::string> choices,
                   std::function<void(const std::string&)> assign, std::function<std::string()> current);
  std::vector<OptionSpec> specs_;
};

template <class Enum>
void OptionList::add_choice(std::string name, std::string help, Enum& field,
                            std::vector<std::pair<std::string, Enum>> names) {
  const auto text_of = [names](Enum value) {
    for (const auto& [text, member] : names)
      if (member == value) return text;
    return std::string();
  };
  std::vector<std::string> choices;
  for (const auto& entry : names) choices.push_back(entry.first);
  push_choice(std::move(name), std::move(help), text_of(field), std::move(choices),
              [&field, names](const std::string& value) {
                for (const auto& [text, member] : names)
                  if (text == value) field = member;
              },
              [&field, text_of] { return text_of(field); });
}

}  // namespace logp
