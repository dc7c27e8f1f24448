#include "case/evidence_preservation.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <pwd.h>
#include <simdjson.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include "core/timestamp.h"

namespace ashiato::cases {
namespace fs = std::filesystem;
namespace {

const std::string kZeroHash(64, '0');
constexpr std::string_view kPrevMarker = ",\"prev\":\"";
constexpr std::size_t kReadBlock = 1 << 20;

class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
      throw std::runtime_error("SHA-256 is not available from OpenSSL");
    }
  }
  void update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx_.get(), data, size); }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int length = 0;
    EVP_DigestFinal_ex(ctx_.get(), digest.data(), &length);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
      out += kHex[digest[i] >> 4];
      out += kHex[digest[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

std::string errno_text() {
  return std::strerror(errno);
}

// Length of the well-formed UTF-8 sequence starting at s[i] (RFC 3629), 0 if there is none.
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  const auto c1 = static_cast<unsigned char>(s[i + 1]);
  if (c1 < lo || c1 > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

void append_hex_byte(std::string& out, unsigned char c) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  out += kHex[c >> 4];
  out += kHex[c & 15];
}

// A JSON string. File names need not be UTF-8, JSON must be: a byte that is not part of a valid
// sequence is written as \u00XX (its Latin-1 reading), so the log stays valid for any name.
void append_json_text(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i);
    const auto c = static_cast<unsigned char>(s[i]);
    if (n == 0 || (n == 1 && c < 0x20)) {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
      ++i;
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    out.append(s.substr(i, n));
    i += n;
  }
  out += '"';
}

// What append_json_text's output decodes to: the form a source path has when read back from the log.
std::string as_logged(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i);
    if (n == 0) {
      const auto c = static_cast<unsigned char>(s[i]);
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

// A copy's file name: the original's, with bytes that are not UTF-8 and control characters as
// %XX, so that every destination can be written exactly in the (UTF-8) log.
std::string safe_name(std::string_view name) {
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t n = utf8_length(name, i);
    const auto c = static_cast<unsigned char>(name[i]);
    if (n == 0 || (n == 1 && (c < 0x20 || c == 0x7F))) {
      out += '%';
      append_hex_byte(out, c);
      ++i;
    } else {
      out.append(name.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string iso_time(const timespec& t) {
  return to_iso8601(Timestamp::from_unix_seconds(t.tv_sec, t.tv_nsec), 6);
}

timespec now() {
  timespec t{};
  clock_gettime(CLOCK_REALTIME, &t);
  return t;
}

// Members of one entry in a fixed order, written without spaces: the canonical content.
class JsonObject {
 public:
  JsonObject& text(std::string_view key, std::string_view value) {
    member(key);
    append_json_text(out_, value);
    return *this;
  }
  JsonObject& number(std::string_view key, std::int64_t value) {
    member(key);
    out_ += std::to_string(value);
    return *this;
  }
  JsonObject& texts(std::string_view key, const std::vector<std::string>& values) {
    member(key);
    out_ += '[';
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out_ += ',';
      append_json_text(out_, values[i]);
    }
    out_ += ']';
    return *this;
  }
  std::string content() const { return out_ + '}'; }

 private:
  void member(std::string_view key) {
    if (out_.size() > 1) out_ += ',';
    append_json_text(out_, key);
    out_ += ':';
  }
  std::string out_ = "{";
};

bool is_hex64(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

struct LogLine {
  std::int64_t number = 0;
  bool chained = false;  // ends in ,"prev":"<64 hex>","hash":"<64 hex>"}
  bool parsed = false;   // and is a JSON object
  std::string content, prev, hash;
  std::string type, source, destination, sha256;
  std::int64_t seq = 0, size = -1;
};

LogLine parse_line(std::string_view line, std::int64_t number, simdjson::dom::parser& parser) {
  LogLine l;
  l.number = number;
  const std::size_t cut = line.rfind(kPrevMarker);
  constexpr std::string_view kHashMarker = "\",\"hash\":\"";
  if (cut == std::string_view::npos || line.size() != cut + kPrevMarker.size() + 64 + kHashMarker.size() + 64 + 2) {
    return l;
  }
  const std::string_view tail = line.substr(cut + kPrevMarker.size());
  if (tail.substr(64, kHashMarker.size()) != kHashMarker || tail.substr(tail.size() - 2) != "\"}") return l;
  l.prev = std::string(tail.substr(0, 64));
  l.hash = std::string(tail.substr(64 + kHashMarker.size(), 64));
  if (!is_hex64(l.prev) || !is_hex64(l.hash)) return l;
  l.chained = true;
  l.content = std::string(line.substr(0, cut)) + '}';
  simdjson::dom::element doc;
  if (parser.parse(simdjson::padded_string(line)).get(doc) != simdjson::SUCCESS || !doc.is_object()) return l;
  l.parsed = true;
  auto text = [&](const char* key) {
    std::string_view v;
    return doc[key].get(v) == simdjson::SUCCESS ? std::string(v) : std::string();
  };
  auto integer = [&](const char* key) {
    std::int64_t v = -1;
    return doc[key].get(v) == simdjson::SUCCESS ? v : -1;
  };
  l.type = text("type");
  l.source = text("source");
  l.destination = text("destination");
  l.sha256 = text("sha256");
  l.seq = integer("seq");
  l.size = integer("size");
  return l;
}

struct CustodyLog {
  std::vector<LogLine> lines;
  bool ends_with_newline = true;
};

CustodyLog read_log(const fs::path& path) {
  CustodyLog log;
  std::ifstream in(path, std::ios::binary);
  if (!in) return log;
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  simdjson::dom::parser parser;
  std::size_t start = 0;
  std::int64_t number = 0;
  while (start < text.size()) {
    const std::size_t nl = text.find('\n', start);
    const std::size_t end = nl == std::string::npos ? text.size() : nl;
    log.lines.push_back(parse_line(std::string_view(text).substr(start, end - start), ++number, parser));
    if (nl == std::string::npos) log.ends_with_newline = false;
    start = end + 1;
  }
  return log;
}

// The open, locked log: entries are appended with one write each and synced before going on.
class CustodyWriter {
 public:
  explicit CustodyWriter(const fs::path& path) : path_(path.string()) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw std::runtime_error(path_ + ": cannot open the custody log: " + errno_text());
    // Two runs on one case at once would interleave their chains: the second one waits.
    if (::flock(fd_, LOCK_EX) != 0) {
      const std::string reason = errno_text();
      ::close(fd_);
      throw std::runtime_error(path_ + ": cannot lock: " + reason);
    }
  }
  ~CustodyWriter() { ::close(fd_); }
  CustodyWriter(const CustodyWriter&) = delete;
  CustodyWriter& operator=(const CustodyWriter&) = delete;

  void start_after(const CustodyLog& log) {
    entries_ = static_cast<std::int64_t>(log.lines.size());
    prev_ = kZeroHash;
    for (const LogLine& l : log.lines) {
      if (l.chained) prev_ = l.hash;
    }
    needs_newline_ = !log.ends_with_newline;
  }
  std::int64_t next_entry() const { return entries_ + 1; }

  // `content` is the canonical content; returns the entry's number.
  std::int64_t append(const std::string& content) {
    const std::string hash = custody_entry_hash(prev_, content);
    std::string line = needs_newline_ ? "\n" : "";
    line.append(content, 0, content.size() - 1);
    line += kPrevMarker;
    line += prev_ + "\",\"hash\":\"" + hash + "\"}\n";
    std::size_t done = 0;
    while (done < line.size()) {
      const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw std::runtime_error(path_ + ": cannot append to the custody log: " + errno_text());
      done += static_cast<std::size_t>(n);
    }
    if (::fdatasync(fd_) != 0) throw std::runtime_error(path_ + ": cannot sync the custody log: " + errno_text());
    needs_newline_ = false;
    prev_ = hash;
    return ++entries_;
  }
  CustodyHead head() const { return CustodyHead{entries_, prev_}; }

 private:
  std::string path_;
  int fd_ = -1;
  std::int64_t entries_ = 0;
  std::string prev_ = kZeroHash;
  bool needs_newline_ = false;
};

// nullopt when the log still holds the recorded head entry, else why not.
std::optional<CustodyFinding> compare_with_recorded(const CustodyLog& log, const std::optional<CustodyHead>& recorded) {
  if (!recorded || recorded->entries <= 0) return std::nullopt;
  const auto count = static_cast<std::int64_t>(log.lines.size());
  if (count < recorded->entries) {
    return CustodyFinding{CustodyProblem::kLogTruncated, recorded->entries, "",
                          "custody log has " + std::to_string(count) + " entries, the case recorded " +
                              std::to_string(recorded->entries) + ": entries were removed from its end"};
  }
  const LogLine& head = log.lines[static_cast<std::size_t>(recorded->entries - 1)];
  if (head.hash != recorded->hash) {
    return CustodyFinding{CustodyProblem::kLogRewritten, recorded->entries, "",
                          "entry " + std::to_string(recorded->entries) + " has hash " +
                              (head.hash.empty() ? "(none)" : head.hash) + ", the case recorded " + recorded->hash +
                              ": the log was rewritten"};
  }
  return std::nullopt;
}

struct FileDigest {
  std::string sha256;
  std::uint64_t size = 0;
};

std::optional<FileDigest> hash_file(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = errno_text();
    return std::nullopt;
  }
  Sha256 sha;
  std::vector<char> buffer(kReadBlock);
  FileDigest d;
  for (;;) {
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      error = errno_text();
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    sha.update(buffer.data(), static_cast<std::size_t>(n));
    d.size += static_cast<std::uint64_t>(n);
  }
  ::close(fd);
  d.sha256 = sha.hex();
  return d;
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
  }
  return "unknown";
}

std::string sha256_hex(std::string_view bytes) {
  Sha256 sha;
  sha.update(bytes.data(), bytes.size());
  return sha.hex();
}

std::string custody_entry_hash(std::string_view prev, std::string_view content) {
  Sha256 sha;
  sha.update(prev.data(), prev.size());
  sha.update(content.data(), content.size());
  return sha.hex();
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

  void remember(const LogLine& l) {
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
  CustodyWriter writer(dir / kCustodyLogName);
  const CustodyLog log = read_log(dir / kCustodyLogName);
  if (!log.lines.empty() && !log.lines.back().chained) {
    throw std::runtime_error((dir / kCustodyLogName).string() +
                             ": its last entry is incomplete or damaged; run "
                             "'ashiato preserve --verify' to record the state before preserving more");
  }
  if (auto mismatch = compare_with_recorded(log, recorded)) {
    throw std::runtime_error((dir / kCustodyLogName).string() + ": " + mismatch->message +
                             "; run 'ashiato preserve --verify' to record the state before preserving more");
  }
  writer.start_after(log);
  Preserver preserver(dir, who, writer, diagnostics);
  for (const LogLine& l : log.lines) preserver.remember(l);
  for (const std::string& source : sources) preserver.preserve(source);
  preserver.seal();
  PreserveResult result = std::move(preserver.result);
  result.run = preserver.run();
  result.head = writer.head();
  return result;
}

VerifyResult verify_evidence(const std::string& case_dir, const CustodyIdentity& who,
                             const std::optional<CustodyHead>& recorded) {
  const fs::path dir(case_dir);
  const fs::path log_path = dir / kCustodyLogName;
  const fs::path evidence = dir / kEvidenceFolderName;
  VerifyResult result;
  std::error_code ec;
  if (!fs::exists(log_path, ec) && !fs::exists(evidence, ec) && (!recorded || recorded->entries == 0)) {
    result.head = CustodyHead{0, kZeroHash};
    return result;  // nothing was ever preserved here: nothing to verify, nothing to record
  }
  CustodyWriter writer(log_path);
  const CustodyLog log = read_log(log_path);
  result.entries = static_cast<std::int64_t>(log.lines.size());
  auto problem = [&](CustodyProblem kind, std::int64_t entry, std::string path, std::string message) {
    result.problems.push_back(CustodyFinding{kind, entry, std::move(path), std::move(message)});
  };

  // The chain: each entry's prev is the hash written on the line before it.
  std::optional<std::string> expected_prev = kZeroHash;
  for (const LogLine& l : log.lines) {
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
  if (auto mismatch = compare_with_recorded(log, recorded)) result.problems.push_back(std::move(*mismatch));

  // The copies: present, readable, same size and SHA-256 as recorded.
  std::set<std::string> recorded_paths;
  for (const LogLine& l : log.lines) {
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
    const auto digest = hash_file(copy.string(), error);
    if (!digest) {
      problem(CustodyProblem::kUnreadable, l.number, l.destination,
              l.destination + ": cannot read: " + error + " (entry " + n + ")");
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
