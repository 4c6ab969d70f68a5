#include "logp/core/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace logp {
namespace {

std::atomic<ProgressMode> g_mode{ProgressMode::off};
std::ostream* g_stream = &std::cerr;
std::atomic<int> g_shown{0};  // Progress objects that print; at most 1

constexpr std::int64_t kLiveInterval = 100'000'000;        // ns between live redraws
constexpr std::int64_t kLinesInterval = 15'000'000'000;    // ns between status lines in lines mode

std::int64_t interval(ProgressMode mode) { return mode == ProgressMode::live ? kLiveInterval : kLinesInterval; }

std::string fixed0(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f", value);
  return buffer;
}

}  // namespace

void set_progress_mode(ProgressMode mode) { g_mode = mode; }
ProgressMode progress_mode() { return g_mode; }
ProgressMode default_progress_mode() { return ::isatty(STDERR_FILENO) ? ProgressMode::live : ProgressMode::lines; }
void set_progress_stream(std::ostream& stream) { g_stream = &stream; }

std::string format_duration(double seconds) {
  char buffer[48];
  if (!(seconds >= 0)) return "?";
  if (seconds < 60) {
    std::snprintf(buffer, sizeof buffer, "%.1f s", seconds);
  } else if (seconds < 3600) {
    const long s = static_cast<long>(seconds + 0.5);
    std::snprintf(buffer, sizeof buffer, "%ld min %02ld s", s / 60, s % 60);
  } else {
    const long m = static_cast<long>(seconds / 60 + 0.5);
    std::snprintf(buffer, sizeof buffer, "%ld h %02ld min", m / 60, m % 60);
  }
  return buffer;
}

Progress::Progress(std::string task, Index total, std::string unit)
    : task_(std::move(task)), unit_(std::move(unit)), total_(total), start_(Clock::now()) {
  shown_ = g_mode != ProgressMode::off && g_shown.fetch_add(1) == 0;
  if (!shown_ && g_mode != ProgressMode::off) g_shown.fetch_sub(1);
  next_draw_ns_ = interval(g_mode);
}

Progress::~Progress() {
  if (!shown_) return;
  std::lock_guard lock(draw_mutex_);
  if (live_drawn_) *g_stream << "\r\033[K" << std::flush;
  g_shown.fetch_sub(1);
}

double Progress::elapsed_seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

std::string Progress::status() const {
  const Index done = done_.load();
  const double seconds = elapsed_seconds();
  std::string text = task_ + ": " + std::to_string(done);
  if (total_ > 0) text += "/" + std::to_string(total_);
  text += " " + unit_;
  if (seconds > 0 && done > 0) {
    text += ", " + fixed0(static_cast<double>(done) / seconds) + " " + unit_ + "/s";
    if (total_ > 0 && done < total_)
      text += ", ETA " + format_duration(seconds * static_cast<double>(total_ - done) / static_cast<double>(done));
  }
  if (!detail_.empty()) text += ", " + detail_;
  return text;
}

void Progress::advance(Index units) {
  done_.fetch_add(units);
  if (!shown_) return;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
  std::int64_t due = next_draw_ns_.load();
  if (now < due || !next_draw_ns_.compare_exchange_strong(due, now + interval(g_mode))) return;
  std::unique_lock lock(draw_mutex_, std::try_to_lock);
  if (lock.owns_lock()) draw();
}

void Progress::draw() {
  if (g_mode == ProgressMode::live) {
    *g_stream << "\r\033[K" << status() << std::flush;
    live_drawn_ = true;
  } else {
    *g_stream << status() << "\n" << std::flush;
  }
}

void Progress::set_detail(std::string detail) {
  std::lock_guard lock(draw_mutex_);
  detail_ = std::move(detail);
}

void Progress::step(const std::string& line) {
  if (!shown_) return;
  std::lock_guard lock(draw_mutex_);
  if (live_drawn_) *g_stream << "\r\033[K";
  live_drawn_ = false;
  *g_stream << line << "\n" << std::flush;
}

}  // namespace logp
