#pragma once
// Finished benchmark steps, stored under RUN_DIR/steps/KEY/ where KEY is a hash of the step's
// configuration (the command's options and the identity of its inputs). A step is finished when
// its record.json exists; the record is written atomically after all the step's outputs, so a
// step killed half-way has no record and runs again, and a finished one is reused.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace logp::bench {

// 16 hex digits: FNV-1a (64 bit) of the configuration's canonical JSON text (keys sorted).
std::string step_key(const nlohmann::json& config);

class StepCache {
 public:
  explicit StepCache(std::string run_dir);  // creates RUN_DIR/steps

  // RUN_DIR/steps/KEY, created if absent.
  std::string directory(const std::string& key) const;
  // The record of a finished step, if there is one for exactly this configuration.
  std::optional<nlohmann::json> find(const std::string& key, const nlohmann::json& config) const;
  // Writes RUN_DIR/steps/KEY/record.json atomically; the record holds "config".
  void store(const std::string& key, const nlohmann::json& record) const;

 private:
  std::string steps_dir_;
};

}  // namespace logp::bench
