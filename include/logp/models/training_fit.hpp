#pragma once
// The trainer's options, declared once for every gradient-trained model, and one training run
// as `logp fit` does it: initialize from the seed, train with early stopping on the validation
// split when the data file has it, print a summary line.
#include <string>

#include "logp/models/model_entry.hpp"
#include "logp/train/trainable.hpp"
#include "logp/train/trainer.hpp"

namespace logp {

struct TrainingSettings {
  TrainOptions train;
  std::string valid_split = "valid";  // "none": no early stopping
};

// --epochs, --batch-size, --learning-rate, ..., --valid-split, --checkpoint, --resume, --log.
void declare_training_options(OptionList& options, TrainingSettings& settings);

// Initializes `model` from settings.train.seed and trains it on context.train.
TrainResult train_for_fit(Trainable& model, const FitContext& context, const TrainingSettings& settings);

// The fit of a gradient-trained model built as ModelT(spec, OptionsT): a family declares its own
// options on model_options_ in its constructor (the training options are declared here, after
// them), and fit() builds the model on the training data's spec and trains it.
template <class ModelT, class OptionsT>
class TrainedModelFit : public ModelFit {
 public:
  std::unique_ptr<Model> fit(const FitContext& context) override {
    auto model = std::make_unique<ModelT>(context.train.spec(), model_options_);
    train_for_fit(*model, context, training_);
    return model;
  }

 protected:
  void declare_training() { declare_training_options(options_, training_); }
  OptionsT model_options_;
  TrainingSettings training_;
};

}  // namespace logp
