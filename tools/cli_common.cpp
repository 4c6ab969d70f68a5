#include <charconv>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/core/text.hpp"
#include "logp/io/same_file.hpp"

namespace logp::cli {
namespace {
std::string& stored_command_line() {
  static std::string line;
  return line;
}

// The text as a whole 64-bit integer, or false.
bool parse_integer(const std::string& text, std::int64_t& value) {
  const char* first = text.data();
  if (!text.empty() && text.front() == '+') ++first;
  const auto [end, ec] = std::from_chars(first, text.data() + text.size(), value);
  return ec == std::errc() && end == text.data() + text.size() && first != end;
}

// The text as a whole finite number, or false.
bool parse_finite(const std::string& text, double& value) {
  std::istringstream in(text);
  in >> value;
  return !in.fail() && in.peek() == std::char_traits<char>::eof() && std::isfinite(value);
}

CLI::Validator integer_at_least(std::int64_t low, const std::string& what, const std::string& name) {
  return CLI::Validator(
      [low, what](std::string& text) -> std::string {
        std::int64_t value = 0;
        if (!parse_integer(text, value)) {
          const bool digits = !text.empty() && text.find_first_not_of("+-0123456789") == std::string::npos;
          return "'" + excerpt(text) + "' is not " + what + (digits ? " (too large)" : "");
        }
        if (value < low) return excerpt(text) + " is not " + what;
        return "";
      },
      name);
}

std::string short_number(double value) {
  std::ostringstream out;
  out << std::setprecision(6) << value;
  return out.str();
}

}  // namespace

const std::string& command_line() { return stored_command_line(); }

void set_command_line(int argc, char** argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) line += (i ? " " : "") + std::string(argv[i]);
  stored_command_line() = line;
}

std::string fixed(double value, int decimals) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(decimals) << value;
  return out.str();
}

std::string plus_minus(double mean, double std_error, int decimals) {
  return fixed(mean, decimals) + " ± " + (std::isnan(std_error) ? std::string("n/a") : fixed(std_error, decimals));
}

void refuse_outputs_over_inputs(const FileArguments& inputs, const FileArguments& outputs) {
  const auto named = [](const FileArgument& a) { return a.option + " " + a.path; };
  for (size_t k = 0; k < outputs.size(); ++k) {
    const FileArgument& out = outputs[k];
    if (out.path.empty()) continue;
    for (const FileArgument& in : inputs)
      if (same_file(out.path, in.path))
        throw UsageError(named(out) + " is the same file as " + named(in) +
                         "; an output never replaces an input: give another name");
    for (size_t j = 0; j < k; ++j)
      if (same_file(out.path, outputs[j].path))
        throw UsageError(named(out) + " is the same file as " + named(outputs[j]) +
                         "; give each output its own name");
  }
}

CLI::Validator positive_integer() { return integer_at_least(1, "a positive integer", "INT>0"); }
CLI::Validator non_negative_integer() { return integer_at_least(0, "a non-negative integer", "INT>=0"); }

CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        double value = 0;
        if (!parse_finite(text, value) || value <= 0) return "'" + excerpt(text) + "' is not a positive number";
        return "";
      },
      "NUMBER>0");
}

CLI::Validator number_between(double low, double high) {
  const std::string range = short_number(low) + ".." + short_number(high);
  return CLI::Validator(
      [low, high, range](std::string& text) -> std::string {
        double value = 0;
        if (!parse_finite(text, value) || value < low || value > high)
          return "'" + excerpt(text) + "' is not a number in " + range;
        return "";
      },
      "NUMBER in " + range);
}

namespace {
bool g_quiet = false;
}

void write_text_file(const std::string& path, const std::string& text) {
  AtomicOutput output(path);
  {
    std::ofstream out(output.temp_path());
    out << text;
    if (!out) throw Error(path + ": write failed (disk full?)");
  }
  output.commit();
}

void set_quiet(bool quiet) { g_quiet = quiet; }

std::ostream& notes() {
  static std::ostream discard(nullptr);  // no buffer: every write fails silently
  return g_quiet ? discard : std::cerr;
}

}  // namespace logp::cli
