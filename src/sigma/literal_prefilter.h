// The case-insensitive "contains" literals of a whole rule set, scanned with one Hyperscan
// database per field: each event value is scanned once, and every rule's contains-test becomes
// a lookup, instead of one substring search per rule and value.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/event.h"

struct hs_database;
struct hs_scratch;

namespace ashiato::sigma {

class LiteralPrefilter {
 public:
  LiteralPrefilter() = default;
  ~LiteralPrefilter();
  LiteralPrefilter(const LiteralPrefilter&) = delete;
  LiteralPrefilter& operator=(const LiteralPrefilter&) = delete;

  // Registers an ASCII-folded needle for a field (the same needle is shared); returns its id.
  std::uint32_t add(FieldId field, const std::string& folded_needle);
  // Compiles the databases. Throws std::runtime_error on a Hyperscan error.
  void build();
  // Whether needle `id` occurs in any (folded) value of its field in `event`; the field's values
  // are scanned on the first question about them for this event.
  bool occurs(std::uint32_t id, const Event& event) const;
  // Scans every field of `event` that has literals and returns the needles present (each once).
  const std::vector<std::uint32_t>& scan_all(const Event& event) const;
  std::size_t size() const { return needle_field_slot_.size(); }
  std::size_t needle_length(std::uint32_t id) const { return needle_length_[id]; }

 private:
  struct Slot {
    FieldId field;
    std::vector<std::string> needles;
    std::vector<std::uint32_t> ids;  // local index -> needle id
    hs_database* db = nullptr;
  };
  void scan(std::uint32_t slot, const Event& event) const;

  std::vector<Slot> slots_;
  std::unordered_map<FieldId, std::uint32_t> slot_of_field_;
  std::vector<std::int32_t> slot_by_field_;             // FieldId -> slot or -1 (dense, for scan_all)
  std::unordered_map<std::string, std::uint32_t> ids_;  // field id + needle -> needle id
  std::vector<std::uint32_t> needle_field_slot_;
  std::vector<std::size_t> needle_length_;
  hs_scratch* prototype_ = nullptr;
};

// Marks the start of a new event for every prefilter on this thread.
void prefilter_begin_event();

}  // namespace ashiato::sigma
