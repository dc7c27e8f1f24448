// Findings packed one after another in one byte string. A hunt over a large log makes hundreds of
// thousands of detections; as Finding objects each cost a dozen heap blocks, made, moved, spilled
// to disk and freed again, which took a fifth of the hunt. Packed, a detection is written once,
// straight from its rule and event, copied as one block into the timeline spool and its runs,
// and unpacked only to be written out.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/finding.h"

namespace ashiato::analyze {

// A finding's fields, pointing into whatever holds them (a Finding, or a rule and an event).
struct FindingView {
  FindingKind kind = FindingKind::kSigma;
  Level level = Level::kNone;
  std::string_view title, rule_id, host, user, src_ip, dst, channel, event_id, details, file;
  const std::vector<std::string>* tags = nullptr;      // null: none
  const std::vector<EvidenceRef>* evidence = nullptr;  // all of the finding's; null: only file, record, offset
  Timestamp time;
  std::optional<Timestamp> until;
  std::uint64_t record_id = 0, offset = 0, sequence = 0;
};
FindingView view_of(const Finding& f);
Finding to_finding(const FindingView& v);

class FindingRecords {
 public:
  // Where a record starts and what the timeline sorts it by.
  struct Key {
    Timestamp time;
    std::uint64_t sequence;
    std::size_t at;  // in bytes()
    friend bool operator<(const Key& a, const Key& b) {
      return a.time < b.time || (a.time == b.time && a.sequence < b.sequence);
    }
  };

  void append(const FindingView& f);
  // Numbers the records in their order from `next` on (next ends past the last).
  void number(std::uint64_t& next);
  // Takes every record of `other`, which is left empty.
  void take(FindingRecords& other);
  void clear();

  std::size_t size() const { return keys_.size(); }
  bool empty() const { return keys_.empty(); }
  const std::string& bytes() const { return bytes_; }
  // The sort keys of all records, in record order (kept as records come: read back from the
  // records themselves, each a cache miss away in a batch of megabytes, they cost more than sorting).
  const std::vector<Key>& keys() const { return keys_; }
  // The key of the record starting at `record` (at: where it is in its bytes).
  static Key key_of(const char* record, std::size_t at = 0);

  // A record's length from its first bytes (kLengthBytes of them), and the whole record unpacked.
  static constexpr std::size_t kLengthBytes = 4;
  static std::size_t record_length(const char* first_bytes);
  static std::string_view record_at(const std::string& bytes, std::size_t at);
  static void unpack(std::string_view record, Finding& into);
  // Every record unpacked, appended to `into` in record order.
  void unpack_all(std::vector<Finding>& into) const;

 private:
  std::string bytes_;
  std::vector<Key> keys_;
};

}  // namespace ashiato::analyze
