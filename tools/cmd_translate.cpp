// logp translate: the images of a split translated into another class by an image-to-image model
// (the Translator capability: cyclegan, stargan), written as a logp dataset file (split "samples": the
// translations, labelled with the target class; split "inputs": the images translated, with
// their labels, column j of one paired with column j of the other) and optionally a PNG grid of
// input / translation pairs. Also reports the mean cycle reconstruction error: each translation
// translated back into its source class, against its input.
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/model_file.hpp"
#include "logp/io/png.hpp"
#include "logp/models/translator.hpp"

namespace logp::cli {
namespace {

constexpr Index kGridPairs = 32;

struct TranslateOptions {
  std::string model;
  std::string data;
  std::string split = "test";
  std::string to;
  std::string out;
  std::string png;
  Index n = 0;  // translate the first n source images only (0: all)
  std::uint64_t seed = 0;
  Index columns = 8;
};

// x: [D, n] -> rows example-major, in the spec's storage type.
void add_split(DatasetWriter& writer, const std::string& name, const Matrix& x, const DataSpec& spec,
               const std::vector<std::int64_t>& labels) {
  if (spec.is_discrete()) {
    const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> bytes = x.cast<std::uint8_t>();
    writer.add_split(name, std::vector<std::uint8_t>(bytes.data(), bytes.data() + bytes.size()), labels);
  } else {
    writer.add_split(name, std::vector<float>(x.data(), x.data() + x.size()), labels);
  }
}

// Mean |a - b| per value in the models' training units ([-1, 1] for L-level data: 2/(L-1) per level).
double mean_l1(const Matrix& a, const Matrix& b, const DataSpec& spec) {
  const double unit = spec.is_discrete() ? 2.0 / static_cast<double>(spec.levels - 1) : 1.0;
  return unit * (a - b).cwiseAbs().cast<double>().mean();
}

// Column j of `inputs`, then column j of `outputs`, for the first `pairs` columns.
Matrix interleave(const Matrix& inputs, const Matrix& outputs, Index pairs) {
  Matrix grid(inputs.rows(), 2 * pairs);
  for (Index j = 0; j < pairs; ++j) {
    grid.col(2 * j) = inputs.col(j);
    grid.col(2 * j + 1) = outputs.col(j);
  }
  return grid;
}

void run_translate(const TranslateOptions& options, const GlobalOptions& global) {
  refuse_outputs_over_inputs({{"--model", options.model}, {"--data", options.data}},
                             {{"--out", options.out}, {"--png", options.png}});
  const std::unique_ptr<Model> model = load_model(options.model);
  const auto* translator = dynamic_cast<const Translator*>(model.get());
  if (translator == nullptr)
    throw Error(options.model + ": a " + std::string(model->type()) +
                " model does not translate images (translate takes an image-to-image model, e.g. cyclegan)");
  Index target = -1;
  try {
    target = translator->target_class(options.to);
  } catch (const Error& e) {
    throw UsageError(e.what());
  }
  const DatasetSplit data = DatasetSplit::open(options.data, options.split);
  const DataSpec& spec = model->data_spec();
  spec.check_accepts(data.spec(), data.where());
  if (!data.has_labels()) throw Error(data.where() + ": has no labels (y) to find the images of the source class");
  const std::vector<std::int64_t> labels = data.read_labels();
  std::vector<Index> sources;
  std::vector<std::int64_t> source_labels;
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (translator->translates(labels[i], target) && (options.n == 0 || static_cast<Index>(sources.size()) < options.n)) {
      sources.push_back(static_cast<Index>(i));
      source_labels.push_back(labels[i]);
    }
  if (sources.empty())
    throw Error(data.where() + ": has no example of a class that " + options.model + " translates into class " +
                std::to_string(target));
  const Matrix all = data.read_all();
  Matrix inputs(spec.dim, static_cast<Index>(sources.size()));
  for (std::size_t k = 0; k < sources.size(); ++k) inputs.col(static_cast<Index>(k)) = all.col(sources[k]);
  Rng rng(options.seed);
  const Matrix outputs = translator->translate(inputs, target, rng);
  // Back into each source class (a CycleGAN's sources are one class; in general several).
  Matrix back(spec.dim, outputs.cols());
  std::map<std::int64_t, std::vector<Index>> by_source;
  for (std::size_t k = 0; k < source_labels.size(); ++k) by_source[source_labels[k]].push_back(static_cast<Index>(k));
  for (const auto& [label, columns] : by_source) {
    Matrix group(spec.dim, static_cast<Index>(columns.size()));
    for (std::size_t k = 0; k < columns.size(); ++k) group.col(static_cast<Index>(k)) = outputs.col(columns[k]);
    Rng back_rng = Rng(options.seed).split(static_cast<std::uint64_t>(label));
    const Matrix translated = translator->translate(group, label, back_rng);
    for (std::size_t k = 0; k < columns.size(); ++k) back.col(columns[k]) = translated.col(static_cast<Index>(k));
  }
  const double cycle_l1 = mean_l1(back, inputs, spec);
  DatasetWriter writer(options.out, spec,
                       {{"source", "logp translate of " + data.where() + " by " + options.model + " into class " +
                                       std::to_string(target)},
                        {"created_by", command_line()}});
  add_split(writer, "samples", outputs, spec, std::vector<std::int64_t>(sources.size(), target));
  add_split(writer, "inputs", inputs, spec, source_labels);
  writer.commit();
  if (!options.png.empty())
    write_png_grid(options.png, interleave(inputs, outputs, std::min(kGridPairs, inputs.cols())), spec, options.columns);
  if (global.json) {
    std::cout << nlohmann::json{{"model", options.model},   {"data", data.where()},       {"to", options.to},
                                {"target_class", target},   {"n", inputs.cols()},         {"seed", options.seed},
                                {"cycle_l1", cycle_l1},     {"out", options.out},         {"png", options.png}}
                     .dump(2)
              << "\n";
  } else {
    std::cout << "translated " << inputs.cols() << " images of " << data.where() << " into class " << target
              << "; mean cycle L1 " << fixed(cycle_l1, 4) << " per pixel ([-1, 1] units)\n"
              << "wrote " << options.out << " (split 'samples': the translations; 'inputs': the images translated)\n";
    if (!options.png.empty()) std::cout << "wrote " << options.png << " (input, translation pairs)\n";
  }
}

}  // namespace

void add_translate_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<TranslateOptions>();
  CLI::App* cmd = app.add_subcommand("translate", "translate images into another class (image-to-image models: cyclegan, stargan)");
  cmd->add_option("--model", options->model, "model file")->required();
  cmd->add_option("--data", options->data, "labelled logp dataset file")->required();
  cmd->add_option("--split", options->split, "the split whose images are translated")->capture_default_str();
  cmd->add_option("--to", options->to, "target: A or B (cyclegan's domains) or a class number (stargan)")->required();
  cmd->add_option("--out", options->out, "logp dataset file: splits 'samples' (translations) and 'inputs'")->required();
  cmd->add_option("--png", options->png, "PNG grid of the first 32 (input, translation) pairs");
  cmd->add_option("--columns", options->columns, "tiles per row of the grid (two per pair)")
      ->capture_default_str()
      ->check(positive_integer());
  cmd->add_option("-n", options->n, "translate the first n images of the source classes (0: all)")
      ->capture_default_str()
      ->check(non_negative_integer());
  cmd->add_option("--seed", options->seed, "random seed (binary data: the pixels' draws)")->capture_default_str();
  commands.push_back({cmd, [options, &global] { run_translate(*options, global); }});
}

}  // namespace logp::cli
