// Image-to-image translation, judged by a classifier: the translations written by
// `logp translate` (split "samples", labelled with the target class; split "inputs", the images
// translated) classified by the logp feature network (models/features). A driver beside `logp`,
// as cgan_text_accuracy.
//
//   translation_accuracy TRANSLATED.h5 FEATURES.h5
// Prints: the fraction of translations the network assigns to the target class; for reference,
// the fraction of the inputs it assigns to their own class and to the target class (what an
// identity "translation" would score).
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/models/features/feature_network.hpp"

int main(int argc, char** argv) {
  using namespace logp;
  try {
    if (argc != 3) {
      std::cerr << "usage: translation_accuracy TRANSLATED.h5 FEATURES.h5\n";
      return 2;
    }
    const FeatureNetwork features = FeatureNetwork::load(argv[2]);
    const DatasetSplit samples = DatasetSplit::open(argv[1], "samples"), inputs = DatasetSplit::open(argv[1], "inputs");
    const std::vector<std::int64_t> targets = samples.read_labels(), sources = inputs.read_labels();
    const Matrix x = inputs.read_all();
    std::cout << std::fixed << std::setprecision(2) << argv[1] << ": " << samples.size() << " translations into class "
              << targets.front() << "\n"
              << "  translations classified as the target class: " << 100.0 * features.accuracy(samples.read_all(), targets)
              << "%\n"
              << "  inputs classified as their own class:         " << 100.0 * features.accuracy(x, sources) << "%\n"
              << "  inputs classified as the target class:        " << 100.0 * features.accuracy(x, targets) << "%\n";
  } catch (const Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
