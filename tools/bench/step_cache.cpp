#include "logp/bench/step_cache.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "logp/core/error.hpp"
#include "logp/io/atomic_output.hpp"

namespace logp::bench {

std::string step_key(const nlohmann::json& config) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a offset basis
  for (unsigned char byte : config.dump()) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;  // FNV prime
  }
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

StepCache::StepCache(std::string run_dir) : steps_dir_((std::filesystem::path(run_dir) / "steps").string()) {
  std::error_code ec;
  std::filesystem::create_directories(steps_dir_, ec);
  if (ec) throw Error(steps_dir_ + ": cannot create the run directory: " + ec.message());
}

std::string StepCache::directory(const std::string& key) const {
  const std::string dir = (std::filesystem::path(steps_dir_) / key).string();
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw Error(dir + ": cannot create the step directory: " + ec.message());
  return dir;
}

std::optional<nlohmann::json> StepCache::find(const std::string& key, const nlohmann::json& config) const {
  const std::filesystem::path path = std::filesystem::path(steps_dir_) / key / "record.json";
  std::ifstream in(path);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json record = nlohmann::json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  // A damaged record, or another configuration with the same hash, is not a result of this step.
  if (record.is_discarded() || !record.is_object() || record.value("config", nlohmann::json()) != config)
    return std::nullopt;
  return record;
}

void StepCache::store(const std::string& key, const nlohmann::json& record) const {
  const std::string path = (std::filesystem::path(directory(key)) / "record.json").string();
  AtomicOutput output(path);
  {
    std::ofstream out(output.temp_path());
    out << record.dump(2) << "\n";
    if (!out) throw Error(path + ": cannot write the step record (disk full?)");
  }
  output.commit();
}

}  // namespace logp::bench
