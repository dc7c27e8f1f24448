// Findings kept for a time-sorted timeline without holding them all in memory: an external merge
// sort. Findings are collected up to a memory budget; a full batch is sorted by (time, sequence)
// and written to an unlinked temporary file, and the timeline is read back as a k-way merge of
// those runs. A hunt over a large log with hundreds of thousands of detections thus stays within
// the budget instead of growing with the number of findings.
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/finding.h"

namespace ashiato::analyze {

class FindingSpool {
 public:
  static constexpr std::size_t kDefaultBudget = std::size_t{16} << 20;
  static constexpr std::size_t kUnbounded = ~std::size_t{0};

  // `directory`: where the runs go (empty: $TMPDIR, else /tmp). Throws std::runtime_error naming
  // the file and reason when a run cannot be written or read back (e.g. a full disk).
  explicit FindingSpool(std::size_t memory_budget = kDefaultBudget, std::string directory = {});
  ~FindingSpool();
  FindingSpool(const FindingSpool&) = delete;
  FindingSpool& operator=(const FindingSpool&) = delete;

  // Takes the findings (each needs its final `sequence`); safe to call from several threads.
  void add(std::vector<Finding>& findings);
  // Hands every finding over in (time, sequence) order, once; the spool is empty afterwards.
  void drain(const std::function<void(Finding&)>& visit);

  std::uint64_t size() const { return count_; }
  std::size_t runs_written() const { return runs_written_; }

 private:
  void write_run(std::vector<Finding>& batch);

  std::size_t budget_;
  std::string directory_;
  std::mutex mutex_;
  std::vector<Finding> pending_;
  // The storage of the last batch written, emptied: the next batch fills it instead of growing a
  // new vector (each growth moved every finding again and touched fresh pages).
  std::vector<Finding> spare_;
  std::size_t pending_bytes_ = 0;
  std::vector<std::FILE*> runs_;
  std::uint64_t count_ = 0;
  std::size_t runs_written_ = 0;
};

// Approximate heap and inline bytes of one finding (what the budget counts).
std::size_t finding_footprint(const Finding& f);

}  // namespace ashiato::analyze
