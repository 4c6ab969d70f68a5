// InfoGAN's categorical code against the classes, and its code grid (models/gan/infogan.hpp).
// A driver beside `logp`: the CLI's verbs are registered in tools/main.cpp, which this program
// leaves alone.
//
//   infogan_codes MODEL.h5 DATA.h5 [SPLIT=test] [GRID.png] [COLUMNS=10] [SEED=0]
// Prints the accuracy of Q's predicted code (argmax of its K logits) on SPLIT under the best
// one-to-one code-to-class matching (Hungarian algorithm), the matching and the confusion matrix,
// and writes GRID.png: one row per code value, one column per shared (z, u) draw.
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/model_file.hpp"
#include "logp/io/png.hpp"
#include "logp/models/gan/infogan.hpp"

int main(int argc, char** argv) {
  using namespace logp;
  if (argc < 3) {
    std::cerr << "usage: infogan_codes MODEL.h5 DATA.h5 [SPLIT=test] [GRID.png] [COLUMNS=10] [SEED=0]\n";
    return 2;
  }
  try {
    const std::string model_path = argv[1], data = argv[2];
    const std::string split = argc > 3 ? argv[3] : "test";
    const std::string grid = argc > 4 ? argv[4] : "";
    const Index columns = argc > 5 ? std::stoll(argv[5]) : 10;
    const std::uint64_t seed = argc > 6 ? std::stoull(argv[6]) : 0;
    const std::unique_ptr<Model> loaded = load_model(model_path);
    const auto* model = dynamic_cast<const InfoGanModel*>(loaded.get());
    require(model != nullptr, model_path + ": not an infogan model (type " + std::string(loaded->type()) + ")");
    const DatasetSplit examples = DatasetSplit::open(data, split);
    require(examples.has_labels(), examples.where() + ": no labels (y)");
    const CodeAccuracy result = categorical_code_accuracy(*model, examples.read_all(), examples.read_labels());
    std::cout << "model " << model_path << " (" << model->hyperparameters() << ")\n"
              << "categorical code accuracy on " << examples.where() << " under the best one-to-one code-to-class "
              << "matching: " << std::fixed << std::setprecision(4) << result.accuracy << " (" << examples.size()
              << " examples, " << model->options().categories << " codes, " << result.confusion.cols()
              << " classes; chance with a constant code: "
              << result.confusion.colwise().sum().maxCoeff() / static_cast<double>(examples.size()) << ")\n";
    std::cout << "code -> class:";
    for (std::size_t c = 0; c < result.class_of_code.size(); ++c) std::cout << " " << c << "->" << result.class_of_code[c];
    std::cout << "\nconfusion (rows: codes, columns: classes):\n" << std::setprecision(0);
    for (Index r = 0; r < result.confusion.rows(); ++r) {
      for (Index c = 0; c < result.confusion.cols(); ++c) std::cout << std::setw(6) << result.confusion(r, c);
      std::cout << "\n";
    }
    if (!grid.empty()) {
      Rng rng(seed);
      write_png_grid(grid, model->code_grid(columns, rng), model->data_spec(), columns);
      std::cout << "wrote " << grid << ": " << model->options().categories << " rows (one per code value) x "
                << columns << " columns (shared z and continuous codes)\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "infogan_codes: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
