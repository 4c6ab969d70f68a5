#include "logp/eval/score_file.hpp"

#include <fstream>
#include <iomanip>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"

namespace logp {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_csv(const std::string& path) { return ends_with(path, ".csv"); }
bool is_h5(const std::string& path) { return ends_with(path, ".h5") || ends_with(path, ".hdf5"); }

ExampleValues log_probs_named(const std::string& name, LikelihoodKind kind, const std::vector<double>& values) {
  return {name, value_kind(kind), "nats", Eigen::Map<const Vector>(values.data(), static_cast<Index>(values.size()))};
}

ScoreFile read_csv_scores(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot open score file");
  std::string header;
  std::getline(in, header);
  if (!header.empty() && header.back() == '\r') header.pop_back();
  const size_t comma = header.find(',');
  if (header.rfind("index,", 0) != 0 || header.find(',', comma + 1) != std::string::npos)
    throw Error(path + ": expected the header 'index,<value>' of `logp score --out`, got '" + header + "'");
  const std::string name = header.substr(comma + 1);
  const LikelihoodKind kind = likelihood_kind_of_value_name(name, path);
  std::vector<double> values;
  std::string line;
  for (Index row = 0; std::getline(in, line); ++row) {
    if (line.empty() || line == "\r") continue;
    std::istringstream fields(line);
    Index index = -1;
    char separator = 0;
    double value = 0.0;
    if (!(fields >> index >> separator >> value) || separator != ',')
      throw Error(path + ": line " + std::to_string(row + 2) + " is not 'index,value': '" + line + "'");
    if (index != row)
      throw Error(path + ": line " + std::to_string(row + 2) + " has index " + std::to_string(index) + ", expected " +
                  std::to_string(row) + " (rows must be examples 0..N-1 in order)");
    values.push_back(value);
  }
  if (values.empty()) throw Error(path + ": no per-example values after the header");
  return {path, "", log_probs_named(name, kind, values)};
}

ScoreFile read_h5_scores(const std::string& path) {
  const H5File h5 = H5File::open(path);
  const H5Group root = h5.root();
  std::vector<std::string> candidates;
  for (const std::string& name : root.children())
    if (root.has_attr(name, "likelihood_kind")) candidates.push_back(name);
  if (candidates.size() != 1)
    throw Error(path + ": expected one dataset with a likelihood_kind attribute (from `logp score --out`), found " +
                std::to_string(candidates.size()));
  const std::string& name = candidates.front();
  const std::string kind_text = root.attr_string(name, "likelihood_kind");
  LikelihoodKind kind = LikelihoodKind::exact;
  if (kind_text == "exact") kind = LikelihoodKind::exact;
  else if (kind_text == "lower bound" || kind_text == "lower_bound") kind = LikelihoodKind::lower_bound;
  else if (kind_text == "estimate") kind = LikelihoodKind::estimate;
  else throw Error(root.where(name) + ": unknown likelihood_kind '" + kind_text + "'");
  const std::string data = root.has_attr(name, "data") ? root.attr_string(name, "data") : "";
  const std::vector<double> values = root.read<double>(name);
  if (values.empty()) throw Error(root.where(name) + ": no per-example values");
  return {path, data, log_probs_named(name, kind, values)};
}

}  // namespace

LikelihoodKind likelihood_kind_of_value_name(const std::string& value_name, const std::string& where) {
  if (value_name == "log_prob") return LikelihoodKind::exact;
  if (value_name == "elbo") return LikelihoodKind::lower_bound;
  if (value_name.rfind("iwae", 0) == 0) return LikelihoodKind::estimate;
  throw Error(where + ": unknown per-example value '" + value_name + "' (expected log_prob, elbo or iwae...)");
}

ScoreFile read_score_file(const std::string& path) {
  if (is_csv(path)) return read_csv_scores(path);
  if (is_h5(path)) return read_h5_scores(path);
  throw Error(path + ": score files are .csv or .h5 (from `logp score --out`)");
}

bool is_score_file_name(const std::string& path) { return is_csv(path) || is_h5(path); }

FileAttributes score_file_attributes(const ExampleValues& values, const std::string& model_path,
                                     const std::string& data_where) {
  return {{"likelihood_kind", std::string(to_string(values.kind))}, {"model", model_path}, {"data", data_where}};
}

void write_score_file(const std::string& path, const std::vector<ExampleValues>& columns,
                      const FileAttributes& attributes) {
  require(!columns.empty(), path + ": no columns to write");
  const Index n = columns.front().values.size();
  for (const ExampleValues& c : columns)
    require(c.values.size() == n, path + ": column " + c.name + " has " + std::to_string(c.values.size()) +
                                      " values, expected " + std::to_string(n));
  if (!is_score_file_name(path)) throw Error(path + ": give a .csv or .h5 file name");
  AtomicOutput output(path);
  if (is_csv(path)) {
    std::ofstream out(output.temp_path());
    if (!out) throw Error(path + ": cannot open for writing");
    out << "index";
    for (const ExampleValues& c : columns) out << "," << c.name;
    out << "\n" << std::setprecision(17);
    for (Index i = 0; i < n; ++i) {
      out << i;
      for (const ExampleValues& c : columns) out << "," << c.values(i);
      out << "\n";
    }
    out.close();
    if (!out) throw Error(path + ": write failed (disk full?)");
  } else {
    const H5File file = H5File::create(output.temp_path());
    const H5Group root = file.root();
    for (const ExampleValues& c : columns) {
      root.write<double>(c.name, {static_cast<std::uint64_t>(n)}, c.values.data());
      root.set_attr(c.name, "units", c.unit);
      for (const auto& [key, value] : attributes) root.set_attr(c.name, key, value);
    }
    file.flush();
  }
  output.commit();
}

}  // namespace logp
