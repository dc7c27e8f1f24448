// Findings kept for a time-sorted timeline without holding them all in memory: an external merge
// sort. Findings are collected, packed (finding_records.h), up to a memory budget; a full batch
// is sorted by (time, sequence) and written to an unlinked temporary file, and the timeline is
// read back as a k-way merge of those runs. A hunt over a large log with hundreds of thousands
// of detections thus stays within the budget instead of growing with the number of findings.
#pragma once
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "analyze/finding_records.h"
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

  // Takes the findings, which are left empty (each needs its final `sequence`); safe to call
  // from several threads.
  void add(FindingRecords& findings);
  void add(std::vector<Finding>& findings);
  // Hands every finding over in (time, sequence) order, once; the spool is empty afterwards.
  void drain(const std::function<void(Finding&)>& visit);

  std::uint64_t size() const { return count_; }
  std::size_t runs_written() const { return runs_written_; }

 private:
  void write_run(FindingRecords& batch);

  std::size_t budget_;
  std::string directory_;
  std::mutex mutex_;
  FindingRecords pending_;
  // The storage of the last batch written, emptied: the next batch fills it instead of growing
  // new storage.
  FindingRecords spare_;
  std::vector<std::FILE*> runs_;
  std::uint64_t count_ = 0;
  std::size_t runs_written_ = 0;
};

}  // namespace ashiato::analyze
