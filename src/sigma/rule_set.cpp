#include "sigma/rule_set.h"

#include "sigma/network_logsource.h"

#include <algorithm>

namespace ashiato::sigma {
namespace {

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// A filter applies when every logsource attribute it sets equals the rule's.
bool logsource_contains(const LogSource& filter, const LogSource& rule) {
  return (filter.category.empty() || filter.category == rule.category) &&
         (filter.product.empty() || filter.product == rule.product) &&
         (filter.service.empty() || filter.service == rule.service);
}

std::vector<std::string> filter_targets(const Rule& f) {
  const YamlValue* r = f.filter.find("rules");
  if (r == nullptr || (r->is_scalar() && r->scalar_text() == "any")) return {};
  return r->scalars();  // empty: any rule
}

}  // namespace

bool RuleSelection::selects(const Rule& rule) const {
  if (!min_level.empty() && level_rank(rule.level) < level_rank(min_level)) return false;
  if (!statuses.empty() && !contains(statuses, rule.status)) return false;
  if (!rule_ids.empty() && !contains(rule_ids, rule.id)) return false;
  if (contains(excluded_ids, rule.id)) return false;
  if (!tags.empty()) {
    const bool any = std::any_of(tags.begin(), tags.end(), [&](const std::string& t) {
      return std::any_of(rule.tags.begin(), rule.tags.end(),
                         [&](const std::string& rt) { return folded(rt) == folded(t); });
    });
    if (!any) return false;
  }
  return true;
}

std::vector<std::uint32_t>& RuleSet::activation_stamps() {
  thread_local std::vector<std::uint32_t> stamps;
  return stamps;
}

std::vector<std::uint32_t>& RuleSet::activated_scratch(int list) {
  thread_local std::vector<std::uint32_t> lists[2];
  return lists[list];
}

std::uint32_t& RuleSet::activation_generation() {
  thread_local std::uint32_t generation = 0;
  return generation;
}

const RuleSet::ChannelIndex* RuleSet::channel(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &it->second;
}

const RuleSet::Candidates* RuleSet::by_event_id(const ChannelIndex& index, std::string_view text) const {
  if (text.empty() || text.size() > 9) return nullptr;
  std::uint32_t id = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return nullptr;
    id = id * 10 + static_cast<std::uint32_t>(c - '0');
  }
  auto it = index.by_event_id.find(id);
  return it == index.by_event_id.end() ? nullptr : &it->second;
}

bool RuleSet::may_match(std::string_view channel_name, std::string_view event_id) const {
  const ChannelIndex* idx = channel(channel_name);
  if (idx == nullptr) return false;
  if (!idx->any_event_id.empty()) return true;
  const Candidates* by_id = by_event_id(*idx, event_id);
  return by_id != nullptr && !by_id->empty();
}

RuleSet RuleSet::compile(LoadResult& loaded, const RuleSelection& selection, const Placeholders& placeholders) {
  RuleSet set;
  set.channel_field_ = intern_field("Channel");
  set.event_id_field_ = intern_field("EventID");
  std::vector<const Rule*> filters;
  for (const Rule& r : loaded.rules) {
    if (r.kind == RuleKind::kFilter) filters.push_back(&r);
    if (r.kind == RuleKind::kCorrelation) set.summary_.correlations++;
  }
  set.summary_.filters = filters.size();
  for (const Rule& rule : loaded.rules) {
    if (rule.kind != RuleKind::kDetection) continue;
    set.summary_.loaded++;
    if (!selection.selects(rule)) {
      set.summary_.deselected++;
      continue;
    }
    auto gates = windows_gates(rule.logsource);
    if (gates.empty()) gates = network_gates(rule.logsource);
    const auto rule_index = static_cast<std::uint32_t>(set.rules_.size());
    std::vector<Variant> variants;
    try {
      for (const EventGate& gate : gates) {
        CompileContext ctx{gate.fields, &placeholders};
        Detection d = Detection::compile(rule.detection, ctx);
        int n = 0;
        for (const Rule* f : filters) {
          const auto targets = filter_targets(*f);
          const bool named =
              targets.empty() || contains(targets, rule.id) || (!rule.name.empty() && contains(targets, rule.name));
          if (named && logsource_contains(f->logsource, rule.logsource)) {
            d.add_filter(f->filter, "_filt_" + std::to_string(n++) + "_", ctx);
          }
        }
        variants.push_back(Variant{rule_index, std::move(d)});
      }
      if (gates.empty()) {  // still validate the rule so lint reports its errors
        CompileContext ctx{nullptr, &placeholders};
        Detection::compile(rule.detection, ctx);
      }
    } catch (const CompileError& e) {
      loaded.rejected.push_back(Rejection{rule.file, e.line > 0 ? e.line : rule.line, rule.title, e.what()});
      continue;
    } catch (const std::invalid_argument& e) {
      loaded.rejected.push_back(Rejection{rule.file, rule.line, rule.title, e.what()});
      continue;
    }
    set.rules_.push_back(rule);
    if (gates.empty()) {
      set.not_applicable_.push_back(rule_index);
      set.summary_.not_applicable++;
      continue;
    }
    set.summary_.compiled++;
    for (std::size_t g = 0; g < gates.size(); ++g) {
      const auto v = static_cast<std::uint32_t>(set.variants_.size());
      set.variants_.push_back(std::move(variants[g]));
      // Index by EventID: the gate's, narrowed by what the condition requires (most service
      // rules test EventID themselves), so an event meets only rules that can match it.
      std::optional<std::vector<std::uint32_t>> ids;
      if (!gates[g].event_ids.empty()) ids = gates[g].event_ids;
      const auto implied = set.variants_[v].detection.required_event_ids(set.event_id_field_);
      if (implied) {
        if (ids) {
          std::vector<std::uint32_t> both;
          for (auto id : *ids) {
            if (std::find(implied->begin(), implied->end(), id) != implied->end()) both.push_back(id);
          }
          ids = both;
        } else {
          ids = implied;
        }
      }
      for (const std::string& ch : gates[g].channels) {
        ChannelIndex& idx = set.index_[ch];
        if (!ids) {
          idx.any_event_id.always.push_back(v);
        } else {
          for (auto id : *ids) idx.by_event_id[id].always.push_back(v);
        }
      }
    }
  }
  std::vector<CorrelationError> correlation_errors;
  set.correlations_ = CorrelationSet::compile(loaded.rules, correlation_errors);
  for (const auto& e : correlation_errors) loaded.rejected.push_back(Rejection{e.file, e.line, "", e.reason});
  for (const Rule& r : set.rules_) {
    set.correlation_source_.push_back(set.correlations_.source_of(r.id));
    const auto& sup = set.correlations_.suppressed();
    set.suppressed_.push_back(std::find(sup.begin(), sup.end(), r.id) != sup.end() ? 1 : 0);
  }
  set.summary_.correlations = set.correlations_.rules().size();
  set.prefilter_ = std::make_unique<LiteralPrefilter>();
  for (auto& v : set.variants_) v.detection.register_literals(*set.prefilter_);
  set.needle_variants_.assign(set.prefilter_->size(), {});
  // How many rules need each literal: a literal many rules need ("service control manager",
  // "\\cmd.exe") is one that events commonly hold, so it activates rules often.
  std::vector<std::uint32_t> needed_by(set.prefilter_->size(), 0);
  for (Variant& v : set.variants_) {
    v.required_needles = v.detection.required_needles();
    for (const auto& any : v.required_needles) {
      for (auto n : any) needed_by[n]++;
    }
  }
  for (std::uint32_t i = 0; i < set.variants_.size(); ++i) {
    Variant& v = set.variants_[i];
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
        min_len = std::min(min_len, set.prefilter_->needle_length(n));
      }
      if (shared < best_rank.first || (shared == best_rank.first && min_len > best_rank.second)) {
        best_rank = {shared, min_len};
        best = k;
      }
    }
    std::swap(v.required_needles[0], v.required_needles[best]);
    for (auto n : v.required_needles[0]) set.needle_variants_[n].push_back(i);
    v.activated_by_literals = true;
  }
  set.prefilter_->build();
  set.summary_.literal_databases = set.prefilter_->databases();
  set.summary_.literal_databases_cached = set.prefilter_->cached_databases();
  auto split = [&set](Candidates& c) {
    const std::vector<std::uint32_t> all = std::move(c.always);
    c.always.clear();
    for (std::uint32_t v : all) {
      if (!set.variants_[v].activated_by_literals) {
        c.always.push_back(v);
        continue;
      }
      if (c.activated_member.size() <= v / 64) c.activated_member.resize(v / 64 + 1, 0);
      c.activated_member[v / 64] |= std::uint64_t{1} << (v % 64);
      for (std::uint32_t n : set.variants_[v].required_needles[0])
        c.activation_slots.push_back(set.prefilter_->slot_of(n));
    }
    std::sort(c.activation_slots.begin(), c.activation_slots.end());
    c.activation_slots.erase(std::unique(c.activation_slots.begin(), c.activation_slots.end()),
                             c.activation_slots.end());
  };
  for (auto& [name, idx] : set.index_) {
    split(idx.any_event_id);
    for (auto& [id, candidates] : idx.by_event_id) split(candidates);
  }
  return set;
}

}  // namespace ashiato::sigma
