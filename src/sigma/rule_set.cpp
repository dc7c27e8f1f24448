#include "sigma/rule_set.h"

#include <algorithm>
#include <optional>

#include "sigma/engine/network_logsource.h"
#include "sigma/engine/rule_index.h"
#include "sigma/engine/string_pattern.h"
#include "sigma/engine/windows_logsource.h"

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

RuleSet::RuleSet() = default;
RuleSet::~RuleSet() = default;
RuleSet::RuleSet(RuleSet&&) noexcept = default;
RuleSet& RuleSet::operator=(RuleSet&&) noexcept = default;

const std::vector<std::uint32_t>& RuleSet::match(const Event& event, MatchScratch& scratch,
                                                 MatchSemantics semantics) const {
  MatchState& state = scratch.state();
  std::vector<std::uint32_t>& matched = state.activation().matched;
  matched.clear();
  if (!index_) return matched;
  state.begin(event);
  index_->match(state, semantics, matched);
  return matched;
}

bool RuleSet::may_match(std::string_view channel_name, std::string_view event_id) const {
  return index_ && index_->may_match(channel_name, event_id);
}

RuleSet RuleSet::compile(LoadResult& loaded, const RuleSelection& selection, const Placeholders& placeholders) {
  RuleSet set;
  set.index_ = std::make_unique<RuleIndex>();
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
    std::vector<Detection> variants;  // one per gate
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
        variants.push_back(std::move(d));
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
      // Index by EventID: the gate's, narrowed by what the condition requires (most service
      // rules test EventID themselves), so an event meets only rules that can match it.
      std::optional<std::vector<std::uint32_t>> ids;
      if (!gates[g].event_ids.empty()) ids = gates[g].event_ids;
      const auto implied = variants[g].required_event_ids(set.index_->event_id_field());
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
      set.index_->add(rule_index, std::move(variants[g]), gates[g].channels, ids);
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
  set.index_->finish();
  set.summary_.literal_databases = set.index_->literal_databases();
  set.summary_.literal_databases_cached = set.index_->literal_databases_cached();
  return set;
}

}  // namespace ashiato::sigma
