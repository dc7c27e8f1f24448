#include "sigma/engine/literal_prefilter.h"

#include <hs/hs.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <stdexcept>

#include "sigma/engine/event_field_index.h"
#include "sigma/engine/literal_cache.h"
#include "sigma/engine/match_state.h"
#include "sigma/engine/string_pattern.h"
#include "sigma/engine/value_memo.h"

namespace ashiato::sigma {

PrefilterScan::~PrefilterScan() {
  hs_free_scratch(scratch);
}

namespace {

// Facts a slot's scan leaves in the value memo are tagged apart from detection items'.
constexpr std::uint32_t kSlotTag = 0x80000000U;

struct ScanContext {
  std::uint32_t* seen;
  const std::uint32_t* ids;
  std::uint32_t generation;
  std::vector<std::uint32_t>* present;
  std::vector<std::uint32_t>* found;
  std::uint32_t* found_stamp;
  std::uint32_t value_scan;

  void mark(std::uint32_t needle) const {
    std::uint32_t& s = seen[needle];
    if (s != generation) {
      s = generation;
      present->push_back(needle);
    }
  }
  // The needle occurs in the value being scanned.
  void found_in_value(std::uint32_t needle) const {
    std::uint32_t& stamp = found_stamp[needle];
    if (stamp == value_scan) return;
    stamp = value_scan;
    mark(needle);
    found->push_back(needle);
  }
};

int on_match(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/, unsigned int /*flags*/,
             void* ctx) {
  // Needles are compiled without HS_FLAG_SINGLEMATCH: Hyperscan's own bookkeeping of it cost more
  // than this stamp does for the repeats it would have suppressed (hunting a 16 MB bulk of
  // command lines: Hyperscan 120 M -> 84 M instructions, this callback about 2 M more).
  auto* c = static_cast<ScanContext*>(ctx);
  c->found_in_value(c->ids[id]);
  return 0;
}

// Whether each byte value occurs in a text. Needles of one byte are looked up here instead of
// going through Hyperscan: found in almost every value (a space, a digit, ':'), they were a third
// of its matches on command lines, each reported one by one (16 MB bulk: Hyperscan 84 M -> 63 M
// instructions).
class ByteSet {
 public:
  explicit ByteSet(std::string_view text) {
    for (const char c : text) {
      const auto b = static_cast<unsigned char>(c);
      words_[b >> 6] |= std::uint64_t{1} << (b & 63);
    }
  }
  bool has(unsigned char b) const { return ((words_[b >> 6] >> (b & 63)) & 1) != 0; }

 private:
  std::uint64_t words_[4] = {};
};

std::atomic<std::uint64_t> next_serial{1};

}  // namespace

LiteralPrefilter::LiteralPrefilter() : serial_(next_serial++) {}

LiteralPrefilter::~LiteralPrefilter() {
  for (auto& s : slots_) hs_free_database(s.db);
  hs_free_scratch(prototype_);
}

std::uint32_t LiteralPrefilter::add(FieldId field, const std::string& needle) {
  const std::string key = std::to_string(field) + '\0' + needle;
  auto it = ids_.find(key);
  if (it != ids_.end()) return it->second;
  auto slot_it = slot_of_field_.find(field);
  if (slot_it == slot_of_field_.end()) {
    slot_it = slot_of_field_.emplace(field, static_cast<std::uint32_t>(slots_.size())).first;
    slots_.push_back(Slot{field, {}, {}, nullptr});
  }
  const auto id = static_cast<std::uint32_t>(needle_field_slot_.size());
  needle_field_slot_.push_back(slot_it->second);
  needle_length_.push_back(needle.size());
  slots_[slot_it->second].needles.push_back(needle);
  slots_[slot_it->second].ids.push_back(id);
  ids_.emplace(key, id);
  return id;
}

void LiteralPrefilter::build() {
  // Fields compile independently; CommandLine's database is the largest. Large databases are
  // read from the cache when the same literals were compiled before.
  constexpr std::size_t kCachedFrom = 256;  // literals; smaller databases compile in milliseconds
  const std::filesystem::path cache = literal_cache_dir();
  std::atomic<std::size_t> from_cache{0};
  std::vector<std::string> errors(slots_.size());
  for (Slot& slot : slots_) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < slot.needles.size(); ++i) {
      if (slot.needles[i].size() == 1) {
        slot.byte_needles.push_back(static_cast<unsigned char>(slot.needles[i][0]));
        slot.byte_ids.push_back(slot.ids[i]);
      } else {
        if (kept != i) slot.needles[kept] = std::move(slot.needles[i]);
        slot.ids[kept++] = slot.ids[i];
      }
    }
    slot.needles.resize(kept);
    slot.ids.resize(kept);
  }
  tbb::parallel_for(std::size_t{0}, slots_.size(), [&](std::size_t s) {
    Slot& slot = slots_[s];
    if (slot.needles.empty()) return;
    std::string key;
    if (!cache.empty() && slot.needles.size() >= kCachedFrom) {
      std::string joined = "hs_compile_lit_multi BLOCK, ids in order\n";
      for (const auto& n : slot.needles) {
        joined += std::to_string(n.size());
        joined.push_back(':');
        joined += n;
      }
      key = literal_cache_key(joined);
      slot.db = load_cached_database(cache, key);
      if (slot.db != nullptr) {
        ++from_cache;
        return;
      }
    }
    std::vector<const char*> patterns;
    std::vector<std::size_t> lengths;
    std::vector<unsigned> flags(slot.needles.size(), 0);
    std::vector<unsigned> ids;
    for (std::size_t i = 0; i < slot.needles.size(); ++i) {
      patterns.push_back(slot.needles[i].data());
      lengths.push_back(slot.needles[i].size());
      ids.push_back(static_cast<unsigned>(i));
    }
    hs_compile_error_t* error = nullptr;
    if (hs_compile_lit_multi(patterns.data(), flags.data(), ids.data(), lengths.data(),
                             static_cast<unsigned>(patterns.size()), HS_MODE_BLOCK, nullptr, &slot.db,
                             &error) != HS_SUCCESS) {
      errors[s] = error != nullptr ? error->message : "unknown error";
      hs_free_compile_error(error);
    } else if (!key.empty()) {
      store_cached_database(cache, key, slot.db);
    }
  });
  cached_databases_ = from_cache;
  for (const auto& e : errors) {
    if (!e.empty()) throw std::runtime_error("cannot build the literal prefilter: " + e);
  }
  for (auto& slot : slots_) {
    if (slot.db != nullptr && hs_alloc_scratch(slot.db, &prototype_) != HS_SUCCESS)
      throw std::runtime_error("cannot allocate Hyperscan scratch");
  }
}

PrefilterScan& LiteralPrefilter::event_scan(MatchState& state) const {
  PrefilterScan& mine = state.prefilter_scan(*this);
  if (mine.present_generation == state.event_generation()) return mine;
  // First question about this event: size the state (a rule set's needles are fixed by now).
  mine.present_generation = state.event_generation();
  mine.present.clear();
  if (mine.needle_seen.size() < needle_field_slot_.size()) {
    mine.needle_seen.resize(needle_field_slot_.size(), 0);
    mine.found_stamp.resize(needle_field_slot_.size(), 0);
  }
  if (mine.slot_scanned.size() < slots_.size()) mine.slot_scanned.resize(slots_.size(), 0);
  if (mine.scratch == nullptr && prototype_ != nullptr && hs_clone_scratch(prototype_, &mine.scratch) != HS_SUCCESS) {
    throw std::runtime_error("cannot allocate Hyperscan scratch");
  }
  return mine;
}

void LiteralPrefilter::scan(PrefilterScan& mine, std::uint32_t slot_index, MatchState& state) const {
  const std::uint32_t generation = state.event_generation();
  if (mine.slot_scanned[slot_index] == generation) return;
  mine.slot_scanned[slot_index] = generation;
  const Slot& slot = slots_[slot_index];
  const Event& e = state.event();
  const EventFieldIndex& index = state.fields();
  const std::uint32_t first = slot.field == kNoField ? 0 : index.first(slot.field);
  if (first == EventFieldIndex::kNone || first >= e.field_count()) return;  // the field is absent
  ScanContext ctx{
      mine.needle_seen.data(), slot.ids.data(), generation, &mine.present, &mine.found, mine.found_stamp.data(), 0};
  ValueMemo& memo = state.memo(serial_);
  const std::uint32_t tag = kSlotTag | slot_index;
  auto scan_value = [&](std::uint32_t i) {
    const std::uint32_t entry = memo.entry_of(e, i, index.generation());
    if (entry != ValueMemo::kNone) {
      if (const std::uint64_t* known = memo.find(entry, tag)) {
        const std::uint32_t* needles = memo.list_data(*known);
        for (std::uint32_t k = 0; k < ValueMemo::list_size(*known); ++k) ctx.mark(needles[k]);
        return;
      }
    }
    const std::string_view raw = e.field_value(i);
    mine.folded.clear();
    append_folded(mine.folded, raw);
    mine.found.clear();
    if (++mine.value_scan == 0) {  // wrapped: stamps of 4 billion scans ago would look current
      std::fill(mine.found_stamp.begin(), mine.found_stamp.end(), 0);
      mine.value_scan = 1;
    }
    ctx.value_scan = mine.value_scan;
    if (slot.db != nullptr) {
      hs_scan(slot.db, mine.folded.data(), static_cast<unsigned>(mine.folded.size()), 0, mine.scratch, on_match, &ctx);
    }
    if (!slot.byte_needles.empty()) {
      const ByteSet bytes(mine.folded);
      for (std::size_t k = 0; k < slot.byte_needles.size(); ++k) {
        if (bytes.has(slot.byte_needles[k])) ctx.found_in_value(slot.byte_ids[k]);
      }
    }
    if (entry != ValueMemo::kNone) memo.put(entry, tag, memo.store_list(mine.found));
  };
  if (slot.field == kNoField) {  // keywords: every field
    for (std::uint32_t i = 0; i < e.field_count(); ++i) scan_value(i);
    return;
  }
  for (std::uint32_t i = first; i != EventFieldIndex::kNone; i = index.next(i)) scan_value(i);
}

const std::vector<std::uint32_t>& LiteralPrefilter::scan_slots(const std::vector<std::uint32_t>& slots,
                                                               MatchState& state) const {
  auto& mine = event_scan(state);
  for (std::uint32_t s : slots) scan(mine, s, state);
  return mine.present;
}

LiteralPrefilter::Presence LiteralPrefilter::presence(std::uint32_t slot, MatchState& state) const {
  auto& mine = event_scan(state);
  scan(mine, slot, state);
  return Presence{mine.needle_seen.data(), state.event_generation()};
}

bool LiteralPrefilter::any_occurs(const std::vector<std::uint32_t>& ids, MatchState& state) const {
  // Asked for most rules of an event: the state's scans are looked up once, not once per needle.
  auto& mine = event_scan(state);
  const std::uint32_t generation = state.event_generation();
  for (const std::uint32_t id : ids) {
    const std::uint32_t slot = needle_field_slot_[id];
    if (mine.slot_scanned[slot] != generation) scan(mine, slot, state);
    if (mine.needle_seen[id] == generation) return true;
  }
  return false;
}

}  // namespace ashiato::sigma
