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

struct ThreadStatePerFilter;

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
  // Whether any of the needles occurs in a (folded) value of its field in `event` (a rule's set
  // of alternatives); a field's values are scanned on the first question about them per event.
  bool any_occurs(const std::vector<std::uint32_t>& ids, const Event& event) const;
  // For many questions about the needles of one slot (the values of one rule field): the slot is
  // scanned once, then each answer is an array lookup.
  struct Presence {
    const std::uint32_t* seen;
    std::uint32_t generation;
    bool has(std::uint32_t id) const { return seen[id] == generation; }
  };
  Presence presence(std::uint32_t slot, const Event& event) const;
  // Scans the fields of the given slots (see slot_of) in `event` and returns the needles found so
  // far for this event (each once), in the order found.
  const std::vector<std::uint32_t>& scan_slots(const std::vector<std::uint32_t>& slots, const Event& event) const;
  // The slot (one per field) of a needle.
  std::uint32_t slot_of(std::uint32_t id) const { return needle_field_slot_[id]; }
  std::size_t size() const { return needle_field_slot_.size(); }
  // Databases build() read from the literal cache instead of compiling (see literal_cache.h).
  std::size_t cached_databases() const { return cached_databases_; }
  std::size_t databases() const { return slots_.size(); }
  std::size_t needle_length(std::uint32_t id) const { return needle_length_[id]; }
  // Unique in the process (addresses are reused, serials are not): names this prefilter's
  // per-thread state and the value memo (value_memo.h) filled with its answers.
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
  // The calling thread's scan state, readied for the current event.
  ThreadStatePerFilter& event_state() const;
  void scan(ThreadStatePerFilter& mine, std::uint32_t slot, const Event& event) const;

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

// Marks the start of a new event for every prefilter on this thread.
void prefilter_begin_event();

}  // namespace ashiato::sigma
