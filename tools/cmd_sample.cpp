// logp sample: draw examples from a model; a PNG grid for images and/or a logp dataset file.
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/model_file.hpp"
#include "logp/io/png.hpp"
#include "logp/models/conditional_sampler.hpp"

namespace logp::cli {
namespace {

struct SampleOptions {
  std::string model;
  Index n = 64;
  std::uint64_t seed = 0;
  std::string png;
  std::string out;
  Index columns = 8;
  std::string text;   // a description (conditional models)
  Index label = -1;   // a class (conditional models); -1: none
};

// The samples: of the given text or label when one is given (a ConditionalSampler), else plain.
Matrix draw_samples(const SampleOptions& options, const Model& model, Rng& rng) {
  if (options.text.empty() && options.label < 0) return model.sample(options.n, rng);
  const auto* conditional = dynamic_cast<const ConditionalSampler*>(&model);
  if (conditional == nullptr)
    throw Error(options.model + ": a " + std::string(model.type()) +
                " model is not conditional; --text and --label need one (e.g. cgan)");
  if (!options.text.empty()) return conditional->sample_text(options.text, options.n, rng);
  if (options.label >= conditional->classes())
    throw UsageError("--label " + std::to_string(options.label) + ": " + options.model + " has classes 0.." +
                     std::to_string(conditional->classes() - 1));
  return conditional->sample_label(options.label, options.n, rng);
}

// Samples as a logp dataset file with one split, "samples", so they can be scored like data.
void write_samples(const std::string& path, const Matrix& x, const Model& model, const std::string& model_path) {
  const DataSpec& spec = model.data_spec();
  DatasetWriter writer(path, spec, {{"source", "logp sample from " + model_path}, {"created_by", command_line()}});
  if (spec.is_discrete()) {
    const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> bytes = x.cast<std::uint8_t>();
    writer.add_split("samples", std::vector<std::uint8_t>(bytes.data(), bytes.data() + bytes.size()), {});
  } else {
    writer.add_split("samples", std::vector<float>(x.data(), x.data() + x.size()), {});
  }
  writer.commit();
}

void run_sample(const SampleOptions& options, const GlobalOptions& global) {
  if (options.png.empty() && options.out.empty()) throw UsageError("give --png FILE and/or --out FILE for the samples");
  refuse_outputs_over_inputs({{"--model", options.model}}, {{"--png", options.png}, {"--out", options.out}});
  const std::unique_ptr<Model> model = load_model(options.model);
  Rng rng(options.seed);
  const Matrix x = draw_samples(options, *model, rng);
  if (!options.png.empty()) write_png_grid(options.png, x, model->data_spec(), options.columns);
  if (!options.out.empty()) write_samples(options.out, x, *model, options.model);
  if (global.json) {
    nlohmann::json report{{"model", options.model}, {"n", options.n}, {"seed", options.seed},
                          {"png", options.png},     {"out", options.out}};
    if (!options.text.empty()) report["text"] = options.text;
    if (options.label >= 0) report["label"] = options.label;
    std::cout << report.dump(2) << "\n";
  } else {
    std::cout << "drew " << options.n << " samples from " << options.model << " (seed " << options.seed << ")\n";
    if (!options.png.empty()) std::cout << "wrote " << options.png << "\n";
    if (!options.out.empty()) std::cout << "wrote " << options.out << " (split 'samples')\n";
  }
}

}  // namespace

void add_sample_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<SampleOptions>();
  CLI::App* sample = app.add_subcommand("sample", "draw examples from a model");
  sample->add_option("--model", options->model, "model file")->required();
  sample->add_option("-n", options->n, "number of samples")->capture_default_str()->check(positive_integer());
  sample->add_option("--seed", options->seed, "random seed")->capture_default_str();
  sample->add_option("--png", options->png, "PNG grid of the samples (image data)");
  sample->add_option("--columns", options->columns, "tiles per row of the grid")->capture_default_str()->check(positive_integer());
  sample->add_option("--out", options->out, "logp dataset file with a 'samples' split");
  auto* text = sample->add_option("--text", options->text, "conditional models (cgan): samples of this description");
  sample->add_option("--label", options->label, "conditional models (cgan): samples of this class")
      ->check(CLI::NonNegativeNumber)
      ->excludes(text);
  commands.push_back({sample, [options, &global] { run_sample(*options, global); }});
}

}  // namespace logp::cli
