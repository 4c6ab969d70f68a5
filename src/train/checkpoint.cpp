#include "logp/train/checkpoint.hpp"

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"
#include "logp/io/h5.hpp"
#include "logp/models/model_loading.hpp"

namespace logp {

// Makes the log agree with a checkpoint of `epochs_done` epochs: a run killed after writing an
// epoch's line but before renaming its checkpoint would otherwise log that epoch twice. Lines of
// later epochs are dropped (the file is rewritten atomically); earlier lines are kept as they are.
void truncate_log_after(const std::string& path, int epochs_done) {
  if (path.empty() || !std::filesystem::exists(path)) return;
  std::ifstream in(path);
  if (!in) throw Error(path + ": cannot read the training log");
  std::string kept, line;
  bool dropped = false;
  while (std::getline(in, line)) {
    const std::string field = "\"epoch\":";  // written with or without a space after the colon
    const std::size_t at = line.find(field);
    const long epoch = at == std::string::npos ? 0 : std::strtol(line.c_str() + at + field.size(), nullptr, 10);
    if (epoch > epochs_done) {
      dropped = true;
      continue;
    }
    kept += line + "\n";
  }
  if (!dropped) return;
  AtomicOutput output(path);
  {
    std::ofstream out(output.temp_path(), std::ios::trunc);
    out << kept;
    out.flush();
    if (!out) throw Error(path + ": cannot rewrite the training log");
  }
  output.commit();
}

namespace {

// The shortest text that reads back as the same double ("0.0002", not "0.00020000000000000001").
std::string real_text(double value) {
  char text[32];
  const auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  return std::string(text, ec == std::errc() ? end : text);
}

}  // namespace

void add_optimizer_settings(CheckpointKey& key, const std::string& prefix, const OptimizerOptions& o) {
  key.add(prefix + "optimizer", o.kind);
  key.add(prefix + "learning rate", real_text(o.learning_rate));
  key.add(prefix + "l2", real_text(o.l2));
  key.add(prefix + "clip norm", real_text(o.clip_norm));
  key.add(prefix + "momentum", o.kind == "sgd" ? real_text(o.momentum) : "-");
  key.add(prefix + "adam betas and epsilon",
          o.kind == "adam" ? real_text(o.beta1) + ", " + real_text(o.beta2) + ", " + real_text(o.epsilon) : "-");
  key.add(prefix + "schedule",
          o.schedule == Schedule::constant ? std::string("constant")
          : o.schedule == Schedule::step
              ? "step every " + std::to_string(o.step_epochs) + " epochs by " + real_text(o.step_gamma)
              : "cosine to epoch " + std::to_string(o.total_epochs));
}

std::string data_fingerprint(const DatasetSplit& split) {
  // FNV-1a (64-bit prime and offset) over the values' 32-bit patterns in example order, one step
  // per value. One extra pass over the split per run with --checkpoint (measured: +0.6 s for
  // Fashion-MNIST's 50000 x 784 train split, reading included).
  std::uint64_t hash = 14695981039346656037ull;
  for_each_batch(split, 4096, [&](Index, const Matrix& batch) {
    for (Index i = 0; i < batch.size(); ++i) {
      std::uint32_t bits = 0;
      std::memcpy(&bits, batch.data() + i, sizeof bits);
      hash = (hash ^ bits) * 1099511628211ull;
    }
  });
  std::ostringstream text;
  text << split.size() << " x " << split.dim() << ", " << split.spec().describe() << ", fnv1a64 " << std::hex
       << std::setw(16) << std::setfill('0') << hash;
  return text.str();
}

void save_key(const H5Group& g, const CheckpointKey& key) {
  for (const auto& [name, value] : key.settings) g.set_attr(name, value);
}

void check_key(const H5Group& g, const CheckpointKey& key, const std::string& path) {
  for (const auto& [name, value] : key.settings) {
    if (!g.has_attr(name))
      throw Error(path + ": the checkpoint does not record the " + name +
                  " it was made with (an older logp?); start afresh without --resume");
    const std::string stored = g.attr_string(name);
    if (stored != value)
      throw Error(path + ": the checkpoint was made with " + name + " '" + stored + "', this run has '" + value +
                  "'; resume with the same settings or start afresh without --resume");
  }
}

void save_checkpoint(const std::string& path, const CheckpointKey& key, const Trainable& model,
                     const Optimizer& optimizer, const TrainerState& state) {
  AtomicOutput output(path);
  {
    const H5File file = H5File::create(output.temp_path());
    const H5Group root = file.root();
    root.set_attr("format", std::string("logp-checkpoint"));
    save_key(root.create_group("settings"), key);
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
  if (!root.has("settings"))
    throw Error(path + ": the checkpoint does not record its settings (an older logp?); start afresh without --resume");
  check_key(root.group("settings"), key, path);

  model.parameters().load(root.group("parameters"));
  optimizer.load(root.group("optimizer"));
  const H5Group trainer = root.group("trainer");
  TrainerState state;
  state.epochs_done = static_cast<int>(trainer.attr_int("epochs_done"));
  state.best_epoch = static_cast<int>(trainer.attr_int("best_epoch"));
  state.best_valid_nll = trainer.attr_double("best_valid_nll");
  state.epochs_since_best = static_cast<int>(trainer.attr_int("epochs_since_best"));
  require(state.epochs_done >= 0 && state.best_epoch >= -1 && state.best_epoch < state.epochs_done &&
              state.epochs_since_best >= 0,
          path + ": inconsistent trainer counters (corrupt checkpoint?)");
  const H5Group best = root.group("best");
  if (best.has("values")) {
    require_stored_dims(best, "values", {static_cast<std::uint64_t>(model.parameters().size())},
                        "the model's " + std::to_string(model.parameters().size()) + " parameters");
    state.best_parameters = best.read<float>("values");
    require_finite(state.best_parameters, best.where("values"));
  }
  return state;
}

}  // namespace logp
