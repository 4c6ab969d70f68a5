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

}  // namespace logp
