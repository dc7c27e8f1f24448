// The chain-of-custody log's format (see evidence_preservation.h for the exact bytes hashed):
// reading and checking its lines, appending entries under a lock, and the SHA-256 and JSON text
// helpers both preserving and verifying need. Internal to ashiato_case.
#pragma once
#include <openssl/evp.h>

#include <ctime>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "case/evidence_preservation.h"

namespace ashiato::cases {

inline constexpr std::string_view kNoPreviousHash = "0000000000000000000000000000000000000000000000000000000000000000";
inline constexpr std::size_t kReadBlock = 1 << 20;

class Sha256 {
 public:
  Sha256();
  void update(const void* data, std::size_t size) { EVP_DigestUpdate(ctx_.get(), data, size); }
  std::string hex();  // finishes the digest

 private:
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx_;
};

struct FileDigest {
  std::string sha256;
  std::uint64_t size = 0;
};
// nullopt with `error` set when the file cannot be read.
std::optional<FileDigest> hash_file(const std::string& path, std::string& error);
// Opens `relative` (below `dir`) for reading only if every folder on the way is a real folder and
// the file a regular file: no symbolic link is followed, no device or FIFO read. -1 and `error`
// otherwise (starting with "replaced: " when something else stands on the way).
int open_regular_beneath(const std::filesystem::path& dir, const std::filesystem::path& relative, std::string& error);
// hash_file of a preserved copy, opened with open_regular_beneath.
std::optional<FileDigest> hash_copy(const std::filesystem::path& case_dir, const std::string& relative,
                                    std::string& error);

// A JSON string. File names need not be UTF-8, JSON must be: a byte that is not part of a valid
// sequence is written as \u00XX (its Latin-1 reading), so the log stays valid for any name.
void append_json_text(std::string& out, std::string_view s);
// What append_json_text's output decodes to: the form a path has when read back from the log.
std::string as_logged(std::string_view s);
// A copy's file name: the original's, with bytes that are not UTF-8 and control characters as
// %XX, so that every destination can be written exactly in the (UTF-8) log.
std::string safe_name(std::string_view name);

timespec now();
std::string iso_time(const timespec& t);  // UTC, microseconds

// Members of one entry in a fixed order, written without spaces: the canonical content.
class JsonObject {
 public:
  JsonObject& text(std::string_view key, std::string_view value);
  JsonObject& number(std::string_view key, std::int64_t value);
  JsonObject& texts(std::string_view key, const std::vector<std::string>& values);
  std::string content() const { return out_ + '}'; }

 private:
  void member(std::string_view key);
  std::string out_ = "{";
};

struct CustodyLogLine {
  std::int64_t number = 0;  // 1-based
  bool chained = false;     // ends in ,"prev":"<64 hex>","hash":"<64 hex>"}
  bool parsed = false;      // and is a JSON object
  std::string content, prev, hash;
  std::string type, source, destination, sha256;
  std::int64_t seq = 0, size = -1;
};

struct CustodyLog {
  std::vector<CustodyLogLine> lines;
  bool ends_with_newline = true;
};

// Every line, damaged ones included; an absent log has no lines.
CustodyLog read_custody_log(const std::filesystem::path& path);

// nullopt when the log still holds the recorded head entry with its hash, else why not.
std::optional<CustodyFinding> compare_with_recorded(const CustodyLog& log, const std::optional<CustodyHead>& recorded);

// The open, exclusively locked log (two runs on one case would interleave their chains: the
// second waits). Each entry is appended with one write and synced before the run goes on.
class CustodyWriter {
 public:
  explicit CustodyWriter(const std::filesystem::path& path);
  ~CustodyWriter();
  CustodyWriter(const CustodyWriter&) = delete;
  CustodyWriter& operator=(const CustodyWriter&) = delete;

  // Chains on the last complete line of `log` (read after the lock was taken).
  void start_after(const CustodyLog& log);
  std::int64_t next_entry() const { return entries_ + 1; }
  // `content` is the canonical content; returns the entry's number.
  std::int64_t append(const std::string& content);
  CustodyHead head() const { return CustodyHead{entries_, prev_}; }

 private:
  std::string path_;
  int fd_ = -1;
  std::int64_t entries_ = 0;
  std::string prev_{kNoPreviousHash};
  bool needs_newline_ = false;
};

}  // namespace ashiato::cases
