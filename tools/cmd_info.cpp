// logp info: what a dataset or model file holds.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/h5.hpp"
#include "logp/io/model_file.hpp"

namespace logp::cli {
namespace {

nlohmann::json describe_model(const std::string& path) {
  const std::unique_ptr<Model> model = load_model(path);
  const FitRecord fit = read_fit_record(path);
  nlohmann::json out = {{"file", path},
                        {"format", "logp-model"},
                        {"type", model->type()},
                        {"hyperparameters", model->hyperparameters()},
                        {"parameters", model->num_parameters()},
                        {"data", model->data_spec().describe()},
                        {"fit", {{"data_file", fit.data_file}, {"split", fit.split}, {"examples", fit.examples},
                                 {"seconds", fit.seconds}, {"command", fit.command}, {"created", fit.created}}}};
  if (const auto* density = dynamic_cast<const DensityModel*>(model.get()))
    out["likelihood_kind"] = to_string(density->likelihood_kind());
  return out;
}

nlohmann::json describe_dataset(const std::string& path) {
  nlohmann::json splits = nlohmann::json::object();
  for (const std::string& name : list_splits(path)) {
    const DatasetSplit split = DatasetSplit::open(path, name);
    splits[name] = {{"n", split.size()}, {"data", split.spec().describe()}, {"labels", split.has_labels()},
                    {"provenance", split.provenance()}};
  }
  return {{"file", path}, {"format", "logp-dataset"}, {"splits", splits}};
}

void print_human(const nlohmann::json& info) {
  std::cout << info["file"].get<std::string>() << ": " << info["format"].get<std::string>() << "\n";
  if (info["format"] == "logp-model") {
    std::cout << "  type            " << info["type"].get<std::string>() << " (" << info["hyperparameters"].get<std::string>() << ")\n"
              << "  parameters      " << info["parameters"] << "\n"
              << "  data            " << info["data"].get<std::string>() << "\n";
    if (info.contains("likelihood_kind"))
      std::cout << "  likelihood      " << info["likelihood_kind"].get<std::string>() << "\n";
    const nlohmann::json& fit = info["fit"];
    std::cout << "  fitted on       " << fit["data_file"].get<std::string>() << ":/" << fit["split"].get<std::string>()
              << " (" << fit["examples"] << " examples, " << fixed(fit["seconds"].get<double>(), 2) << " s, "
              << fit["created"].get<std::string>() << ")\n"
              << "  command         " << fit["command"].get<std::string>() << "\n";
    return;
  }
  for (const auto& [name, split] : info["splits"].items()) {
    std::cout << "  /" << name << "  N=" << split["n"] << "  " << split["data"].get<std::string>()
              << (split["labels"].get<bool>() ? "  with labels" : "") << "\n";
    for (const auto& [key, value] : split["provenance"].items())
      std::cout << "      " << key << ": " << value.get<std::string>() << "\n";
  }
}

}  // namespace

void add_info_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto path = std::make_shared<std::string>();
  CLI::App* info = app.add_subcommand("info", "what a dataset or model file holds");
  info->add_option("file", *path, "a logp dataset or model file")->required();
  commands.push_back({info, [path, &global] {
                        const H5Group root = H5File::open(*path).root();
                        const bool is_model = root.has_attr("format") && root.attr_string("format") == "logp-model";
                        const nlohmann::json out = is_model ? describe_model(*path) : describe_dataset(*path);
                        if (global.json)
                          std::cout << out.dump(2) << "\n";
                        else
                          print_human(out);
                      }});
}

}  // namespace logp::cli
