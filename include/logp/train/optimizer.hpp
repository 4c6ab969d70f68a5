#pragma once
// First-order optimizers over a flat parameter vector, with a learning-rate schedule, gradient
// clipping by global norm and optional L2 (weight decay added to the gradient).
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "logp/core/types.hpp"

namespace logp {

class H5Group;

// Named constant | step | cosine by the training options (training_fit.cpp), the one parser.
enum class Schedule { constant, step, cosine };

struct OptimizerOptions {
  std::string kind = "adam";     // "adam" | "sgd" (with momentum)
  double learning_rate = 1e-3;
  double beta1 = 0.9;            // adam
  double beta2 = 0.999;          // adam
  double epsilon = 1e-8;         // adam
  double momentum = 0.9;         // sgd
  double l2 = 0.0;               // adds l2 * theta to the gradient
  double clip_norm = 0.0;        // rescale the gradient to this global norm if larger; 0: off
  Schedule schedule = Schedule::constant;
  int step_epochs = 10;          // step: multiply by step_gamma every step_epochs epochs
  double step_gamma = 0.5;
  int total_epochs = 100;        // cosine: decays to 0 at this epoch
};

// The learning rate in effect during `epoch` (0-based).
double scheduled_learning_rate(const OptimizerOptions& options, int epoch);

class Optimizer {
 public:
  Optimizer(OptimizerOptions options, Index parameters);

  // theta -= update(grad) for one step in `epoch`. grad is the mean gradient over the batch; it
  // is modified in place (L2, clipping). Returns the gradient's global norm before clipping.
  double step(std::span<float> theta, std::span<float> grad, int epoch);

  const OptimizerOptions& options() const { return options_; }
  std::int64_t steps() const { return steps_; }

  // Moments and step count, for checkpoints.
  void save(const H5Group& g) const;
  void load(const H5Group& g);

 private:
  OptimizerOptions options_;
  std::int64_t steps_ = 0;
  std::vector<float> first_;   // adam m / sgd velocity
  std::vector<float> second_;  // adam v
};

}  // namespace logp
