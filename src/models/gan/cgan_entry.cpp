#include "logp/models/gan/cgan_entry.hpp"

#include "logp/core/error.hpp"
#include "logp/models/gan/cgan.hpp"
#include "logp/models/gan/gan_fit.hpp"
#include "logp/models/gan/sgan.hpp"

namespace logp {
namespace {

// The built-in descriptions (Fashion-MNIST's) of classes 0..classes-1.
ClassDescriptions descriptions_for(Index classes) {
  ClassDescriptions all = fashion_mnist_descriptions();
  const auto known = static_cast<Index>(all.class_names.size());
  if (classes > known)
    throw Error("cgan --condition text: the built-in descriptions name Fashion-MNIST's " + std::to_string(known) +
                " classes, the training labels " + std::to_string(classes) + " (use --condition label)");
  ClassDescriptions d;
  d.class_names.assign(all.class_names.begin(), all.class_names.begin() + classes);
  for (const Wording& w : all.training)
    if (w.label < classes) d.training.push_back(w);
  for (const Wording& w : all.held_out)
    if (w.label < classes) d.held_out.push_back(w);
  return d;
}

class CganFit final : public AdversarialModelFit<ConditionalGanModel, CganOptions> {
 public:
  CganFit() : AdversarialModelFit("cgan") {
    model_options_.network.architecture = GanArchitecture::dcgan;
    declare_network_options(options_, model_options_.network);
    options_.add_choice("condition",
                        "what the players are conditioned on: label (one-hot), or text (descriptions of the "
                        "class, a bag of words; Fashion-MNIST's class names)",
                        model_options_.condition, {{"label", ConditionKind::label}, {"text", ConditionKind::text}});
    options_.add("embedding", "E, the discriminator's projection of the condition", model_options_.embedding,
                 Range::positive);
    options_.add("mismatch-weight",
                 "matching-aware discriminator (GAN-CLS): weight of real examples with a wrong condition among "
                 "its fakes (0: a plain conditional GAN)",
                 model_options_.mismatch_weight, Range::probability);
    declare_training();
  }

  std::unique_ptr<Model> fit(const FitContext& context) override {
    model_options_.classes = classes_of_labels(context.train);  // K from the training labels
    if (model_options_.condition == ConditionKind::text) model_options_.descriptions = descriptions_for(model_options_.classes);
    return AdversarialModelFit::fit(context);
  }
};

}  // namespace

ModelEntry cgan_entry() {
  return {"cgan",
          "conditional GAN (Mirza & Osindero 2014) and text-to-image GAN-CLS (Reed et al. 2016): samples of a "
          "label or a description",
          ModelKind::implicit, [] { return std::unique_ptr<ModelFit>(new CganFit()); },
          [](const H5Group& g, const DataSpec& spec) { return ConditionalGanModel::load(g, spec); }};
}

}  // namespace logp
