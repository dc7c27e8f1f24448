#include "sigma/correlation.h"

#include <algorithm>
#include <set>
#include <stdexcept>

namespace ashiato::sigma {
namespace {

constexpr std::int64_t kTicksPerSecond = 10'000'000;

bool condition_holds(const std::map<std::string, std::int64_t>& c, std::int64_t n) {
  for (const auto& [op, v] : c) {
    if ((op == "gt" && !(n > v)) || (op == "gte" && !(n >= v)) || (op == "lt" && !(n < v)) ||
        (op == "lte" && !(n <= v)) || (op == "eq" && n != v) || (op == "neq" && n == v)) {
      return false;
    }
  }
  return true;
}

std::vector<std::string> strings(const YamlValue* v) {
  return v == nullptr ? std::vector<std::string>{} : v->scalars();
}

}  // namespace

std::int64_t parse_timespan(const std::string& t) {
  if (t.size() < 2) throw std::invalid_argument("invalid timespan '" + t + "'");
  const char unit = t.back();
  const std::string digits = t.substr(0, t.size() - 1);
  if (digits.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("invalid timespan '" + t + "'");
  const std::int64_t n = std::stoll(digits);
  std::int64_t seconds = 0;
  switch (unit) {
    case 's': seconds = 1; break;
    case 'm': seconds = 60; break;
    case 'h': seconds = 3600; break;
    case 'd': seconds = 86400; break;
    case 'w': seconds = 7LL * 86400; break;
    case 'M': seconds = 30LL * 86400; break;
    case 'y': seconds = 365LL * 86400; break;
    default: throw std::invalid_argument("invalid timespan unit in '" + t + "'");
  }
  return n * seconds * kTicksPerSecond;
}

int CorrelationSet::source_of(const std::string& rule_id) const {
  for (std::size_t i = 0; i < sources_.size(); ++i) {
    if (!sources_[i].is_correlation && sources_[i].rule_id == rule_id) return static_cast<int>(i);
  }
  return -1;
}

CorrelationSet CorrelationSet::compile(const std::vector<Rule>& rules, std::vector<CorrelationError>& errors) {
  CorrelationSet set;
  auto find_rule = [&](const std::string& ref) -> const Rule* {
    for (const auto& r : rules) {
      if (r.kind != RuleKind::kFilter && (r.id == ref || (!r.name.empty() && r.name == ref))) return &r;
    }
    return nullptr;
  };
  std::vector<std::string> referenced, generated;  // detection rules used without / with generate
  std::vector<const Rule*> correlations;
  for (const auto& r : rules) {
    if (r.kind == RuleKind::kCorrelation) correlations.push_back(&r);
  }
  auto source_index = [&](const Rule* r) {
    const std::string key = r->id.empty() ? r->name : r->id;
    for (std::size_t i = 0; i < set.sources_.size(); ++i) {
      if (set.sources_[i].rule_id == key) return static_cast<std::uint32_t>(i);
    }
    set.sources_.push_back(Source{key, r->name, r->kind == RuleKind::kCorrelation, {}});
    return static_cast<std::uint32_t>(set.sources_.size() - 1);
  };
  auto field_slot = [&](std::uint32_t source, const std::string& field) {
    auto& fields = set.sources_[source].fields;
    const FieldId id = intern_field(field);
    auto it = std::find(fields.begin(), fields.end(), id);
    if (it != fields.end()) return static_cast<int>(it - fields.begin());
    fields.push_back(id);
    return static_cast<int>(fields.size() - 1);
  };

  for (const Rule* r : correlations) {
    try {
      const YamlValue& c = r->correlation;
      Compiled comp{*r, Compiled::Type::kEventCount, {}, {}, 0, {}, {}, {}, {}};
      const std::string type = c.find("type") != nullptr ? c.find("type")->scalar_text() : "";
      if (type == "event_count")
        comp.type = Compiled::Type::kEventCount;
      else if (type == "value_count")
        comp.type = Compiled::Type::kValueCount;
      else if (type == "temporal")
        comp.type = Compiled::Type::kTemporal;
      else if (type == "temporal_ordered")
        comp.type = Compiled::Type::kTemporalOrdered;
      else
        throw std::invalid_argument("unsupported correlation type '" + type + "'");
      const auto refs = strings(c.find("rules"));
      if (refs.empty()) throw std::invalid_argument("correlation without 'rules'");
      for (const auto& ref : refs) {
        const Rule* target = find_rule(ref);
        if (target == nullptr) throw std::invalid_argument("correlation references unknown rule '" + ref + "'");
        if (target == r) throw std::invalid_argument("correlation references itself");
        comp.sources.push_back(source_index(target));
        if (target->kind == RuleKind::kDetection) (r->generate ? generated : referenced).push_back(target->id);
      }
      comp.group_by = strings(c.find("group-by"));
      const YamlValue* ts = c.find("timespan");
      if (ts == nullptr) throw std::invalid_argument("correlation without 'timespan'");
      comp.timespan_ticks = parse_timespan(ts->scalar_text());
      if (const YamlValue* cond = c.find("condition")) {
        if (cond->kind != YamlValue::Kind::kMap) throw std::invalid_argument("'condition' must be a mapping");
        for (const auto& [op, v] : cond->entries) {
          if (op == "field") {
            comp.value_field = v.scalar_text();
          } else if (op == "gt" || op == "gte" || op == "lt" || op == "lte" || op == "eq" || op == "neq") {
            if (v.kind != YamlValue::Kind::kInt) throw std::invalid_argument("condition '" + op + "' needs an integer");
            comp.condition[op] = v.integer;
          } else {
            throw std::invalid_argument("unsupported correlation condition '" + op + "'");
          }
        }
      }
      if (comp.type == Compiled::Type::kTemporal || comp.type == Compiled::Type::kTemporalOrdered) {
        if (comp.condition.empty()) comp.condition["gte"] = static_cast<std::int64_t>(comp.sources.size());
      } else if (comp.condition.empty()) {
        throw std::invalid_argument("correlation without 'condition'");
      }
      if (comp.type == Compiled::Type::kValueCount && comp.value_field.empty()) {
        throw std::invalid_argument("value_count needs 'condition: field'");
      }
      // Aliases: group-by name -> per-rule field.
      const YamlValue* aliases = c.find("aliases");
      for (std::uint32_t s : comp.sources) {
        std::vector<int> slots;
        for (const auto& g : comp.group_by) {
          std::string field = g;
          if (aliases != nullptr) {
            if (const YamlValue* a = aliases->find(g)) {
              const Source& src = set.sources_[s];
              if (const YamlValue* f = a->find(src.name))
                field = f->scalar_text();
              else if (const YamlValue* f2 = a->find(src.rule_id))
                field = f2->scalar_text();
            }
          }
          slots.push_back(field_slot(s, field));
        }
        comp.group_field_index.push_back(slots);
        comp.value_field_index.push_back(comp.value_field.empty() ? -1 : field_slot(s, comp.value_field));
      }
      set.compiled_.push_back(std::move(comp));
    } catch (const std::invalid_argument& e) {
      errors.push_back(CorrelationError{r->file, r->line, e.what()});
    }
  }
  // A rule's own matches are hidden when every correlation using it says generate: false.
  for (const auto& id : referenced) {
    if (std::find(generated.begin(), generated.end(), id) == generated.end() &&
        std::find(set.suppressed_.begin(), set.suppressed_.end(), id) == set.suppressed_.end()) {
      set.suppressed_.push_back(id);
    }
  }
  // Chained correlations emit events for the correlations that use them: order dependencies first.
  std::vector<bool> done(set.compiled_.size(), false);
  for (std::size_t round = 0; round <= set.compiled_.size(); ++round) {
    for (std::size_t i = 0; i < set.compiled_.size(); ++i) {
      if (done[i]) continue;
      bool ready = true;
      for (auto s : set.compiled_[i].sources) {
        if (!set.sources_[s].is_correlation) continue;
        for (std::size_t j = 0; j < set.compiled_.size(); ++j) {
          const Rule& cr = set.compiled_[j].rule;
          if ((cr.id.empty() ? cr.name : cr.id) == set.sources_[s].rule_id && !done[j]) ready = false;
        }
      }
      if (ready) {
        done[i] = true;
        set.order_.push_back(static_cast<std::uint32_t>(i));
      }
    }
  }
  return set;
}

std::vector<CorrelationMatch> CorrelationSet::run(std::uint32_t index,
                                                  const std::vector<CorrelationInput>& inputs) const {
  const Compiled& c = compiled_[index];
  // Group the relevant inputs by their group-by values.
  std::map<std::vector<std::string>, std::vector<const CorrelationInput*>> groups;
  for (const auto& in : inputs) {
    auto it = std::find(c.sources.begin(), c.sources.end(), in.source);
    if (it == c.sources.end()) continue;
    const auto s = static_cast<std::size_t>(it - c.sources.begin());
    std::vector<std::string> key;
    bool complete = true;
    for (int slot : c.group_field_index[s]) {
      if (slot >= static_cast<int>(in.values.size()) || in.values[static_cast<std::size_t>(slot)].empty())
        complete = false;
      key.push_back(complete ? in.values[static_cast<std::size_t>(slot)] : "");
    }
    if (!complete) continue;  // an event without the group-by fields joins no group
    groups[key].push_back(&in);
  }
  std::vector<CorrelationMatch> out;
  for (auto& group : groups) {
    const auto& key = group.first;  // not structured bindings: lambdas below capture them
    auto& events = group.second;
    std::stable_sort(events.begin(), events.end(), [](const auto* a, const auto* b) { return a->time < b->time; });
    auto measure = [&](std::size_t first, std::size_t last) -> std::int64_t {
      switch (c.type) {
        case Compiled::Type::kEventCount: return static_cast<std::int64_t>(last - first + 1);
        case Compiled::Type::kValueCount: {
          std::set<std::string> distinct;
          for (std::size_t i = first; i <= last; ++i) {
            const auto s = static_cast<std::size_t>(std::find(c.sources.begin(), c.sources.end(), events[i]->source) -
                                                    c.sources.begin());
            const int slot = c.value_field_index[s];
            if (slot >= 0 && static_cast<std::size_t>(slot) < events[i]->values.size() &&
                !events[i]->values[static_cast<std::size_t>(slot)].empty()) {
              distinct.insert(events[i]->values[static_cast<std::size_t>(slot)]);
            }
          }
          return static_cast<std::int64_t>(distinct.size());
        }
        case Compiled::Type::kTemporal: {
          std::set<std::uint32_t> rules;
          for (std::size_t i = first; i <= last; ++i) rules.insert(events[i]->source);
          return static_cast<std::int64_t>(rules.size());
        }
        case Compiled::Type::kTemporalOrdered: {
          // Longest prefix of the rule list seen in order within the window.
          std::size_t next = 0;
          for (std::size_t i = first; i <= last && next < c.sources.size(); ++i) {
            if (events[i]->source == c.sources[next]) ++next;
          }
          return static_cast<std::int64_t>(next);
        }
      }
      return 0;
    };
    std::size_t start = 0;
    for (std::size_t end = 0; end < events.size(); ++end) {
      while (events[end]->time.ticks - events[start]->time.ticks > c.timespan_ticks) ++start;
      if (!condition_holds(c.condition, measure(start, end))) continue;
      // One match per episode: while further events follow within the timespan, the episode
      // goes on and its count grows; the next match needs a fresh window after it.
      while (end + 1 < events.size() && events[end + 1]->time.ticks - events[end]->time.ticks <= c.timespan_ticks) {
        ++end;
      }
      CorrelationMatch m;
      m.correlation = index;
      m.first = events[start]->time;
      m.last = events[end]->time;
      for (std::size_t g = 0; g < c.group_by.size(); ++g) m.group.emplace_back(c.group_by[g], key[g]);
      m.count = static_cast<std::uint64_t>(measure(start, end));
      for (std::size_t i = start; i <= end; ++i) m.evidence.push_back(events[i]->evidence);
      out.push_back(std::move(m));
      start = end + 1;
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.last < b.last; });
  return out;
}

std::vector<CorrelationMatch> CorrelationSet::evaluate(std::vector<CorrelationInput> inputs) const {
  std::vector<CorrelationMatch> all;
  for (std::uint32_t index : order_) {
    auto matches = run(index, inputs);
    // Chaining: a correlation's matches are events for the correlations that reference it,
    // carrying its group-by values under the same field names.
    const Rule& r = compiled_[index].rule;
    const std::string key = r.id.empty() ? r.name : r.id;
    for (std::uint32_t s = 0; s < sources_.size(); ++s) {
      if (!sources_[s].is_correlation || sources_[s].rule_id != key) continue;
      for (const auto& m : matches) {
        CorrelationInput in{s, m.last, std::vector<std::string>(sources_[s].fields.size()), 0};
        for (std::size_t f = 0; f < sources_[s].fields.size(); ++f) {
          for (const auto& [name, value] : m.group) {
            if (intern_field(name) == sources_[s].fields[f]) in.values[f] = value;
          }
        }
        in.evidence = m.evidence.empty() ? 0 : m.evidence.back();
        inputs.push_back(std::move(in));
      }
    }
    all.insert(all.end(), matches.begin(), matches.end());
  }
  return all;
}

}  // namespace ashiato::sigma
