#pragma once
// Progress of long jobs on stderr: one small reporter for training epochs, scoring, bootstraps,
// EM and bandwidth searches.
//
// The mode is process-wide and set once by the command line (main.cpp); the library's default
// is `off`, so programs that link logp and the tests print nothing unless they ask.
//   off    nothing (`logp --quiet`)
//   lines  plain lines for logs and CI: each step's line (an epoch, a restart) and, for a job
//          that runs long, a status line at most every 15 s; never a carriage return
//   live   a status line redrawn in place at most every 0.1 s, plus the step lines
//
// A Progress only reads counters and clocks: it never changes a result. advance() may be called
// from TBB tasks (an atomic counter; the thread that wins a try_lock redraws, the others skip);
// set_detail() and step() belong to the thread that made the Progress. While one Progress is
// shown, a Progress made inside it (scoring inside a fit) is silent.
#include <atomic>
#include <chrono>
#include <iosfwd>
#include <mutex>
#include <string>

#include "logp/core/types.hpp"

namespace logp {

enum class ProgressMode { off, lines, live };
void set_progress_mode(ProgressMode mode);
ProgressMode progress_mode();
// live when stderr is a terminal (isatty), lines otherwise: what the CLI uses unless --quiet.
ProgressMode default_progress_mode();
// Where progress goes (default std::cerr); for tests. The stream must outlive its use.
void set_progress_stream(std::ostream& stream);

// "4.2 s", "3 min 05 s", "1 h 02 min".
std::string format_duration(double seconds);

class Progress {
 public:
  // `task`: what runs ("scoring test"); `total`: units of work (0: unknown, no ETA); `unit`: their
  // name in the rate ("examples" -> "1234 examples/s").
  Progress(std::string task, Index total, std::string unit);
  ~Progress();  // clears the live line
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  void advance(Index units = 1);          // thread-safe
  void set_detail(std::string detail);    // shown after the counters ("batch 12/500, train NLL 93.1")
  void step(const std::string& line);     // a line that stays (lines and live modes)
  double elapsed_seconds() const;
  Index done() const { return done_.load(); }

 private:
  void draw();  // under draw_mutex_
  std::string status() const;

  using Clock = std::chrono::steady_clock;
  std::string task_, unit_, detail_;
  Index total_;
  bool shown_;  // this Progress prints (mode not off, not nested in another)
  Clock::time_point start_;
  std::atomic<Index> done_{0};
  std::atomic<std::int64_t> next_draw_ns_;  // since start_
  std::mutex draw_mutex_;
  bool live_drawn_ = false;  // a live line is on screen (under draw_mutex_)
};

}  // namespace logp
