// logp complete: whole images from K random patches of each (a PatchCompleter: part2whole), or
// from the nearest training image on the patches' pixels (--nearest, the baseline). Writes a logp
// dataset file with the splits "completed" (the whole images) and "mask" (1 on the given pixels),
// and prints the completion error against the originals inside and outside the patches.
#include <iomanip>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/data/dataset_writer.hpp"
#include "logp/io/model_file.hpp"
#include "logp/io/png.hpp"
#include "logp/models/gan/patch_masks.hpp"
#include "logp/models/patch_completer.hpp"

namespace logp::cli {
namespace {

struct CompleteOptions {
  std::string model;
  std::string data;
  std::string split = "test";
  Index n = 0;            // the first n examples of the split (0: all)
  Index patches = 3;
  Index patch_size = 0;   // 0: the model's
  std::uint64_t seed = 0;
  bool nearest = false;   // the baseline: the nearest example of the data's train split
  std::string out;
  std::string png;
  Index columns = 8;
};

// Mean absolute and squared error per value, inside and outside the mask, in units of the data's
// range (levels - 1 for discrete data, 1 for real data).
struct CompletionError {
  double inside_l1 = 0, inside_mse = 0, outside_l1 = 0, outside_mse = 0;
};

CompletionError completion_error(const Matrix& completed, const Matrix& original, const Matrix& mask, double range) {
  double sums[2][2] = {{0, 0}, {0, 0}}, counts[2] = {0, 0};
  for (Index j = 0; j < original.cols(); ++j)
    for (Index i = 0; i < original.rows(); ++i) {
      const int in = mask(i, j) > 0.5f ? 0 : 1;
      const double d = (static_cast<double>(completed(i, j)) - original(i, j)) / range;
      sums[in][0] += std::abs(d);
      sums[in][1] += d * d;
      counts[in] += 1;
    }
  const auto mean = [&](int in, int k) { return counts[in] > 0 ? sums[in][k] / counts[in] : 0.0; };
  return {mean(0, 0), mean(0, 1), mean(1, 0), mean(1, 1)};
}

// For each column of x: the example of train nearest to it (squared distance) on its mask's values.
Matrix nearest_on_mask(const Matrix& x, const Matrix& mask, const DatasetSplit& train) {
  Matrix best(x.rows(), x.cols());
  std::vector<double> best_distance(static_cast<std::size_t>(x.cols()), std::numeric_limits<double>::infinity());
  const MatrixD m = mask.cast<double>(), mx = mask.cwiseProduct(x).cast<double>();
  const Eigen::VectorXd mxx = (mx.cwiseProduct(x.cast<double>())).colwise().sum().transpose();
  for_each_batch(train, 4096, [&](Index, const Matrix& batch) {
    const MatrixD t = batch.cast<double>();
    // |m (x - t)|^2 = m.x^2 - 2 (m x).t + m.t^2, for every pair: [n, B].
    const MatrixD cross = mx.transpose() * t, squares = m.transpose() * t.cwiseProduct(t);
    for (Index b = 0; b < t.cols(); ++b)
      for (Index j = 0; j < x.cols(); ++j) {
        const double d = mxx(j) - 2.0 * cross(j, b) + squares(j, b);
        if (d < best_distance[static_cast<std::size_t>(j)]) {
          best_distance[static_cast<std::size_t>(j)] = d;
          best.col(j) = batch.col(b);
        }
      }
  });
  return best;
}

void write_completions(const std::string& path, const Matrix& completed, const Matrix& mask, const DataSpec& spec,
                       const std::string& source) {
  DatasetWriter writer(path, spec, {{"source", source}, {"created_by", command_line()}});
  // D x N column-major is the N x D row-major the writer takes.
  for (const auto& [name, x] : {std::pair<std::string, const Matrix*>{"completed", &completed}, {"mask", &mask}}) {
    if (spec.is_discrete()) {
      const Eigen::Matrix<std::uint8_t, Eigen::Dynamic, Eigen::Dynamic> bytes = x->cast<std::uint8_t>();
      writer.add_split(name, std::vector<std::uint8_t>(bytes.data(), bytes.data() + bytes.size()), {});
    } else {
      writer.add_split(name, std::vector<float>(x->data(), x->data() + x->size()), {});
    }
  }
  writer.commit();
}

void run_complete(const CompleteOptions& options, const GlobalOptions& global) {
  if (options.nearest == !options.model.empty())
    throw UsageError("give --model FILE (a part2whole model) or --nearest (the baseline), not both");
  refuse_outputs_over_inputs({{"--model", options.model}, {"--data", options.data}},
                             {{"--out", options.out}, {"--png", options.png}});
  const DatasetSplit data = DatasetSplit::open(options.data, options.split);
  std::unique_ptr<Model> model;
  const PatchCompleter* completer = nullptr;
  if (!options.nearest) {
    model = load_model(options.model);
    completer = dynamic_cast<const PatchCompleter*>(model.get());
    if (completer == nullptr)
      throw Error(options.model + ": a " + std::string(model->type()) +
                  " model does not complete images from patches (complete takes a part2whole model)");
    model->data_spec().check_accepts(data.spec(), data.where());
  }
  const Index size = options.patch_size > 0 ? options.patch_size : (completer ? completer->patch_size() : 7);
  const Index n = options.n > 0 ? std::min(options.n, data.size()) : data.size();
  const Matrix x = data.read(0, n);
  const Matrix mask = draw_patch_masks(data.spec(), n, options.patches, size, Rng(options.seed).split(0x4D41534BULL));
  Matrix completed;
  if (completer != nullptr) {
    Rng rng(options.seed);
    completed = completer->complete(x, mask, rng);
  } else {
    completed = nearest_on_mask(x, mask, DatasetSplit::open(options.data, "train"));
  }
  const double range = data.spec().is_discrete() ? data.spec().levels - 1.0 : 1.0;
  const CompletionError e = completion_error(completed, x, mask, range);
  const std::string source = options.nearest ? "nearest training example on the patches" : options.model;
  if (!options.out.empty()) write_completions(options.out, completed, mask, data.spec(), "logp complete by " + source);
  if (!options.png.empty()) {
    // Rows of `columns`: the given patches (grey elsewhere), then the completions, then the originals.
    const Index c = std::min(options.columns, n);
    const float grey = data.spec().is_discrete() ? std::round(static_cast<float>(range) / 2.0f) : 0.0f;
    Matrix grid(x.rows(), 3 * c);
    grid.leftCols(c) = (x.leftCols(c).array() * mask.leftCols(c).array() +
                        grey * (1.0f - mask.leftCols(c).array())).matrix();
    grid.middleCols(c, c) = completed.leftCols(c);
    grid.rightCols(c) = x.leftCols(c);
    write_png_grid(options.png, grid, data.spec(), c);
  }
  if (global.json) {
    nlohmann::json report{{"completer", source},        {"data", data.where()},       {"n", n},
                          {"patches", options.patches}, {"patch_size", size},         {"seed", options.seed},
                          {"inside_l1", e.inside_l1},   {"inside_mse", e.inside_mse}, {"outside_l1", e.outside_l1},
                          {"outside_mse", e.outside_mse}, {"out", options.out},       {"png", options.png}};
    std::cout << report.dump(2) << "\n";
  } else {
    std::cout << std::fixed << std::setprecision(4) << "completed " << n << " examples of " << data.where() << " from "
              << options.patches << " patches of " << size << "x" << size << " (" << source << ", seed " << options.seed
              << ")\nerror per value (of the range): inside the patches L1 " << e.inside_l1 << ", MSE " << e.inside_mse
              << "; outside L1 " << e.outside_l1 << ", MSE " << e.outside_mse << "\n" << std::defaultfloat;
    if (!options.out.empty()) std::cout << "wrote " << options.out << " (splits 'completed', 'mask')\n";
    if (!options.png.empty()) std::cout << "wrote " << options.png << "\n";
  }
}

}  // namespace

void add_complete_command(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  auto options = std::make_shared<CompleteOptions>();
  CLI::App* complete = app.add_subcommand("complete", "whole images from K random patches of each (part2whole)");
  complete->add_option("--model", options->model, "a part2whole model file");
  complete->add_flag("--nearest", options->nearest,
                     "baseline: the nearest example of --data's train split on the patches' pixels");
  complete->add_option("--data", options->data, "dataset file")->required();
  complete->add_option("--split", options->split, "split to complete")->capture_default_str();
  complete->add_option("-n", options->n, "the first n examples (0: all)")->capture_default_str()->check(non_negative_integer());
  complete->add_option("--patches", options->patches, "K, patches given per image")->capture_default_str()->check(positive_integer());
  complete->add_option("--patch-size", options->patch_size, "patch side in pixels (default: the model's; 7 for --nearest)")
      ->check(positive_integer());
  complete->add_option("--seed", options->seed, "random seed (patch positions, latents)")->capture_default_str();
  complete->add_option("--out", options->out, "logp dataset file with splits 'completed' and 'mask'");
  complete->add_option("--png", options->png, "PNG grid: patches, completions, originals (one row each)");
  complete->add_option("--columns", options->columns, "examples in the grid")->capture_default_str()->check(positive_integer());
  commands.push_back({complete, [options, &global] { run_complete(*options, global); }});
}

}  // namespace logp::cli
