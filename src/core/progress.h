// Progress on stderr for long work: bytes and records done, rate and ETA, redrawn at most five
// times a second on one line. Silent unless enabled (commands enable it for a terminal).
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

namespace ashiato {

class Progress {
 public:
  Progress(bool enabled, std::uint64_t total_bytes) : enabled_(enabled), total_(total_bytes) {}
  ~Progress() { finish(); }
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  // Thread-safe.
  void add(std::uint64_t bytes, std::uint64_t records);
  // Clears the line.
  void finish();

 private:
  void draw(bool force);

  bool enabled_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> bytes_{0};
  std::atomic<std::uint64_t> records_{0};
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace ashiato
