#include "sigma/engine/rule_index.h"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <utility>

namespace ashiato::sigma {

RuleIndex::RuleIndex()
    : prefilter_(std::make_unique<LiteralPrefilter>()),
      channel_field_(intern_field("Channel")),
      event_id_field_(intern_field("EventID")) {}

void RuleIndex::add(std::uint32_t rule, Detection detection, const std::vector<std::string>& channels,
                    const std::optional<std::vector<std::uint32_t>>& event_ids) {
  const auto v = static_cast<std::uint32_t>(variants_.size());
  variants_.push_back(Variant{rule, std::move(detection)});
  for (const std::string& ch : channels) {
    ChannelIndex& idx = index_[ch];
    if (!event_ids) {
      idx.any_event_id.always.push_back(v);
    } else {
      for (auto id : *event_ids) idx.by_event_id[id].always.push_back(v);
    }
  }
}

void RuleIndex::finish() {
  for (auto& v : variants_) v.detection.register_literals(*prefilter_);
  choose_activating_needles();
  prefilter_->build();
  for (auto& [name, idx] : index_) {
    split(idx.any_event_id);
    for (auto& [id, candidates] : idx.by_event_id) split(candidates);
  }
}

void RuleIndex::choose_activating_needles() {
  needle_variants_.assign(prefilter_->size(), {});
  // How many rules need each literal: a literal many rules need ("service control manager",
  // "\\cmd.exe") is one that events commonly hold, so it activates rules often.
  std::vector<std::uint32_t> needed_by(prefilter_->size(), 0);
  for (Variant& v : variants_) {
    v.required_needles = v.detection.required_needles();
    for (const auto& any : v.required_needles) {
      for (auto n : any) needed_by[n]++;
    }
  }
  for (std::uint32_t i = 0; i < variants_.size(); ++i) {
    Variant& v = variants_[i];
    if (v.required_needles.empty()) continue;
    // Index the set of rarest needles: fewest rules sharing them, then the longest shortest
    // needle. Its presence activates the rule; the other sets are checked after.
    std::size_t best = 0;
    std::pair<std::uint64_t, std::size_t> best_rank{UINT64_MAX, 0};
    for (std::size_t k = 0; k < v.required_needles.size(); ++k) {
      std::uint64_t shared = 0;
      std::size_t min_len = SIZE_MAX;
      for (auto n : v.required_needles[k]) {
        shared += needed_by[n];
        min_len = std::min(min_len, prefilter_->needle_length(n));
      }
      if (shared < best_rank.first || (shared == best_rank.first && min_len > best_rank.second)) {
        best_rank = {shared, min_len};
        best = k;
      }
    }
    std::swap(v.required_needles[0], v.required_needles[best]);
    for (auto n : v.required_needles[0]) needle_variants_[n].push_back(i);
    v.activated_by_literals = true;
  }
}

void RuleIndex::split(Candidates& c) const {
  const std::vector<std::uint32_t> all = std::move(c.always);
  c.always.clear();
  for (std::uint32_t v : all) {
    if (!variants_[v].activated_by_literals) {
      c.always.push_back(v);
      continue;
    }
    if (c.activated_member.size() <= v / 64) c.activated_member.resize(v / 64 + 1, 0);
    c.activated_member[v / 64] |= std::uint64_t{1} << (v % 64);
    for (std::uint32_t n : variants_[v].required_needles[0]) c.activation_slots.push_back(prefilter_->slot_of(n));
  }
  std::sort(c.activation_slots.begin(), c.activation_slots.end());
  c.activation_slots.erase(std::unique(c.activation_slots.begin(), c.activation_slots.end()), c.activation_slots.end());
}

const RuleIndex::ChannelIndex* RuleIndex::channel(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &it->second;
}

const RuleIndex::Candidates* RuleIndex::by_event_id(const ChannelIndex& index, std::string_view text) const {
  if (text.empty() || text.size() > 9) return nullptr;
  std::uint32_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return nullptr;
    id = id * 10 + static_cast<std::uint32_t>(c - '0');
  }
  auto it = index.by_event_id.find(id);
  return it == index.by_event_id.end() ? nullptr : &it->second;
}

bool RuleIndex::may_match(std::string_view channel_name, std::string_view event_id) const {
  const ChannelIndex* idx = channel(channel_name);
  if (idx == nullptr) return false;
  if (!idx->any_event_id.empty()) return true;
  const Candidates* by_id = by_event_id(*idx, event_id);
  return by_id != nullptr && !by_id->empty();
}

bool RuleIndex::literals_possible(const Variant& v, MatchState& state) const {
  for (std::size_t i = v.activated_by_literals ? 1 : 0; i < v.required_needles.size(); ++i) {
    if (!prefilter_->any_occurs(v.required_needles[i], state)) return false;
  }
  return true;
}

void RuleIndex::match(MatchState& state, MatchSemantics semantics, std::vector<std::uint32_t>& matched) const {
  const Event& event = state.event();
  const auto ch = event.get(channel_field_);
  if (!ch) return;
  const ChannelIndex* idx = channel(*ch);
  if (idx == nullptr) return;
  MatchState::Activation& activation = state.activation();
  if (activation.stamps.size() < variants_.size()) activation.stamps.resize(variants_.size(), 0);
  const std::uint32_t generation = ++activation.generation;
  const auto id_text = event.get(event_id_field_);
  const Candidates* by_id = id_text ? by_event_id(*idx, *id_text) : nullptr;
  // Only the fields whose literals can activate a candidate are scanned now; others are scanned
  // if a rule asks about them.
  prefilter_->scan_slots(idx->any_event_id.activation_slots, state);
  const std::vector<std::uint32_t>& present =
      prefilter_->scan_slots(by_id != nullptr ? by_id->activation_slots : idx->any_event_id.activation_slots, state);
  std::vector<std::uint32_t>& activated_any = activation.of_any_event_id;
  std::vector<std::uint32_t>& activated_by_id = activation.of_event_id;
  activated_any.clear();
  activated_by_id.clear();
  std::uint32_t* stamps = activation.stamps.data();
  for (std::uint32_t n : present) {
    for (std::uint32_t v : needle_variants_[n]) {
      if (stamps[v] == generation) continue;
      stamps[v] = generation;
      if (idx->any_event_id.holds_activated(v)) activated_any.push_back(v);
      if (by_id != nullptr && by_id->holds_activated(v)) activated_by_id.push_back(v);
    }
  }
  auto test = [&](std::uint32_t v) {
    const Variant& variant = variants_[v];
    if (literals_possible(variant, state) && variant.detection.matches(state, semantics))
      matched.push_back(variant.rule);
  };
  // Merged in variant order, so rules are tested (and matches reported) in rule order.
  auto run = [&](const std::vector<std::uint32_t>& always, std::vector<std::uint32_t>& activated) {
    std::sort(activated.begin(), activated.end());
    auto a = activated.begin();
    for (std::uint32_t v : always) {
      for (; a != activated.end() && *a < v; ++a) test(*a);
      test(v);
    }
    for (; a != activated.end(); ++a) test(*a);
  };
  run(idx->any_event_id.always, activated_any);
  if (by_id != nullptr) run(by_id->always, activated_by_id);
}

}  // namespace ashiato::sigma
