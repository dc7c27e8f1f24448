// Problems found in input: reported with where and why, counted, never fatal to the run.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace ashiato {

struct Problem {
  std::string file;
  std::uint64_t offset = 0;  // byte offset in the file where the problem is
  std::string where;         // e.g. "chunk 3, record 1234"
  std::string reason;
  bool warning = false;  // warnings (e.g. a bad checksum on data that still parsed) do not count as errors
};

std::string describe(const Problem& p);

// Collects problems from many threads. Keeps the first `keep` of them for display and counts all.
class Diagnostics {
 public:
  explicit Diagnostics(std::size_t keep = 1000) : keep_(keep) {}
  void report(Problem p);
  // Called for every problem as it is reported (e.g. to print it at once); under the lock.
  void on_report(std::function<void(const Problem&)> fn) { listener_ = std::move(fn); }

  // Takes over another collector's counts and kept problems (reporting each to the listener),
  // e.g. per-file collectors merged in file order after parallel work.
  void absorb(const Diagnostics& other);

  std::size_t errors() const;
  std::size_t warnings() const;
  std::vector<Problem> kept() const;

 private:
  mutable std::mutex mutex_;
  std::size_t keep_;
  std::size_t errors_ = 0;
  std::size_t warnings_ = 0;
  std::vector<Problem> kept_;
  std::function<void(const Problem&)> listener_;
};

}  // namespace ashiato
