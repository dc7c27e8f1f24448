// Evidence preservation with a chain of custody. Files are copied into DIR/evidence/<run>/ (one
// read of the source computes SHA-256 and size while copying), made read-only, and each copy is
// recorded in DIR/custody.jsonl, an append-only log whose entries are chained by hashes so that an
// edited, removed or reordered entry is noticed. verify_evidence() re-hashes every copy and
// re-computes the chain. Format and semantics: docs/preservation.md.
//
// The chained hash of an entry (see custody_entry_hash) is SHA-256 over exactly these bytes:
//   prev     the previous entry's "hash" as 64 lowercase hex ASCII characters (64 '0' for the
//            first entry), immediately followed by
//   content  the entry's JSON object as written on its line, without its "prev" and "hash"
//            members: the line's bytes up to (not including) the final `,"prev":"`, then `}`.
// Each line is therefore   content-without-its-closing-brace ,"prev":"<prev>","hash":"<hash>"}\n
// and can be checked without a JSON library by cutting the line at its last `,"prev":"`.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"

namespace ashiato::cases {

inline constexpr const char* kCustodyLogName = "custody.jsonl";
inline constexpr const char* kEvidenceFolderName = "evidence";

// Where the chain ended when ashiato last wrote it: entry number and that entry's hash. A chain
// with its last entries cut off is still a valid chain, so the case keeps this anchor apart from
// the log (in case.sqlite) to notice truncation and rewriting.
struct CustodyHead {
  std::int64_t entries = 0;
  std::string hash;  // 64 '0' when there are no entries
};

// Who preserves or verifies, on which machine, with which tool, and why (a ticket number).
struct CustodyIdentity {
  std::string user, host, tool, note;
};
// The effective user's name (getpwuid(geteuid())) and the host name of this machine.
CustodyIdentity current_identity(std::string tool, std::string note);

struct PreservedFile {
  std::string source;       // absolute path of the original
  std::string destination;  // path of the copy, relative to the case folder ("evidence/<run>/...")
  std::string sha256;
  std::uint64_t size = 0;
  std::int64_t entry = 0;  // custody entry that records it (of the earlier copy for duplicates)
  bool duplicate = false;  // the same content from the same path was preserved before: not copied
};

struct PreserveResult {
  std::string run;                   // the per-run folder under evidence/ (empty if nothing was copied)
  std::vector<PreservedFile> files;  // copied and skipped-as-duplicate files, in input order
  std::size_t copied = 0, duplicates = 0;
  CustodyHead head;
};

// Copies `sources` (files, and folders recursively; symbolic links and special files inside
// folders are skipped with a warning) into the case. Unreadable sources are reported to
// `diagnostics` and the rest goes on. When `recorded` is given, the log must still hold that entry
// with that hash, otherwise nothing is copied and std::runtime_error asks for a verify first; also
// thrown when the log cannot be written.
PreserveResult preserve_evidence(const std::string& case_dir, const std::vector<std::string>& sources,
                                 const CustodyIdentity& who, const std::optional<CustodyHead>& recorded,
                                 Diagnostics& diagnostics);

enum class CustodyProblem {
  kContentChanged,  // a copy's SHA-256 or size differs from its entry
  kMissing,         // a recorded copy is gone
  kUnreadable,      // a recorded copy cannot be read
  kUnrecorded,      // a file under evidence/ that no entry records
  kBadDestination,  // an entry names a copy outside evidence/
  kEntryDamaged,    // a line that is not a complete entry
  kEntryAltered,    // an entry's content does not match its hash
  kChainBroken,     // an entry's "prev" is not the hash of the line before it: removed, inserted or reordered
  kLogTruncated,    // fewer entries than the case recorded
  kLogRewritten,    // the entry the case recorded as its head has another hash now
  kUnconfirmed,     // an entry after the head the case recorded: ashiato did not record writing it
  kReplaced,        // something else than a regular file (a symbolic link, device, FIFO) stands where a copy was
  kAnchorMissing,   // the head hash the user kept (--head) is not in the log
};
std::string_view problem_name(CustodyProblem problem);

struct CustodyFinding {
  CustodyProblem problem;
  std::int64_t entry = 0;  // custody entry (1-based line) concerned, 0 if none
  std::string path;        // the copy concerned, relative to the case folder, if any
  std::string message;     // one line for people
};

struct VerifyResult {
  std::int64_t entries = 0;       // custody entries checked (the appended verify entry not included)
  std::int64_t anchor_entry = 0;  // the entry whose hash is the user's anchor (0: none given or not found)
  std::size_t files = 0;          // recorded copies checked
  std::vector<CustodyFinding> problems;
  CustodyHead head;  // after the verify entry was appended
  bool intact() const { return problems.empty(); }
};

// Re-hashes every recorded copy, re-computes the chain, compares with `recorded` (entries after it
// are unconfirmed), and with `anchor` (a head hash the user kept outside the case) when given,
// looks for files nobody recorded, then appends a "verify" entry with the result. Throws
// std::runtime_error when the log cannot be written.
VerifyResult verify_evidence(const std::string& case_dir, const CustodyIdentity& who,
                             const std::optional<CustodyHead>& recorded,
                             const std::optional<std::string>& anchor = std::nullopt);

// SHA-256 of bytes as lowercase hex.
std::string sha256_hex(std::string_view bytes);
// SHA-256 over prev (64 hex characters) followed by the entry's content, as described above.
std::string custody_entry_hash(std::string_view prev, std::string_view content);

}  // namespace ashiato::cases
