#include "sigma/engine/detection.h"

#include <algorithm>
#include <iterator>

namespace ashiato::sigma {
namespace {

std::vector<FieldItem> compile_map(const YamlValue& map, const CompileContext& ctx) {
  std::vector<FieldItem> items;
  for (const auto& [key, value] : map.entries) items.push_back(FieldItem::compile(key, value, ctx));
  return items;
}

SearchIdentifier compile_identifier(const std::string& name, const YamlValue& v, const CompileContext& ctx) {
  SearchIdentifier id;
  id.name = name;
  try {
    if (v.kind == YamlValue::Kind::kMap) {
      id.alternatives.push_back(compile_map(v, ctx));
    } else if (v.kind == YamlValue::Kind::kList) {
      YamlValue keywords;
      keywords.kind = YamlValue::Kind::kList;
      for (const auto& item : v.items) {
        if (item.kind == YamlValue::Kind::kMap) {
          id.alternatives.push_back(compile_map(item, ctx));
        } else if (item.is_scalar()) {
          keywords.items.push_back(item);
        } else {
          throw CompileError("nested list");
        }
      }
      if (!keywords.items.empty()) {
        std::vector<FieldItem> one;
        one.push_back(FieldItem::keywords(keywords, ctx));
        id.alternatives.push_back(std::move(one));
      }
    } else if (v.is_scalar() && v.kind != YamlValue::Kind::kNull) {
      std::vector<FieldItem> one;
      one.push_back(FieldItem::keywords(v, ctx));
      id.alternatives.push_back(std::move(one));
    } else {
      throw CompileError("empty search identifier");
    }
  } catch (const CompileError& e) {
    throw CompileError("search identifier '" + name + "': " + e.what(), e.line > 0 ? e.line : v.line);
  } catch (const std::invalid_argument& e) {
    throw CompileError("search identifier '" + name + "': " + e.what(), v.line);
  }
  return id;
}

std::vector<std::string> conditions_of(const YamlValue& c) {
  std::vector<std::string> out;
  if (c.kind == YamlValue::Kind::kList) {
    for (const auto& item : c.items) out.push_back(item.scalar_text());
  } else {
    out.push_back(c.scalar_text());
  }
  return out;
}

}  // namespace

bool SearchIdentifier::matches(MatchState& state) const {
  for (const auto& alternative : alternatives) {
    bool all = true;
    for (const auto& item : alternative) {
      if (!item.matches(state)) {
        all = false;
        break;
      }
    }
    if (all) return true;
  }
  return false;
}

namespace {

Truth kleene_and(Truth a, Truth b) {
  if (a == Truth::kFalse || b == Truth::kFalse) return Truth::kFalse;
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return Truth::kTrue;
}

Truth kleene_or(Truth a, Truth b) {
  if (a == Truth::kTrue || b == Truth::kTrue) return Truth::kTrue;
  if (a == Truth::kUnknown || b == Truth::kUnknown) return Truth::kUnknown;
  return Truth::kFalse;
}

Truth kleene_not(Truth a) {
  if (a == Truth::kUnknown) return a;
  return a == Truth::kTrue ? Truth::kFalse : Truth::kTrue;
}

}  // namespace

Truth SearchIdentifier::evaluate_sql(MatchState& state) const {
  Truth any = Truth::kFalse;
  for (const auto& alternative : alternatives) {
    Truth all = Truth::kTrue;
    for (const auto& item : alternative) all = kleene_and(all, item.evaluate_sql(state));
    any = kleene_or(any, all);
  }
  return any;
}

Truth Detection::eval_sql(const ConditionNode& node, MatchState& state) const {
  switch (node.kind) {
    case ConditionNode::Kind::kIdentifier: return identifiers_[node.identifiers[0]].evaluate_sql(state);
    case ConditionNode::Kind::kNot: return kleene_not(eval_sql(node.children[0], state));
    case ConditionNode::Kind::kAnd: {
      Truth r = Truth::kTrue;
      for (const auto& c : node.children) r = kleene_and(r, eval_sql(c, state));
      return r;
    }
    case ConditionNode::Kind::kOr: {
      Truth r = Truth::kFalse;
      for (const auto& c : node.children) r = kleene_or(r, eval_sql(c, state));
      return r;
    }
    case ConditionNode::Kind::kOneOf: {
      Truth r = Truth::kFalse;
      for (auto i : node.identifiers) r = kleene_or(r, identifiers_[i].evaluate_sql(state));
      return r;
    }
    case ConditionNode::Kind::kAllOf: {
      Truth r = Truth::kTrue;
      for (auto i : node.identifiers) r = kleene_and(r, identifiers_[i].evaluate_sql(state));
      return r;
    }
  }
  return Truth::kFalse;
}

bool Detection::matches_sql(MatchState& state) const {
  for (const auto& r : required_) {
    if (eval_sql(r, state) != Truth::kTrue) return false;
  }
  Truth any = Truth::kFalse;
  for (const auto& c : conditions_) any = kleene_or(any, eval_sql(c, state));
  return any == Truth::kTrue;
}

Detection Detection::compile(const YamlValue& detection, const CompileContext& ctx) {
  Detection d;
  const YamlValue* condition = nullptr;
  std::vector<std::string> names;
  for (const auto& [name, value] : detection.entries) {
    if (name == "condition") {
      condition = &value;
      continue;
    }
    if (name == "timeframe") throw CompileError("'timeframe' belongs to deprecated aggregation syntax");
    d.identifiers_.push_back(compile_identifier(name, value, ctx));
    names.push_back(name);
  }
  if (condition == nullptr) throw CompileError("no condition");
  try {
    for (const std::string& c : conditions_of(*condition)) d.conditions_.push_back(parse_condition(c, names));
  } catch (const CompileError& e) {
    throw CompileError(e.what(), condition->line);
  }
  return d;
}

void Detection::add_filter(const YamlValue& filter, const std::string& prefix, const CompileContext& ctx) {
  std::vector<std::string> names;
  const std::uint32_t base = static_cast<std::uint32_t>(identifiers_.size());
  const YamlValue* condition = nullptr;
  for (const auto& [name, value] : filter.entries) {
    if (name == "condition") {
      condition = &value;
    } else if (name != "rules") {
      identifiers_.push_back(compile_identifier(prefix + name, value, ctx));
      names.push_back(name);
    }
  }
  if (condition == nullptr) throw CompileError("filter has no condition");
  const auto conds = conditions_of(*condition);
  if (conds.size() != 1) throw CompileError("a filter needs exactly one condition");
  ConditionNode node = parse_condition(conds[0], names);
  // Shift identifier indexes past the rule's own.
  std::vector<ConditionNode*> stack = {&node};
  while (!stack.empty()) {
    ConditionNode* n = stack.back();
    stack.pop_back();
    for (auto& i : n->identifiers) i += base;
    for (auto& c : n->children) stack.push_back(&c);
  }
  required_.push_back(std::move(node));
}

bool Detection::eval(const ConditionNode& node, MatchState& state, std::int8_t* memo) const {
  auto ident = [&](std::uint32_t i) {
    if (memo[i] < 0) memo[i] = identifiers_[i].matches(state) ? 1 : 0;
    return memo[i] == 1;
  };
  switch (node.kind) {
    case ConditionNode::Kind::kIdentifier: return ident(node.identifiers[0]);
    case ConditionNode::Kind::kNot: return !eval(node.children[0], state, memo);
    case ConditionNode::Kind::kAnd:
      for (const auto& c : node.children) {
        if (!eval(c, state, memo)) return false;
      }
      return true;
    case ConditionNode::Kind::kOr:
      for (const auto& c : node.children) {
        if (eval(c, state, memo)) return true;
      }
      return false;
    case ConditionNode::Kind::kOneOf:
      for (auto i : node.identifiers) {
        if (ident(i)) return true;
      }
      return false;
    case ConditionNode::Kind::kAllOf:
      for (auto i : node.identifiers) {
        if (!ident(i)) return false;
      }
      return true;
  }
  return false;
}

namespace {

using IdSet = std::optional<std::vector<std::uint32_t>>;  // nullopt: any EventID

IdSet unite(IdSet a, const IdSet& b) {
  if (!a || !b) return std::nullopt;
  a->insert(a->end(), b->begin(), b->end());
  std::sort(a->begin(), a->end());
  a->erase(std::unique(a->begin(), a->end()), a->end());
  return a;
}

IdSet intersect(const IdSet& a, const IdSet& b) {
  if (!a) return b;
  if (!b) return a;
  std::vector<std::uint32_t> out;
  std::set_intersection(a->begin(), a->end(), b->begin(), b->end(), std::back_inserter(out));
  return out;
}

}  // namespace

std::optional<std::vector<std::uint32_t>> Detection::implied_ids(const ConditionNode& node, FieldId event_id) const {
  auto identifier = [&](std::uint32_t i) -> IdSet {
    IdSet any_alternative = std::vector<std::uint32_t>{};
    for (const auto& alternative : identifiers_[i].alternatives) {
      IdSet this_one;  // AND of items: the EventID item, if any, restricts
      for (const auto& item : alternative) {
        if (item.field() == event_id && !item.exact_numbers().empty()) {
          auto ids = item.exact_numbers();
          std::sort(ids.begin(), ids.end());
          this_one = intersect(this_one, ids);
        }
      }
      any_alternative = unite(any_alternative, this_one);
    }
    return any_alternative;
  };
  switch (node.kind) {
    case ConditionNode::Kind::kIdentifier: return identifier(node.identifiers[0]);
    case ConditionNode::Kind::kNot: return std::nullopt;
    case ConditionNode::Kind::kAnd: {
      IdSet r;
      for (const auto& c : node.children) r = intersect(r, implied_ids(c, event_id));
      return r;
    }
    case ConditionNode::Kind::kOr: {
      IdSet r = std::vector<std::uint32_t>{};
      for (const auto& c : node.children) r = unite(r, implied_ids(c, event_id));
      return r;
    }
    case ConditionNode::Kind::kOneOf: {
      IdSet r = std::vector<std::uint32_t>{};
      for (auto i : node.identifiers) r = unite(r, identifier(i));
      return r;
    }
    case ConditionNode::Kind::kAllOf: {
      IdSet r;
      for (auto i : node.identifiers) r = intersect(r, identifier(i));
      return r;
    }
  }
  return std::nullopt;
}

std::optional<std::vector<std::uint32_t>> Detection::required_event_ids(FieldId event_id) const {
  IdSet r = std::vector<std::uint32_t>{};
  for (const auto& c : conditions_) r = unite(r, implied_ids(c, event_id));
  for (const auto& c : required_) r = intersect(r, implied_ids(c, event_id));
  return r;
}

namespace {

using NeedleSets = std::vector<std::vector<std::uint32_t>>;  // AND of any-of sets

// OR of alternatives, each an AND of any-of sets. Any choice of one set per alternative, merged,
// is necessary for the OR, so several such clauses can be kept: clause t takes each alternative's
// t-th smallest set (its largest when it has fewer). With one alternative that is all its sets.
// If some alternative needs nothing, nothing is necessary.
NeedleSets either(const std::vector<NeedleSets>& alternatives) {
  constexpr std::size_t kMaxClauses = 8;
  std::vector<NeedleSets> sorted = alternatives;
  std::size_t clauses = 0;
  for (auto& a : sorted) {
    if (a.empty()) return {};
    std::stable_sort(a.begin(), a.end(), [](const auto& x, const auto& y) { return x.size() < y.size(); });
    clauses = std::max(clauses, a.size());
  }
  NeedleSets out(std::min(clauses, kMaxClauses));
  for (std::size_t t = 0; t < out.size(); ++t) {
    for (const auto& a : sorted) {
      const auto& set = a[std::min(t, a.size() - 1)];
      out[t].insert(out[t].end(), set.begin(), set.end());
    }
    std::sort(out[t].begin(), out[t].end());
    out[t].erase(std::unique(out[t].begin(), out[t].end()), out[t].end());
  }
  if (!out.empty() && out[0].empty()) return {};
  return out;
}

}  // namespace

NeedleSets Detection::needles_of_identifier(std::uint32_t i) const {
  std::vector<NeedleSets> alternatives;
  for (const auto& alternative : identifiers_[i].alternatives) {
    NeedleSets all;
    for (const auto& item : alternative) {
      for (auto& set : item.required_needles()) all.push_back(std::move(set));
    }
    alternatives.push_back(std::move(all));
  }
  return either(alternatives);
}

NeedleSets Detection::needles_of(const ConditionNode& node) const {
  switch (node.kind) {
    case ConditionNode::Kind::kIdentifier: return needles_of_identifier(node.identifiers[0]);
    case ConditionNode::Kind::kNot: return {};
    case ConditionNode::Kind::kAnd: {
      NeedleSets all;
      for (const auto& c : node.children) {
        for (auto& set : needles_of(c)) all.push_back(std::move(set));
      }
      return all;
    }
    case ConditionNode::Kind::kAllOf: {
      NeedleSets all;
      for (auto i : node.identifiers) {
        for (auto& set : needles_of_identifier(i)) all.push_back(std::move(set));
      }
      return all;
    }
    case ConditionNode::Kind::kOr: {
      std::vector<NeedleSets> alternatives;
      for (const auto& c : node.children) alternatives.push_back(needles_of(c));
      return either(alternatives);
    }
    case ConditionNode::Kind::kOneOf: {
      std::vector<NeedleSets> alternatives;
      for (auto i : node.identifiers) alternatives.push_back(needles_of_identifier(i));
      return either(alternatives);
    }
  }
  return {};
}

NeedleSets Detection::required_needles() const {
  std::vector<NeedleSets> alternatives;
  for (const auto& c : conditions_) alternatives.push_back(needles_of(c));
  NeedleSets out = either(alternatives);
  for (const auto& r : required_) {
    for (auto& set : needles_of(r)) out.push_back(std::move(set));
  }
  return out;
}

bool Detection::matches(MatchState& state) const {
  // Each identifier's answer, once known (-1: not yet). On the stack for the usual rule: a
  // thread-local vector cost its lookup and a resize on every rule of every event.
  constexpr std::size_t kOnStack = 64;
  std::int8_t on_stack[kOnStack];
  std::vector<std::int8_t> on_heap;
  std::int8_t* memo = on_stack;
  if (identifiers_.size() > kOnStack) {
    on_heap.resize(identifiers_.size());
    memo = on_heap.data();
  }
  std::fill_n(memo, identifiers_.size(), std::int8_t{-1});
  for (const auto& r : required_) {
    if (!eval(r, state, memo)) return false;
  }
  for (const auto& c : conditions_) {
    if (eval(c, state, memo)) return true;
  }
  return false;
}

}  // namespace ashiato::sigma
