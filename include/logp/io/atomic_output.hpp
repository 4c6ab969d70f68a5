#pragma once
// An output file written under a temporary sibling name and renamed over the target only when
// complete, so a failure never leaves a half-written file behind.
//
//   AtomicOutput out("model.h5");
//   write_everything(out.temp_path());
//   out.commit();              // rename; without it the destructor removes the temporary
//
// Messages about the file name the target, never the hidden temporary: a writer that knows only
// the temporary path (H5File::create) asks AtomicOutput::target_of for the name to report.
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

  // The target of the live AtomicOutput whose temporary file is `path`; `path` itself otherwise.
  static std::string target_of(const std::string& path);

 private:
  std::string target_;
  std::string temp_;
  bool committed_ = false;
};

}  // namespace logp
