#include "core/progress.h"

#include <cstdio>

namespace ashiato {

void Progress::add(std::uint64_t bytes, std::uint64_t records) {
  if (!enabled_) return;
  bytes_ += bytes;
  records_ += records;
  draw(false);
}

void Progress::draw(bool force) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  const double done = static_cast<double>(bytes_.load());
  const double rate = seconds > 0 ? done / seconds : 0;
  const double eta = rate > 0 && total_ > done ? (static_cast<double>(total_) - done) / rate : 0;
  std::fprintf(stderr, "\r%7.1f / %.1f MB  %3.0f%%  %llu records  %.0f records/s  ETA %02d:%02d  ", done / 1048576.0,
               static_cast<double>(total_) / 1048576.0, total_ > 0 ? 100.0 * done / static_cast<double>(total_) : 0.0,
               static_cast<unsigned long long>(records_.load()),
               seconds > 0 ? static_cast<double>(records_.load()) / seconds : 0.0, static_cast<int>(eta) / 60,
               static_cast<int>(eta) % 60);
  std::fflush(stderr);
  drawn_ = true;
}

void Progress::finish() {
  if (!enabled_ || !drawn_) return;
  std::lock_guard lock(mutex_);
  std::fprintf(stderr, "\r%100s\r", "");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace ashiato
