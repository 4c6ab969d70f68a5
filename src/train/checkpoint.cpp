#include "logp/train/checkpoint.hpp"

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"

namespace logp {

void save_checkpoint(const std::string& path, const CheckpointKey& key, const Trainable& model,
                     const Optimizer& optimizer, const TrainerState& state) {
  AtomicOutput output(path);
  {
    const H5File file = H5File::create(output.temp_path());
    const H5Group root = file.root();
    root.set_attr("format", std::string("logp-checkpoint"));
    root.set_attr("model_type", key.model_type);
    root.set_attr("hyperparameters", key.hyperparameters);
    root.set_attr("seed", static_cast<std::int64_t>(key.seed));
    root.set_attr("batch_size", static_cast<std::int64_t>(key.batch_size));
    root.set_attr("shard_size", static_cast<std::int64_t>(key.shard_size));
    const H5Group trainer = root.create_group("trainer");
    trainer.set_attr("epochs_done", static_cast<std::int64_t>(state.epochs_done));
    trainer.set_attr("best_epoch", static_cast<std::int64_t>(state.best_epoch));
    trainer.set_attr("best_valid_nll", state.best_valid_nll);
    trainer.set_attr("epochs_since_best", static_cast<std::int64_t>(state.epochs_since_best));
    model.parameters().save(root.create_group("parameters"));
    const H5Group best = root.create_group("best");
    if (!state.best_parameters.empty())
      best.write<float>("values", {state.best_parameters.size()}, state.best_parameters.data());
    optimizer.save(root.create_group("optimizer"));
    file.flush();
  }
  output.commit();
}

TrainerState load_checkpoint(const std::string& path, const CheckpointKey& key, Trainable& model,
                             Optimizer& optimizer) {
  const H5File file = H5File::open(path);
  const H5Group root = file.root();
  if (!root.has_attr("format") || root.attr_string("format") != "logp-checkpoint")
    throw Error(path + ": not a logp checkpoint");
  const auto refuse_unless = [&](bool same, const std::string& what, const std::string& stored) {
    if (!same)
      throw Error(path + ": the checkpoint was made with " + what + " " + stored +
                  "; resume with the same settings or start afresh without --resume");
  };
  refuse_unless(root.attr_string("model_type") == key.model_type, "model", root.attr_string("model_type"));
  refuse_unless(root.attr_string("hyperparameters") == key.hyperparameters, "hyperparameters",
                root.attr_string("hyperparameters"));
  refuse_unless(root.attr_int("seed") == static_cast<std::int64_t>(key.seed), "seed",
                std::to_string(root.attr_int("seed")));
  refuse_unless(root.attr_int("batch_size") == key.batch_size, "batch size",
                std::to_string(root.attr_int("batch_size")));
  refuse_unless(root.attr_int("shard_size") == key.shard_size, "shard size",
                std::to_string(root.attr_int("shard_size")));

  model.parameters().load(root.group("parameters"));
  optimizer.load(root.group("optimizer"));
  const H5Group trainer = root.group("trainer");
  TrainerState state;
  state.epochs_done = static_cast<int>(trainer.attr_int("epochs_done"));
  state.best_epoch = static_cast<int>(trainer.attr_int("best_epoch"));
  state.best_valid_nll = trainer.attr_double("best_valid_nll");
  state.epochs_since_best = static_cast<int>(trainer.attr_int("epochs_since_best"));
  const H5Group best = root.group("best");
  if (best.has("values")) state.best_parameters = best.read<float>("values");
  return state;
}

}  // namespace logp
