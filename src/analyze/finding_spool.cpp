#include "analyze/finding_spool.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <queue>
#include <stdexcept>
#include <string_view>

namespace ashiato::analyze {
namespace {

// Past this many runs they are merged into one, keeping open files (and read buffers) few.
constexpr std::size_t kMaxRuns = 64;
constexpr std::size_t kBuffer = std::size_t{256} << 10;  // per run, read or written

[[noreturn]] void fail(const std::string& what, const std::string& where) {
  throw std::runtime_error("timeline spool " + where + ": " + what + ": " + std::strerror(errno));
}

// Runs are packed records (finding_records.h) one after another, read back by this process only.
// Both sides go through their own buffer of kBuffer bytes.
class RunWriter {
 public:
  explicit RunWriter(std::FILE* f) : file_(f) { buffer_.reserve(kBuffer); }
  void record(std::string_view r) {
    buffer_ += r;
    if (buffer_.size() >= kBuffer) flush();
  }
  // Writes what is buffered; call once after the last record.
  void flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      fail("cannot write", "run");
    buffer_.clear();
  }

 private:
  std::FILE* file_;
  std::string buffer_;
};

class RunReader {
 public:
  explicit RunReader(std::FILE* f) : file_(f) {}
  // The next record, valid until the next call; false at the end of the run.
  bool next(std::string_view& record) {
    at_ += last_;
    last_ = 0;
    if (!have(FindingRecords::kLengthBytes)) {
      if (available() == 0) return false;
      fail("cut short", "run");
    }
    const std::size_t n = FindingRecords::record_length(buffer_.data() + at_);
    if (n < FindingRecords::kLengthBytes || !have(n)) fail("cut short", "run");
    record = std::string_view(buffer_.data() + at_, n);
    last_ = n;
    return true;
  }

 private:
  std::size_t available() const { return buffer_.size() - at_; }
  // Whether n bytes are there, reading more (keeping the unread ones) while they are not.
  bool have(std::size_t n) {
    while (available() < n) {
      buffer_.erase(0, at_);
      at_ = 0;
      const std::size_t kept = buffer_.size();
      const std::size_t want = std::max(kBuffer, n - kept);
      buffer_.resize(kept + want);
      const std::size_t got = std::fread(buffer_.data() + kept, 1, want, file_);
      buffer_.resize(kept + got);
      if (got == 0) {
        if (std::ferror(file_)) fail("cannot read", "run");
        return false;
      }
    }
    return true;
  }
  std::FILE* file_;
  std::string buffer_;
  std::size_t at_ = 0;
  std::size_t last_ = 0;  // length of the record last handed out
};

std::FILE* open_run(const std::string& directory) {
  std::string dir = directory;
  if (dir.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string name = dir + "/ashiato-timeline-XXXXXX";
  const int fd = ::mkstemp(name.data());
  if (fd < 0) fail("cannot create a file", "in " + dir);
  ::unlink(name.c_str());  // gone from the directory now; freed when closed, even after a crash
  std::FILE* f = ::fdopen(fd, "w+b");
  if (f == nullptr) {
    ::close(fd);
    fail("cannot open", name);
  }
  return f;
}

// The keys of a batch, earliest first. Records are sorted through their keys: a key is 24 bytes,
// a record hundreds.
std::vector<FindingRecords::Key> earliest_first(const FindingRecords& batch) {
  std::vector<FindingRecords::Key> keys = batch.keys();  // a copy: the batch keeps record order
  std::sort(keys.begin(), keys.end());
  return keys;
}

// Merges sorted runs and the records in memory into `visit`, earliest first, a record at a time.
void merge(const std::vector<std::FILE*>& runs, const FindingRecords& memory,
           const std::function<void(std::string_view)>& visit) {
  const std::vector<FindingRecords::Key> memory_keys = earliest_first(memory);
  std::vector<RunReader> readers;
  std::vector<std::string_view> heads(runs.size() + 1);
  std::vector<FindingRecords::Key> head_keys(heads.size());
  std::size_t memory_next = 0;
  auto next = [&](std::size_t source) {
    if (source < runs.size()) {
      if (!readers[source].next(heads[source])) return false;
    } else {
      if (memory_next == memory_keys.size()) return false;
      heads[source] = FindingRecords::record_at(memory.bytes(), memory_keys[memory_next++].at);
    }
    head_keys[source] = FindingRecords::key_of(heads[source].data());
    return true;
  };
  auto later = [&](std::size_t a, std::size_t b) { return head_keys[b] < head_keys[a]; };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> queue(later);
  for (std::FILE* f : runs) {
    if (std::fflush(f) != 0 || std::fseek(f, 0, SEEK_SET) != 0) fail("cannot rewind", "run");
    readers.emplace_back(f);
  }
  for (std::size_t s = 0; s < heads.size(); ++s) {
    if (next(s)) queue.push(s);
  }
  while (!queue.empty()) {
    const std::size_t s = queue.top();
    queue.pop();
    visit(heads[s]);
    if (next(s)) queue.push(s);
  }
}

// What a batch weighs against the budget: its records and their keys.
std::size_t weight(const FindingRecords& r) {
  return r.bytes().size() + r.size() * sizeof(FindingRecords::Key);
}

}  // namespace

FindingSpool::FindingSpool(std::size_t memory_budget, std::string directory)
    : budget_(memory_budget), directory_(std::move(directory)) {}

FindingSpool::~FindingSpool() {
  for (std::FILE* f : runs_) std::fclose(f);
}

void FindingSpool::add(std::vector<Finding>& findings) {
  FindingRecords packed;
  for (const Finding& f : findings) packed.append(view_of(f));
  findings.clear();
  add(packed);
}

void FindingSpool::add(FindingRecords& findings) {
  FindingRecords full;
  {
    std::lock_guard lock(mutex_);
    count_ += findings.size();
    if (pending_.empty()) pending_.take(spare_);
    pending_.take(findings);
    if (weight(pending_) > budget_) std::swap(full, pending_);
  }
  // Sorted and written outside the lock: other threads keep adding meanwhile.
  if (!full.empty()) write_run(full);
}

void FindingSpool::write_run(FindingRecords& batch) {
  const std::vector<FindingRecords::Key> keys = earliest_first(batch);
  std::FILE* f = open_run(directory_);
  try {
    RunWriter writer(f);
    for (const FindingRecords::Key& k : keys) writer.record(FindingRecords::record_at(batch.bytes(), k.at));
    writer.flush();
  } catch (...) {
    std::fclose(f);
    throw;
  }
  batch.clear();
  std::vector<std::FILE*> to_merge;
  {
    std::lock_guard lock(mutex_);
    if (batch.bytes().capacity() > spare_.bytes().capacity()) std::swap(spare_, batch);
    runs_.push_back(f);
    ++runs_written_;
    if (runs_.size() >= kMaxRuns) to_merge.swap(runs_);
  }
  if (to_merge.empty()) return;
  std::FILE* merged = open_run(directory_);
  RunWriter writer(merged);
  merge(to_merge, FindingRecords{}, [&](std::string_view record) { writer.record(record); });
  writer.flush();
  for (std::FILE* run : to_merge) std::fclose(run);
  std::lock_guard lock(mutex_);
  runs_.push_back(merged);
}

void FindingSpool::drain(const std::function<void(Finding&)>& visit) {
  std::lock_guard lock(mutex_);
  Finding f;
  merge(runs_, pending_, [&](std::string_view record) {
    FindingRecords::unpack(record, f);
    visit(f);
  });
  for (std::FILE* run : runs_) std::fclose(run);
  runs_.clear();
  pending_.clear();
  count_ = 0;
}

}  // namespace ashiato::analyze
