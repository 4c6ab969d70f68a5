#include "logp/bench/machine.hpp"

#include <sys/utsname.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>

namespace logp::bench {
namespace {

// The value of the first "key : value" line of a /proc file whose key is `key`, or "".
std::string proc_field(const char* file, const std::string& key) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos || line.compare(0, key.size(), key) != 0) continue;
    const size_t start = line.find_first_not_of(" \t", colon + 1);
    return start == std::string::npos ? "" : line.substr(start);
  }
  return "";
}

}  // namespace

nlohmann::json describe_machine() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  utsname system{};
  uname(&system);
  return {{"host", host},
          {"cpu", proc_field("/proc/cpuinfo", "model name")},
          {"logical_cores", std::thread::hardware_concurrency()},
          {"memory", proc_field("/proc/meminfo", "MemTotal")},
          {"os", std::string(system.sysname) + " " + system.release + " " + system.machine}};
}

}  // namespace logp::bench
