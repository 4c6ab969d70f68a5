#pragma once
// An output file written under a temporary sibling name and renamed over the target only when
// complete, so a failure never leaves a half-written file behind.
//
//   AtomicOutput out("model.h5");
//   write_everything(out.temp_path());
//   out.commit();              // rename; without it the destructor removes the temporary
#include <string>

namespace logp {

class AtomicOutput {
 public:
  explicit AtomicOutput(std::string target);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }
  void commit();

 private:
  std::string target_;
  std::string temp_;
  bool committed_ = false;
};

}  // namespace logp
