#include "logp/bench/step_outputs.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <vector>

#include "logp/core/error.hpp"

namespace logp::bench {

using nlohmann::json;

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string last_line(const std::string& text) {
  std::string line, last;
  std::istringstream lines(text);
  while (std::getline(lines, line)) {
    const size_t cr = line.find_last_of('\r');  // progress lines overwrite themselves with \r
    if (cr != std::string::npos) line = line.substr(cr + 1);
    if (line.find_first_not_of(" \t") != std::string::npos) last = line;
  }
  return last;
}

json read_training_log(const std::string& path) {
  json epochs = json::array();
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const json epoch = json::parse(line, nullptr, false);
    if (epoch.is_object()) epochs.push_back(epoch);  // skips blank and torn lines
  }
  return epochs;
}

json read_roc(const std::string& path) {
  std::ifstream in(path);
  require(static_cast<bool>(in), path + ": the anomaly step wrote no ROC curve");
  std::string header;
  std::getline(in, header);
  std::vector<std::string> columns;
  std::stringstream names(header);
  for (std::string name; std::getline(names, name, ',');) columns.push_back(name);
  const auto column = [&](const std::string& name) {
    for (size_t i = 0; i < columns.size(); ++i)
      if (columns[i] == name) return i;
    throw Error(path + ": no column \"" + name + "\" in the header \"" + header + "\"");
  };
  const size_t fpr_column = column("fpr"), tpr_column = column("tpr");
  std::vector<double> fpr, tpr;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    std::vector<std::string> fields;
    std::stringstream cells(line);
    for (std::string cell; std::getline(cells, cell, ',');) fields.push_back(cell);
    require(fields.size() == columns.size(), path + ": line \"" + line + "\" does not match the header");
    fpr.push_back(std::stod(fields[fpr_column]));
    tpr.push_back(std::stod(fields[tpr_column]));
  }
  require(!fpr.empty(), path + ": the ROC curve has no points");
  json curve = {{"points_in_file", fpr.size()}, {"fpr", json::array()}, {"tpr", json::array()}};
  const size_t kept = std::min(fpr.size(), kRocPointsInReport);
  for (size_t i = 0; i < kept; ++i) {
    const size_t at = kept == 1 ? 0 : (i * (fpr.size() - 1) + (kept - 1) / 2) / (kept - 1);
    curve["fpr"].push_back(fpr[at]);
    curve["tpr"].push_back(tpr[at]);
  }
  return curve;
}

}  // namespace logp::bench
