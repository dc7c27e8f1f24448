#include "analyze/finding_spool.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <numeric>
#include <queue>
#include <stdexcept>

namespace ashiato::analyze {
namespace {

// Past this many runs they are merged into one, keeping open files (and read buffers) few.
constexpr std::size_t kMaxRuns = 64;
constexpr std::size_t kBuffer = std::size_t{256} << 10;  // per run, read or written

bool earlier(const Finding& a, const Finding& b) {
  return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
}

std::size_t heap_bytes(const std::string& s) {
  return s.capacity() > 15 ? s.capacity() + 1 : 0;
}

[[noreturn]] void fail(const std::string& what, const std::string& where) {
  throw std::runtime_error("timeline spool " + where + ": " + what + ": " + std::strerror(errno));
}

// Runs are a private format read back by this process only: little-endian integers and
// length-prefixed strings, one finding after another. Both sides go through their own buffer of
// kBuffer bytes: a finding is some twenty fields, and a stdio call per field cost more than
// sorting.
class RunWriter {
 public:
  explicit RunWriter(std::FILE* f) : file_(f) { buffer_.reserve(kBuffer); }
  void finding(const Finding& f) {
    for (const std::string* s :
         {&f.kind, &f.level, &f.title, &f.rule_id, &f.host, &f.channel, &f.event_id, &f.details, &f.file})
      string(*s);
    number(f.tags.size());
    for (const auto& t : f.tags) string(t);
    number(static_cast<std::uint64_t>(f.time.ticks));
    number(f.record_id);
    number(f.offset);
    number(f.sequence);
    if (buffer_.size() >= kBuffer) flush();
  }
  // Writes what is buffered; call once after the last finding.
  void flush() {
    if (!buffer_.empty() && std::fwrite(buffer_.data(), 1, buffer_.size(), file_) != buffer_.size())
      fail("cannot write", "run");
    buffer_.clear();
  }

 private:
  void number(std::uint64_t v) { buffer_.append(reinterpret_cast<const char*>(&v), sizeof v); }
  void string(const std::string& s) {
    number(s.size());
    buffer_ += s;
  }
  std::FILE* file_;
  std::string buffer_;
};

class RunReader {
 public:
  explicit RunReader(std::FILE* f) : file_(f) {}
  // False at the end of the run.
  bool finding(Finding& f) {
    if (available() == 0 && !refill()) return false;
    string(f.kind, number());
    for (std::string* s : {&f.level, &f.title, &f.rule_id, &f.host, &f.channel, &f.event_id, &f.details, &f.file})
      string(*s, number());
    f.tags.resize(number());
    for (auto& t : f.tags) string(t, number());
    f.time.ticks = static_cast<std::int64_t>(number());
    f.record_id = number();
    f.offset = number();
    f.sequence = number();
    return true;
  }

 private:
  std::size_t available() const { return buffer_.size() - at_; }
  // Keeps the unread bytes and appends the next block; false at the end of the file.
  bool refill() {
    buffer_.erase(0, at_);
    at_ = 0;
    const std::size_t kept = buffer_.size();
    buffer_.resize(kept + kBuffer);
    const std::size_t got = std::fread(buffer_.data() + kept, 1, kBuffer, file_);
    buffer_.resize(kept + got);
    if (got == 0 && std::ferror(file_)) fail("cannot read", "run");
    return got > 0;
  }
  std::uint64_t number() {
    std::uint64_t v = 0;
    get(&v, sizeof v);
    return v;
  }
  void string(std::string& s, std::uint64_t n) {
    if (n <= available()) {  // the usual case: no copy through a resized string
      s.assign(buffer_.data() + at_, n);
      at_ += n;
      return;
    }
    s.resize(n);
    get(s.data(), n);
  }
  void get(void* p, std::size_t n) {
    auto* out = static_cast<char*>(p);
    while (n > 0) {
      if (available() == 0 && !refill()) fail("cut short", "run");
      const std::size_t k = std::min(n, available());
      std::memcpy(out, buffer_.data() + at_, k);
      at_ += k;
      out += k;
      n -= k;
    }
  }
  std::FILE* file_;
  std::string buffer_;
  std::size_t at_ = 0;
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

// The order in which to take a batch of findings, earliest first. Findings are sorted through
// their positions: moving the findings themselves (a dozen strings each) cost more than the
// comparisons.
std::vector<std::uint32_t> earliest_first(const std::vector<Finding>& batch) {
  std::vector<std::uint32_t> order(batch.size());
  std::iota(order.begin(), order.end(), 0U);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return earlier(batch[a], batch[b]); });
  return order;
}

// Merges sorted runs (and the findings in memory, taken in `order`) into `visit`, earliest first.
void merge(const std::vector<std::FILE*>& runs, std::vector<Finding>& memory, const std::vector<std::uint32_t>& order,
           const std::function<void(Finding&)>& visit) {
  std::vector<RunReader> readers;
  std::vector<Finding> heads(runs.size() + 1);
  std::size_t memory_next = 0;
  auto next = [&](std::size_t source) {
    if (source < runs.size()) return readers[source].finding(heads[source]);
    if (memory_next == order.size()) return false;
    heads[source] = std::move(memory[order[memory_next++]]);
    return true;
  };
  auto later = [&](std::size_t a, std::size_t b) { return earlier(heads[b], heads[a]); };
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
  memory.clear();
}

}  // namespace

std::size_t finding_footprint(const Finding& f) {
  std::size_t n = sizeof(Finding) + f.tags.capacity() * sizeof(std::string);
  for (const std::string* s :
       {&f.kind, &f.level, &f.title, &f.rule_id, &f.host, &f.channel, &f.event_id, &f.details, &f.file})
    n += heap_bytes(*s);
  for (const auto& t : f.tags) n += heap_bytes(t);
  return n;
}

FindingSpool::FindingSpool(std::size_t memory_budget, std::string directory)
    : budget_(memory_budget), directory_(std::move(directory)) {}

FindingSpool::~FindingSpool() {
  for (std::FILE* f : runs_) std::fclose(f);
}

void FindingSpool::add(std::vector<Finding>& findings) {
  std::size_t bytes = 0;
  for (const Finding& f : findings) bytes += finding_footprint(f);
  std::vector<Finding> full;
  {
    std::lock_guard lock(mutex_);
    count_ += findings.size();
    pending_bytes_ += bytes;
    if (pending_.empty() && spare_.capacity() > pending_.capacity()) pending_.swap(spare_);
    if (pending_.empty() && findings.capacity() > pending_.capacity()) {
      pending_.swap(findings);
    } else {
      std::move(findings.begin(), findings.end(), std::back_inserter(pending_));
    }
    if (pending_bytes_ > budget_) {
      full.swap(pending_);
      pending_bytes_ = 0;
    }
  }
  findings.clear();
  // Sorted and written outside the lock: other threads keep adding meanwhile.
  if (!full.empty()) write_run(full);
}

void FindingSpool::write_run(std::vector<Finding>& batch) {
  const std::vector<std::uint32_t> order = earliest_first(batch);
  std::FILE* f = open_run(directory_);
  try {
    RunWriter writer(f);
    for (const std::uint32_t i : order) writer.finding(batch[i]);
    writer.flush();
  } catch (...) {
    std::fclose(f);
    throw;
  }
  batch.clear();
  std::vector<std::FILE*> to_merge;
  {
    std::lock_guard lock(mutex_);
    if (batch.capacity() > spare_.capacity()) spare_.swap(batch);
    runs_.push_back(f);
    ++runs_written_;
    if (runs_.size() >= kMaxRuns) to_merge.swap(runs_);
  }
  if (to_merge.empty()) return;
  std::FILE* merged = open_run(directory_);
  RunWriter writer(merged);
  std::vector<Finding> none;
  merge(to_merge, none, {}, [&](Finding& x) { writer.finding(x); });
  writer.flush();
  for (std::FILE* run : to_merge) std::fclose(run);
  std::lock_guard lock(mutex_);
  runs_.push_back(merged);
}

void FindingSpool::drain(const std::function<void(Finding&)>& visit) {
  std::lock_guard lock(mutex_);
  merge(runs_, pending_, earliest_first(pending_), visit);
  for (std::FILE* f : runs_) std::fclose(f);
  runs_.clear();
  pending_bytes_ = 0;
  count_ = 0;
}

}  // namespace ashiato::analyze
