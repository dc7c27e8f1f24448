#include "case/evidence_preservation.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

#include <fmt/format.h>

#include "case/custody_log.h"
#include "core/timestamp.h"

namespace ashiato::cases {
namespace fs = std::filesystem;
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

// Destinations that stay inside evidence/: an altered entry must not make verify read elsewhere.
bool valid_destination(const std::string& destination) {
  const fs::path p(destination);
  if (p.is_absolute() || p.empty()) return false;
  auto it = p.begin();
  if (it == p.end() || *it != kEvidenceFolderName) return false;
  std::size_t parts = 0;
  for (; it != p.end(); ++it, ++parts) {
    if (*it == ".." || *it == "." || it->empty()) return false;
  }
  return parts >= 2;
}

bool is_within(const fs::path& path, const fs::path& folder) {
  const auto [f, p] = std::mismatch(folder.begin(), folder.end(), path.begin(), path.end());
  return f == folder.end();
}

fs::path canonical_or_normal(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? fs::absolute(p, ec).lexically_normal() : c;
}

}  // namespace

std::string_view problem_name(CustodyProblem problem) {
  switch (problem) {
    case CustodyProblem::kContentChanged: return "changed";
    case CustodyProblem::kMissing: return "missing";
    case CustodyProblem::kUnreadable: return "unreadable";
    case CustodyProblem::kUnrecorded: return "unrecorded";
    case CustodyProblem::kBadDestination: return "bad-destination";
    case CustodyProblem::kEntryDamaged: return "damaged";
    case CustodyProblem::kEntryAltered: return "altered";
    case CustodyProblem::kChainBroken: return "chain-break";
    case CustodyProblem::kLogTruncated: return "truncated";
    case CustodyProblem::kLogRewritten: return "rewritten";
    case CustodyProblem::kUnconfirmed: return "unconfirmed";
    case CustodyProblem::kReplaced: return "replaced";
    case CustodyProblem::kAnchorMissing: return "anchor-missing";
  }
  return "unknown";
}

CustodyIdentity current_identity(std::string tool, std::string note) {
  CustodyIdentity who;
  const uid_t uid = ::geteuid();
  const passwd* pw = ::getpwuid(uid);
  who.user = pw != nullptr && pw->pw_name != nullptr ? pw->pw_name : "uid " + std::to_string(uid);
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) == 0) who.host = host.data();
  who.tool = std::move(tool);
  who.note = std::move(note);
  return who;
}

namespace {

// One preserve run: copies, records, and finally seals the run folder read-only.
class Preserver {
 public:
  Preserver(const fs::path& case_dir, const CustodyIdentity& who, CustodyWriter& writer, Diagnostics& diagnostics)
      : case_dir_(case_dir),
        case_canonical_(canonical_or_normal(case_dir)),
        who_(who),
        writer_(writer),
        diagnostics_(diagnostics),
        started_(now()) {}

  void remember(const CustodyLogLine& l) {
    if (l.parsed && l.type == "preserve")
      known_.emplace(l.source + '\n' + l.sha256, std::make_pair(l.destination, l.number));
  }

  void preserve(const std::string& source) {
    std::error_code ec;
    const fs::path absolute = fs::absolute(source, ec).lexically_normal();
    const fs::file_status st = fs::status(source, ec);
    if (ec || !fs::exists(st)) {
      report(source, "no such file or folder");
      return;
    }
    if (is_within(canonical_or_normal(absolute), case_canonical_)) {
      report(source, "inside the case folder: not preserved");
      return;
    }
    fs::path name = absolute.filename().empty() ? absolute.parent_path().filename() : absolute.filename();
    std::string top = name.empty() ? "root" : safe_name(name.string());
    for (int n = 2; !tops_.insert(top).second; ++n) top = safe_name(name.string()) + "-" + std::to_string(n);
    if (fs::is_directory(st)) {
      walk(absolute, top);
    } else if (fs::is_regular_file(st)) {
      copy(absolute, top, false);
    } else {
      report(source, "not a regular file or folder");
    }
  }

  // Removes folders left empty (duplicates, unreadable files) and makes the rest read-only.
  void seal() {
    if (run_.empty()) return;
    if (!seal_folder(run_folder())) run_.clear();
  }

  PreserveResult result;
  const std::string& run() const { return run_; }

 private:
  fs::path run_folder() const { return case_dir_ / kEvidenceFolderName / run_; }

  void report(const std::string& path, const std::string& reason, bool warning = false) {
    diagnostics_.report(Problem{path, 0, "", reason, warning});
  }

  void walk(const fs::path& folder, const fs::path& relative) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) entries.push_back(*it);
    if (ec) report(folder.string(), "cannot list folder: " + ec.message());
    std::sort(entries.begin(), entries.end());
    for (const fs::directory_entry& e : entries) {
      const fs::file_status st = e.symlink_status(ec);
      const fs::path target = relative / safe_name(e.path().filename().string());
      if (ec) {
        report(e.path().string(), "cannot read: " + ec.message());
      } else if (fs::is_symlink(st)) {
        report(e.path().string(), "symbolic link not followed", true);
      } else if (fs::is_directory(st)) {
        if (canonical_or_normal(e.path()) == case_canonical_) {
          report(e.path().string(), "the case folder itself is not preserved", true);
        } else {
          walk(e.path(), target);
        }
      } else if (fs::is_regular_file(st)) {
        copy(e.path(), target, true);
      } else {
        report(e.path().string(), "special file (device, FIFO or socket) skipped", true);
      }
    }
  }

  void ensure_run() {
    if (!run_.empty()) return;
    const CivilTime c = to_civil(Timestamp::from_unix_seconds(started_.tv_sec));
    char stamp[32];
    std::snprintf(stamp, sizeof stamp, "%04d%02d%02dT%02d%02d%02dZ", c.year, c.month, c.day, c.hour, c.minute,
                  c.second);
    for (int n = 1;; ++n) {
      const std::string name = n == 1 ? stamp : std::string(stamp) + "-" + std::to_string(n);
      const fs::path dir = case_dir_ / kEvidenceFolderName / name;
      if (::mkdir(dir.c_str(), 0755) == 0) {
        run_ = name;
        return;
      }
      if (errno != EEXIST) throw std::runtime_error(dir.string() + ": cannot create: " + errno_text());
    }
  }

  void copy(const fs::path& source, const fs::path& relative, bool found_in_folder) {
    // O_NOATIME keeps the original's access time (allowed for the file's owner and for root);
    // O_NONBLOCK keeps a FIFO swapped in after the check from hanging the run.
    const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | (found_in_folder ? O_NOFOLLOW : 0);
    int in = ::open(source.c_str(), flags | O_NOATIME);
    if (in < 0 && errno == EPERM) in = ::open(source.c_str(), flags);
    if (in < 0) {
      report(source.string(), "cannot open: " + errno_text());
      return;
    }
    struct stat before {};
    if (::fstat(in, &before) != 0 || !S_ISREG(before.st_mode)) {
      report(source.string(), "not a regular file");
      ::close(in);
      return;
    }
    ensure_run();
    const fs::path destination = run_folder() / relative;
    std::error_code ec;
    fs::create_directories(destination.parent_path(), ec);
    if (ec) throw std::runtime_error(destination.parent_path().string() + ": cannot create: " + ec.message());
    fs::path partial;
    int out = -1;
    for (int n = 1; out < 0; ++n) {
      partial = destination.parent_path() / (".ashiato-partial-" + std::to_string(n));
      out = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (out < 0 && errno != EEXIST) throw std::runtime_error(partial.string() + ": cannot create: " + errno_text());
    }
    Sha256 sha;
    std::vector<char> buffer(kReadBlock);
    std::uint64_t size = 0;
    std::string read_error;
    for (;;) {
      const ssize_t n = ::read(in, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        read_error = errno_text();
        break;
      }
      if (n == 0) break;
      sha.update(buffer.data(), static_cast<std::size_t>(n));
      size += static_cast<std::uint64_t>(n);
      for (ssize_t done = 0; done < n;) {
        const ssize_t w = ::write(out, buffer.data() + done, static_cast<std::size_t>(n - done));
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
          const std::string reason = errno_text();
          ::close(out);
          ::unlink(partial.c_str());
          throw std::runtime_error(partial.string() + ": cannot write the copy: " + reason);
        }
        done += w;
      }
    }
    struct stat after {};
    const bool changed =
        ::fstat(in, &after) == 0 && (after.st_size != before.st_size || after.st_mtim.tv_sec != before.st_mtim.tv_sec ||
                                     after.st_mtim.tv_nsec != before.st_mtim.tv_nsec);
    ::close(in);
    if (!read_error.empty()) {
      ::close(out);
      ::unlink(partial.c_str());
      report(source.string(), "read failed: " + read_error);
      return;
    }
    if (changed) report(source.string(), "changed while being copied: the copy is what was read", true);
    PreservedFile file;
    file.source = source.string();
    file.sha256 = sha.hex();
    file.size = size;
    const std::string key = as_logged(file.source) + '\n' + file.sha256;
    if (auto known = known_.find(key); known != known_.end()) {
      ::close(out);
      ::unlink(partial.c_str());
      file.destination = known->second.first;
      file.entry = known->second.second;
      file.duplicate = true;
      ++result.duplicates;
      result.files.push_back(std::move(file));
      return;
    }
    // The copy keeps the original's times (as cp -p does) and becomes read-only before it gets its name.
    const timespec times[2] = {before.st_atim, before.st_mtim};
    if (::futimens(out, times) != 0 || ::fchmod(out, 0444) != 0 || ::fsync(out) != 0) {
      const std::string reason = errno_text();
      ::close(out);
      ::unlink(partial.c_str());
      throw std::runtime_error(partial.string() + ": cannot finish the copy: " + reason);
    }
    ::close(out);
    fs::path final_path = destination;
    // link() never replaces: two originals whose names map to the same safe name both survive.
    for (int n = 2; ::link(partial.c_str(), final_path.c_str()) != 0; ++n) {
      if (errno != EEXIST) throw std::runtime_error(final_path.string() + ": cannot create: " + errno_text());
      final_path = destination.string() + "~" + std::to_string(n);
    }
    ::unlink(partial.c_str());
    file.destination = final_path.lexically_relative(case_dir_).generic_string();
    JsonObject entry;
    entry.number("seq", writer_.next_entry()).text("type", "preserve").text("run", run_);
    entry.text("time", iso_time(now())).text("source", file.source).text("destination", file.destination);
    entry.text("sha256", file.sha256).number("size", static_cast<std::int64_t>(file.size));
    entry.text("source_mtime", iso_time(before.st_mtim));
    entry.text("user", who_.user).text("host", who_.host).text("tool", who_.tool).text("note", who_.note);
    file.entry = writer_.append(entry.content());
    known_.emplace(key, std::make_pair(file.destination, file.entry));
    ++result.copied;
    result.files.push_back(std::move(file));
  }

  // Returns false when the folder was empty and removed.
  bool seal_folder(const fs::path& folder) {
    std::error_code ec;
    bool empty = true;
    std::vector<fs::path> children;
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) children.push_back(it->path());
    for (const fs::path& child : children) {
      if (fs::is_directory(fs::symlink_status(child, ec))) {
        if (seal_folder(child)) empty = false;
      } else {
        empty = false;
      }
    }
    if (empty) return !fs::remove(folder, ec);
    ::chmod(folder.c_str(), 0555);
    return true;
  }

  fs::path case_dir_;
  fs::path case_canonical_;
  const CustodyIdentity& who_;
  CustodyWriter& writer_;
  Diagnostics& diagnostics_;
  timespec started_;
  std::string run_;
  std::set<std::string> tops_;
  std::map<std::string, std::pair<std::string, std::int64_t>> known_;  // source + sha256 -> destination, entry
};

}  // namespace

PreserveResult preserve_evidence(const std::string& case_dir, const std::vector<std::string>& sources,
                                 const CustodyIdentity& who, const std::optional<CustodyHead>& recorded,
                                 Diagnostics& diagnostics) {
  const fs::path dir(case_dir);
  std::error_code ec;
  fs::create_directories(dir / kEvidenceFolderName, ec);
  if (ec) throw std::runtime_error(case_dir + ": cannot create the evidence folder: " + ec.message());
  // A symbolic link planted at CASE/evidence would send the copies outside the case.
  if (!fs::is_directory(fs::symlink_status(dir / kEvidenceFolderName, ec))) {
    throw std::runtime_error((dir / kEvidenceFolderName).string() +
                             ": not a folder (a symbolic link?); refusing to write evidence through it");
  }
  CustodyWriter writer(dir / kCustodyLogName);
  const CustodyLog log = read_custody_log(dir / kCustodyLogName);
  if (!log.lines.empty() && !log.lines.back().chained) {
    throw std::runtime_error((dir / kCustodyLogName).string() +
                             ": its last entry is incomplete or damaged; run "
                             "'ashiato preserve --verify' to record the state before preserving more");
  }
  if (auto mismatch = compare_with_recorded(log, recorded)) {
    throw std::runtime_error((dir / kCustodyLogName).string() + ": " + mismatch->message +
                             "; run 'ashiato preserve --verify' to record the state before preserving more");
  }
  if (recorded && static_cast<std::int64_t>(log.lines.size()) > recorded->entries) {
    // Chaining on entries nobody confirmed would vouch for them.
    throw std::runtime_error((dir / kCustodyLogName).string() + ": " +
                             std::to_string(static_cast<std::int64_t>(log.lines.size()) - recorded->entries) +
                             " entries after the head the case recorded (entry " + std::to_string(recorded->entries) +
                             "); run 'ashiato preserve --verify' to report them before preserving more");
  }
  writer.start_after(log);
  Preserver preserver(dir, who, writer, diagnostics);
  for (const CustodyLogLine& l : log.lines) preserver.remember(l);
  for (const std::string& source : sources) preserver.preserve(source);
  preserver.seal();
  PreserveResult result = std::move(preserver.result);
  result.run = preserver.run();
  result.head = writer.head();
  return result;
}

namespace {

// Entries after the head the case recorded: written by something other than ashiato's recorded
// runs (an entry appended with a recomputed chain is a valid chain), or by a run killed before it
// recorded its head. Each is reported; the verify entry then records that it was.
void report_unconfirmed(const CustodyLog& log, std::int64_t recorded_entries, VerifyResult& result) {
  for (const CustodyLogLine& l : log.lines) {
    if (l.number <= recorded_entries) continue;
    std::string what = "entry " + std::to_string(l.number);
    if (l.parsed) what += " (" + l.type + (l.destination.empty() ? "" : " " + l.destination) + ")";
    what += " comes after the head the case recorded (entry " + std::to_string(recorded_entries) +
            "): ashiato has no record of writing it";
    result.problems.push_back(CustodyFinding{CustodyProblem::kUnconfirmed, l.number, l.destination, what});
  }
}

// The user's anchor: a head hash printed by an earlier run and kept outside the case.
void check_anchor(const CustodyLog& log, const std::string& anchor, VerifyResult& result) {
  for (const CustodyLogLine& l : log.lines) {
    if (l.chained && l.hash == anchor) {
      result.anchor_entry = l.number;
      return;
    }
  }
  result.problems.push_back(CustodyFinding{
      CustodyProblem::kAnchorMissing, 0, "",
      "no entry has the head hash you kept (" + anchor + "): the log was rewritten, cut, or is not this case's"});
}

}  // namespace

VerifyResult verify_evidence(const std::string& case_dir, const CustodyIdentity& who,
                             const std::optional<CustodyHead>& recorded, const std::optional<std::string>& anchor) {
  const fs::path dir(case_dir);
  const fs::path log_path = dir / kCustodyLogName;
  const fs::path evidence = dir / kEvidenceFolderName;
  VerifyResult result;
  std::error_code ec;
  if (!fs::exists(log_path, ec) && !fs::exists(evidence, ec) && (!recorded || recorded->entries == 0)) {
    result.head = CustodyHead{0, std::string(kNoPreviousHash)};
    return result;  // nothing was ever preserved here: nothing to verify, nothing to record
  }
  CustodyWriter writer(log_path);
  const CustodyLog log = read_custody_log(log_path);
  result.entries = static_cast<std::int64_t>(log.lines.size());
  auto problem = [&](CustodyProblem kind, std::int64_t entry, std::string path, std::string message) {
    result.problems.push_back(CustodyFinding{kind, entry, std::move(path), std::move(message)});
  };

  // The chain: each entry's prev is the hash written on the line before it.
  std::optional<std::string> expected_prev = std::string(kNoPreviousHash);
  for (const CustodyLogLine& l : log.lines) {
    const std::string n = std::to_string(l.number);
    if (!l.chained) {
      problem(CustodyProblem::kEntryDamaged, l.number, "", "entry " + n + ": not a complete custody entry");
      expected_prev.reset();  // unknown: the next entry is checked only against its own hash
      continue;
    }
    if (expected_prev && l.prev != *expected_prev) {
      problem(CustodyProblem::kChainBroken, l.number, "",
              "chain break at entry " + n + ": its prev is not the hash of " +
                  (l.number == 1 ? std::string("the start of the log") : "entry " + std::to_string(l.number - 1)) +
                  " (an entry was removed, inserted or reordered)");
    } else if (l.parsed && l.seq != l.number) {
      problem(CustodyProblem::kChainBroken, l.number, "",
              "chain break at entry " + n + ": it is numbered " + std::to_string(l.seq) +
                  " (entries were removed or reordered and the chain recomputed)");
    }
    if (custody_entry_hash(l.prev, l.content) != l.hash) {
      problem(CustodyProblem::kEntryAltered, l.number, l.destination,
              "entry " + n + " altered: its content does not match its hash");
    } else if (!l.parsed) {
      problem(CustodyProblem::kEntryDamaged, l.number, "", "entry " + n + ": not valid JSON");
    }
    expected_prev = l.hash;
  }
  if (auto mismatch = compare_with_recorded(log, recorded)) {
    result.problems.push_back(std::move(*mismatch));
  } else if (recorded) {
    report_unconfirmed(log, recorded->entries, result);
  }
  if (anchor) check_anchor(log, *anchor, result);

  // The copies: present, readable, same size and SHA-256 as recorded.
  std::set<std::string> recorded_paths;
  for (const CustodyLogLine& l : log.lines) {
    if (!l.parsed || l.type != "preserve") continue;
    const std::string n = std::to_string(l.number);
    if (!valid_destination(l.destination)) {
      problem(CustodyProblem::kBadDestination, l.number, l.destination,
              "entry " + n + ": destination '" + l.destination + "' is not inside the evidence folder");
      continue;
    }
    if (!recorded_paths.insert(l.destination).second) continue;
    ++result.files;
    const fs::path copy = dir / l.destination;
    if (!fs::exists(fs::symlink_status(copy, ec))) {
      problem(CustodyProblem::kMissing, l.number, l.destination, l.destination + ": missing (entry " + n + ")");
      continue;
    }
    std::string error;
    const auto digest = hash_copy(dir, l.destination, error);
    if (!digest) {
      // Anything but the regular file ashiato wrote is tampering, not a read error.
      const bool replaced = error.rfind("replaced: ", 0) == 0;
      problem(replaced ? CustodyProblem::kReplaced : CustodyProblem::kUnreadable, l.number, l.destination,
              fmt::format("{}: {}{} (entry {})", l.destination, replaced ? "" : "cannot read: ", error, n));
    } else if (digest->sha256 != l.sha256 || static_cast<std::int64_t>(digest->size) != l.size) {
      std::string what = l.destination + ": changed (entry " + n + "): ";
      if (static_cast<std::int64_t>(digest->size) != l.size) {
        what += "size " + std::to_string(digest->size) + ", recorded " + std::to_string(l.size) + "; ";
      }
      what += "SHA-256 " + digest->sha256 + ", recorded " + l.sha256;
      problem(CustodyProblem::kContentChanged, l.number, l.destination, what);
    }
  }

  // Files nobody recorded: planted, or left by an interrupted copy.
  std::vector<std::string> unrecorded;
  for (fs::recursive_directory_iterator it(evidence, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_error;
    if (it->is_directory(type_error) && !it->is_symlink(type_error)) continue;
    const std::string relative = it->path().lexically_relative(dir).generic_string();
    if (recorded_paths.count(relative) == 0) unrecorded.push_back(relative);
  }
  std::sort(unrecorded.begin(), unrecorded.end());
  for (const std::string& path : unrecorded) {
    problem(CustodyProblem::kUnrecorded, 0, path, path + ": not recorded in the custody log");
  }

  writer.start_after(log);
  std::vector<std::string> details;
  for (const CustodyFinding& f : result.problems) {
    if (details.size() == 100) break;  // the count says how many more
    details.push_back(f.message);
  }
  JsonObject entry;
  entry.number("seq", writer.next_entry()).text("type", "verify").text("time", iso_time(now()));
  entry.text("result", result.intact() ? "intact" : "failed").number("entries", result.entries);
  entry.number("files", static_cast<std::int64_t>(result.files));
  entry.number("problems", static_cast<std::int64_t>(result.problems.size())).texts("details", details);
  entry.text("user", who.user).text("host", who.host).text("tool", who.tool).text("note", who.note);
  writer.append(entry.content());
  result.head = writer.head();
  return result;
}

}  // namespace ashiato::cases
