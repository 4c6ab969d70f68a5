// logp data: make logp dataset files from real data.
//   logp data fashion-mnist: Debian's Fashion-MNIST IDX files -> logp dataset files.
//   logp data import:        CSV, NPY or IDX files -> a logp dataset file (cmd_data_import.cpp).
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "logp/data/fashion_mnist.hpp"

namespace logp::cli {

void add_data_commands(CLI::App& app, Commands& commands, const GlobalOptions& global) {
  CLI::App* data = app.add_subcommand("data", "make logp dataset files from real data");
  data->require_subcommand(1);

  struct FashionOptions {
    std::string out = "data";
    std::string source = kFashionMnistDebianDir;
  };
  auto options = std::make_shared<FashionOptions>();
  CLI::App* fashion = data->add_subcommand(
      "fashion-mnist", "Fashion-MNIST (Debian's dataset-fashion-mnist) -> 8-bit and binarized (x >= 128) files");
  fashion->add_option("--out", options->out, "output directory")->capture_default_str();
  fashion->add_option("--source", options->source, "directory with the four IDX files")->capture_default_str();
  commands.push_back({fashion, [options, &global] {
                        FileArguments sources;
                        for (const std::string& path : fashion_mnist_sources(options->source))
                          sources.push_back({"--source", path});
                        const FashionMnistFiles outputs = fashion_mnist_files(options->out);
                        refuse_outputs_over_inputs(sources, {{"--out", outputs.eight_bit}, {"--out", outputs.binary}});
                        const FashionMnistFiles files = write_fashion_mnist(options->source, options->out);
                        if (global.json) {
                          std::cout << nlohmann::json{{"eight_bit", files.eight_bit}, {"binary", files.binary}}.dump(2)
                                    << "\n";
                        } else {
                          std::cout << "wrote " << files.eight_bit << " (categorical, 256 levels)\n"
                                    << "wrote " << files.binary << " (binary, pixel >= 128)\n";
                        }
                      }});

  add_data_import_command(*data, commands, global);
  add_data_transform_commands(*data, commands, global);
}

}  // namespace logp::cli
