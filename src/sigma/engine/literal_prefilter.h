// The case-insensitive "contains" literals of a whole rule set, scanned with one Hyperscan
// database per field: each event value is scanned once, and every rule's contains-test becomes
// a lookup, instead of one substring search per rule and value. Keywords (values without a field)
// are registered under kNoField, whose database is run over every field of the event.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"

struct hs_database;
struct hs_scratch;

namespace ashiato::sigma {

class MatchState;

// One matching state's scans with one prefilter: the generation at which each needle was last
// seen and each field last scanned (no clearing between events).
struct PrefilterScan {
  PrefilterScan() = default;
  ~PrefilterScan();
  PrefilterScan(const PrefilterScan&) = delete;
  PrefilterScan& operator=(const PrefilterScan&) = delete;
  std::vector<std::uint32_t> needle_seen;
  std::vector<std::uint32_t> slot_scanned;
  hs_scratch* scratch = nullptr;
  std::string folded;
  std::vector<std::uint32_t> present;  // needles seen in this generation, in order found
  std::uint32_t present_generation = 0;
  std::vector<std::uint32_t> found;        // needles of the value being scanned, for the memo
  std::vector<std::uint32_t> found_stamp;  // per needle: the value scan that last found it
  std::uint32_t value_scan = 0;            // numbers this state's value scans
};

class LiteralPrefilter {
 public:
  LiteralPrefilter();
  ~LiteralPrefilter();
  LiteralPrefilter(const LiteralPrefilter&) = delete;
  LiteralPrefilter& operator=(const LiteralPrefilter&) = delete;

  // Registers an ASCII-folded needle for a field (the same needle is shared); returns its id.
  std::uint32_t add(FieldId field, const std::string& folded_needle);
  // Compiles the databases. Throws std::runtime_error on a Hyperscan error.
  void build();
  // Whether any of the needles occurs in a (folded) value of its field in the state's event (a
  // rule's set of alternatives); a field's values are scanned on the first question about them
  // per event.
  bool any_occurs(const std::vector<std::uint32_t>& ids, MatchState& state) const;
  // For many questions about the needles of one slot (the values of one rule field): the slot is
  // scanned once, then each answer is an array lookup.
  struct Presence {
    const std::uint32_t* seen;
    std::uint32_t generation;
    bool has(std::uint32_t id) const { return seen[id] == generation; }
  };
  Presence presence(std::uint32_t slot, MatchState& state) const;
  // Scans the fields of the given slots (see slot_of) in the state's event and returns the
  // needles found so far for this event (each once), in the order found.
  const std::vector<std::uint32_t>& scan_slots(const std::vector<std::uint32_t>& slots, MatchState& state) const;
  // The slot (one per field) of a needle.
  std::uint32_t slot_of(std::uint32_t id) const { return needle_field_slot_[id]; }
  std::size_t size() const { return needle_field_slot_.size(); }
  // Databases build() read from the literal cache instead of compiling (see literal_cache.h).
  std::size_t cached_databases() const { return cached_databases_; }
  std::size_t databases() const { return slots_.size(); }
  std::size_t needle_length(std::uint32_t id) const { return needle_length_[id]; }
  // Unique in the process (addresses are reused, serials are not): names this prefilter's
  // scans in a matching state and the value memo (value_memo.h) filled with its answers.
  std::uint64_t serial() const { return serial_; }
  // A new tag for facts about values in the memo (detection items use one each).
  std::uint32_t new_memo_tag() { return memo_tags_++; }

 private:
  struct Slot {
    FieldId field;
    std::vector<std::string> needles;
    std::vector<std::uint32_t> ids;  // local index -> needle id
    hs_database* db = nullptr;       // of `needles`; null when all are single bytes
    // Needles of one byte, looked up in the set of a value's bytes instead (see build()).
    std::vector<unsigned char> byte_needles;
    std::vector<std::uint32_t> byte_ids;
  };
  // The state's scans with this prefilter, readied for its event.
  PrefilterScan& event_scan(MatchState& state) const;
  void scan(PrefilterScan& mine, std::uint32_t slot, MatchState& state) const;

  std::vector<Slot> slots_;
  std::unordered_map<FieldId, std::uint32_t> slot_of_field_;
  std::unordered_map<std::string, std::uint32_t> ids_;  // field id + needle -> needle id
  std::vector<std::uint32_t> needle_field_slot_;
  std::vector<std::size_t> needle_length_;
  hs_scratch* prototype_ = nullptr;
  std::size_t cached_databases_ = 0;
  std::uint64_t serial_;
  std::uint32_t memo_tags_ = 0;  // below kSlotTag: slots' facts use kSlotTag | slot
};

}  // namespace ashiato::sigma
