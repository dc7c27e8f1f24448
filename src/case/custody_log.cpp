#include "case/custody_log.h"

#include <fcntl.h>
#include <simdjson.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "core/timestamp.h"

namespace ashiato::cases {
namespace fs = std::filesystem;
namespace {

constexpr std::string_view kPrevMarker = ",\"prev\":\"";

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

bool is_hex64(std::string_view s) {
  return s.size() == 64 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

CustodyLogLine parse_line(std::string_view line, std::int64_t number, simdjson::dom::parser& parser) {
  CustodyLogLine l;
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

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
  if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 is not available from OpenSSL");
  }
}

std::string Sha256::hex() {
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

namespace {

// Reads `fd` to the end into a digest, then closes it.
std::optional<FileDigest> hash_open_file(int fd, std::string& error) {
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

}  // namespace

std::optional<FileDigest> hash_file(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) {
    error = errno_text();
    return std::nullopt;
  }
  return hash_open_file(fd, error);
}

int open_regular_beneath(const fs::path& dir, const fs::path& relative, std::string& error) {
  int at = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (at < 0) {
    error = dir.string() + ": " + errno_text();
    return -1;
  }
  const std::vector<fs::path> parts(relative.begin(), relative.end());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    // O_NOFOLLOW at every step: a symbolic link anywhere on the way is refused, not followed;
    // O_NONBLOCK: a FIFO put in place of a copy does not hang the open.
    const int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | (last ? O_NONBLOCK : O_DIRECTORY);
    const int next = ::openat(at, parts[i].c_str(), flags);
    const int open_errno = errno;
    ::close(at);
    if (next < 0) {
      error = open_errno == ELOOP || open_errno == ENOTDIR
                  ? "replaced: a symbolic link or another kind of file stands where the copy or a folder above it was"
                  : std::string(std::strerror(open_errno));
      return -1;
    }
    at = next;
  }
  struct stat st {};
  if (::fstat(at, &st) != 0 || !S_ISREG(st.st_mode)) {
    error = "replaced: not a regular file (a device, FIFO, socket or folder stands where the copy was)";
    ::close(at);
    return -1;
  }
  return at;
}

std::optional<FileDigest> hash_copy(const fs::path& case_dir, const std::string& relative, std::string& error) {
  const int fd = open_regular_beneath(case_dir, relative, error);
  if (fd < 0) return std::nullopt;
  return hash_open_file(fd, error);
}

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

JsonObject& JsonObject::text(std::string_view key, std::string_view value) {
  member(key);
  append_json_text(out_, value);
  return *this;
}

JsonObject& JsonObject::number(std::string_view key, std::int64_t value) {
  member(key);
  out_ += std::to_string(value);
  return *this;
}

JsonObject& JsonObject::texts(std::string_view key, const std::vector<std::string>& values) {
  member(key);
  out_ += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out_ += ',';
    append_json_text(out_, values[i]);
  }
  out_ += ']';
  return *this;
}

void JsonObject::member(std::string_view key) {
  if (out_.size() > 1) out_ += ',';
  append_json_text(out_, key);
  out_ += ':';
}

CustodyLog read_custody_log(const fs::path& path) {
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

CustodyWriter::CustodyWriter(const fs::path& path) : path_(path.string()) {
  // O_NOFOLLOW: a symbolic link put in place of the log would make ashiato append elsewhere.
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd_ < 0) throw std::runtime_error(path_ + ": cannot open the custody log: " + errno_text());
  if (::flock(fd_, LOCK_EX) != 0) {
    const std::string reason = errno_text();
    ::close(fd_);
    throw std::runtime_error(path_ + ": cannot lock: " + reason);
  }
}

CustodyWriter::~CustodyWriter() {
  ::close(fd_);
}

void CustodyWriter::start_after(const CustodyLog& log) {
  entries_ = static_cast<std::int64_t>(log.lines.size());
  prev_ = std::string(kNoPreviousHash);
  for (const CustodyLogLine& l : log.lines) {
    if (l.chained) prev_ = l.hash;
  }
  needs_newline_ = !log.ends_with_newline;
}

std::int64_t CustodyWriter::append(const std::string& content) {
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

std::optional<CustodyFinding> compare_with_recorded(const CustodyLog& log, const std::optional<CustodyHead>& recorded) {
  if (!recorded || recorded->entries <= 0) return std::nullopt;
  const auto count = static_cast<std::int64_t>(log.lines.size());
  if (count < recorded->entries) {
    return CustodyFinding{CustodyProblem::kLogTruncated, recorded->entries, "",
                          "custody log has " + std::to_string(count) + " entries, the case recorded " +
                              std::to_string(recorded->entries) + ": entries were removed from its end"};
  }
  const CustodyLogLine& head = log.lines[static_cast<std::size_t>(recorded->entries - 1)];
  if (head.hash != recorded->hash) {
    return CustodyFinding{CustodyProblem::kLogRewritten, recorded->entries, "",
                          "entry " + std::to_string(recorded->entries) + " has hash " +
                              (head.hash.empty() ? "(none)" : head.hash) + ", the case recorded " + recorded->hash +
                              ": the log was rewritten"};
  }
  return std::nullopt;
}

}  // namespace ashiato::cases
