// Text-to-image, judged by a classifier: the conditional GAN's samples of each description
// (models/gan/cgan.hpp) classified by the logp feature network (models/features), against the
// class the description names. A driver beside `logp`, as infogan_codes.
//
//   cgan_text_accuracy MODEL.h5 FEATURES.h5 [N=100] [SEED=0] [GRID.png] [COLUMNS=10] [HELD_OUT_GRID.png]
//                      [DATA.h5]
// For every training wording and every held-out (unseen) wording of the model's descriptions: N
// samples of that text (seed SEED), the fraction the feature network assigns to the text's
// class. Prints one line per wording, then per class and overall means over seen and unseen
// wordings. GRID.png: one row per class, the samples of its first training wording (COLUMNS
// each); HELD_OUT_GRID.png the same for its first held-out wording. DATA.h5: also the feature
// network's accuracy per class on the real examples of its test split, for reference.
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <string>
#include <vector>

#include "logp/core/error.hpp"
#include "logp/data/dataset.hpp"
#include "logp/io/model_file.hpp"
#include "logp/io/png.hpp"
#include "logp/models/features/feature_network.hpp"
#include "logp/models/gan/cgan.hpp"

namespace {

using namespace logp;

// The accuracy of N samples of text, all labelled with label.
double text_accuracy(const ConditionalGanModel& model, const FeatureNetwork& features, const Wording& w, Index n,
                     std::uint64_t seed) {
  Rng rng(seed);
  const Matrix x = model.sample_text(w.text, n, rng);
  return features.accuracy(x, std::vector<std::int64_t>(static_cast<std::size_t>(n), w.label));
}

// One row per class: COLUMNS samples of the class's first wording in wordings.
void write_grid(const std::string& path, const ConditionalGanModel& model, const std::vector<Wording>& wordings,
                Index columns, std::uint64_t seed) {
  const Index k = model.classes();
  Matrix grid(model.dim(), k * columns);
  for (Index c = 0; c < k; ++c)
    for (const Wording& w : wordings)
      if (w.label == c) {
        Rng rng(seed);
        grid.middleCols(c * columns, columns) = model.sample_text(w.text, columns, rng);
        std::cout << "grid " << path << " row " << c << ": \"" << w.text << "\"\n";
        break;
      }
  write_png_grid(path, grid, model.data_spec(), columns);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: cgan_text_accuracy MODEL.h5 FEATURES.h5 [N=100] [SEED=0] [GRID.png] [COLUMNS=10] "
                 "[HELD_OUT_GRID.png] [DATA.h5]\n";
    return 2;
  }
  try {
    const std::string model_path = argv[1], features_path = argv[2];
    const Index n = argc > 3 ? std::stoll(argv[3]) : 100;
    const std::uint64_t seed = argc > 4 ? std::stoull(argv[4]) : 0;
    const std::string grid = argc > 5 ? argv[5] : "";
    const Index columns = argc > 6 ? std::stoll(argv[6]) : 10;
    const std::string held_out_grid = argc > 7 ? argv[7] : "";
    const std::string data = argc > 8 ? argv[8] : "";
    const std::unique_ptr<Model> loaded = load_model(model_path);
    const auto* model = dynamic_cast<const ConditionalGanModel*>(loaded.get());
    require(model != nullptr && model->options().condition == ConditionKind::text,
            model_path + ": not a text-conditioned cgan model (type " + std::string(loaded->type()) + ")");
    const FeatureNetwork features = FeatureNetwork::load(features_path);
    const ClassDescriptions& d = model->options().descriptions;
    std::cout << "model " << model_path << " (" << model->hyperparameters() << ")\nclassifier " << features.describe()
              << "\n" << n << " samples per wording, seed " << seed << "\n\n";
    const Index k = model->classes();
    std::vector<double> seen(static_cast<std::size_t>(k)), unseen(static_cast<std::size_t>(k));
    std::vector<int> seen_count(static_cast<std::size_t>(k)), unseen_count(static_cast<std::size_t>(k));
    std::cout << std::fixed << std::setprecision(3);
    for (const auto& [wordings, kind, sums, counts] :
         {std::tuple{&d.training, "seen", &seen, &seen_count}, std::tuple{&d.held_out, "unseen", &unseen, &unseen_count}})
      for (const Wording& w : *wordings) {
        const double accuracy = text_accuracy(*model, features, w, n, seed);
        (*sums)[static_cast<std::size_t>(w.label)] += accuracy;
        ++(*counts)[static_cast<std::size_t>(w.label)];
        std::cout << kind << "\tclass " << w.label << "\t" << accuracy << "\t\"" << w.text << "\"\n";
      }
    std::vector<double> real(static_cast<std::size_t>(k), -1.0);  // accuracy on real test examples
    if (!data.empty()) {
      const DatasetSplit test = DatasetSplit::open(data, "test");
      const Matrix x = test.read_all();
      const std::vector<std::int64_t> labels = test.read_labels();
      for (Index c = 0; c < k; ++c) {
        std::vector<Index> of_class;
        for (std::size_t j = 0; j < labels.size(); ++j)
          if (labels[j] == c) of_class.push_back(static_cast<Index>(j));
        if (of_class.empty()) continue;
        real[static_cast<std::size_t>(c)] =
            features.accuracy(x(Eigen::all, of_class), std::vector<std::int64_t>(of_class.size(), c));
      }
    }
    std::cout << "\nclass\tname\tseen wordings\tunseen wordings" << (data.empty() ? "" : "\treal test examples")
              << "\n";
    double all_seen = 0.0, all_unseen = 0.0;
    for (Index c = 0; c < k; ++c) {
      const auto i = static_cast<std::size_t>(c);
      const double s = seen[i] / std::max(1, seen_count[i]), u = unseen[i] / std::max(1, unseen_count[i]);
      all_seen += s / static_cast<double>(k);
      all_unseen += u / static_cast<double>(k);
      std::cout << c << "\t" << (i < d.class_names.size() ? d.class_names[i] : "") << "\t" << s << "\t" << u;
      if (real[i] >= 0.0) std::cout << "\t" << real[i];
      std::cout << "\n";
    }
    std::cout << "overall\t\t" << all_seen << "\t" << all_unseen << "  (means over classes; chance " << 1.0 / static_cast<double>(k) << ")\n";
    if (!grid.empty()) write_grid(grid, *model, d.training, columns, seed);
    if (!held_out_grid.empty()) write_grid(held_out_grid, *model, d.held_out, columns, seed);
  } catch (const std::exception& e) {
    std::cerr << "cgan_text_accuracy: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
