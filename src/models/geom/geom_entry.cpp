#include "logp/models/geom/geom_entry.hpp"

#include "logp/models/geom/geom_model.hpp"

namespace logp {
namespace {

class GeomFit final : public ModelFit {
 public:
  GeomFit() {
    options_.add("transforms", "geometric transformations: 4 (rotations) or 8 (rotations x horizontal flip)",
                 geom_options_.transforms, Range::positive);
    options_.add("ridge", "added to the diagonal of each feature Gaussian's covariance", geom_options_.ridge,
                 Range::non_negative);
    options_.add_choice("default-score", "the score the model gives (logp anomaly --model-score selects another)",
                        geom_options_.score,
                        {{"geom", GeomScore::geom},
                         {"feature-density", GeomScore::feature_density},
                         {"combined", GeomScore::combined}});
    options_.append(feature_network_option_list(geom_options_.network));
  }

  std::unique_ptr<Model> fit(const FitContext& context) override {
    return GeomModel::fit(context.train.read_all(), context.train.spec(), geom_options_, context.log);
  }

 private:
  GeomOptions geom_options_;
};

}  // namespace

ModelEntry geom_entry() {
  return {"geom",
          "GEOM (Golan & El-Yaniv 2018): a CNN trained to recognise rotations/flips of the normal class; "
          "anomaly scores, never a likelihood of the image",
          ModelKind::score, [] { return std::unique_ptr<ModelFit>(new GeomFit); }, &GeomModel::load};
}

}  // namespace logp
