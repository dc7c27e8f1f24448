#include "sigma/engine/field_item.h"

#include <algorithm>
#include <optional>
#include <regex>

#include "core/utf16.h"
#include "sigma/engine/event_field_index.h"
#include "sigma/engine/value_memo.h"

namespace ashiato::sigma {
namespace {

// Keyword lists at least this long are looked up through the literal prefilter (see
// register_literals).
constexpr std::size_t kKeywordsWorthScanning = 8;

const char kBase64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::string base64(std::string_view in) {
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const std::uint32_t n = (static_cast<std::uint8_t>(in[i]) << 16) | (static_cast<std::uint8_t>(in[i + 1]) << 8) |
                            static_cast<std::uint8_t>(in[i + 2]);
    out += {kBase64[n >> 18], kBase64[(n >> 12) & 63], kBase64[(n >> 6) & 63], kBase64[n & 63]};
  }
  if (i + 1 == in.size()) {
    const std::uint32_t n = static_cast<std::uint8_t>(in[i]) << 16;
    out += {kBase64[n >> 18], kBase64[(n >> 12) & 63], '=', '='};
  } else if (i + 2 == in.size()) {
    const std::uint32_t n = (static_cast<std::uint8_t>(in[i]) << 16) | (static_cast<std::uint8_t>(in[i + 1]) << 8);
    out += {kBase64[n >> 18], kBase64[(n >> 12) & 63], kBase64[(n >> 6) & 63], '='};
  }
  return out;
}

// Python slicing s[start:end] with a possibly negative or absent end.
std::string py_slice(const std::string& s, long start, std::optional<long> end) {
  const long n = static_cast<long>(s.size());
  long e = end ? (*end < 0 ? n + *end : *end) : n;
  e = std::clamp(e, 0L, n);
  const long b = std::clamp(start, 0L, n);
  return b < e ? s.substr(static_cast<std::size_t>(b), static_cast<std::size_t>(e - b)) : "";
}

// The three shifted encodings of `v` that appear inside a longer base64 text (pySigma's formula).
std::vector<std::string> base64_offsets(const std::string& v) {
  static const long starts[3] = {0, 2, 3};
  static const std::optional<long> ends[3] = {std::nullopt, -3, -2};
  std::vector<std::string> out;
  for (int i = 0; i < 3; ++i) {
    const std::string padded = std::string(static_cast<std::size_t>(i), ' ') + v;
    out.push_back(py_slice(base64(padded), starts[i], ends[(v.size() + static_cast<std::size_t>(i)) % 3]));
  }
  return out;
}

bool is_word(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80);
}

// windash: every '-' or '/' at the start of a word (regex \B[-/]\b) may be any of five dashes.
std::vector<Pattern> windash_variants(const Pattern& p) {
  static const std::vector<std::string> dashes = {"-", "/", "\xE2\x80\x93", "\xE2\x80\x94", "\xE2\x80\x95"};
  std::vector<Pattern> out = {Pattern{}};
  for (std::size_t t = 0; t < p.size(); ++t) {
    const PatternToken& tok = p[t];
    if (tok.kind != PatternToken::kLiteral) {
      for (auto& o : out) o.push_back(tok);
      continue;
    }
    std::vector<std::string> pieces = {""};  // text variants of this literal
    for (std::size_t i = 0; i < tok.text.size(); ++i) {
      const char c = tok.text[i];
      const bool before_ok = i == 0 ? (t == 0 || p[t - 1].kind != PatternToken::kLiteral) : !is_word(tok.text[i - 1]);
      const bool after_ok = i + 1 < tok.text.size() && is_word(tok.text[i + 1]);
      if ((c == '-' || c == '/') && before_ok && after_ok) {
        std::vector<std::string> next;
        for (const auto& piece : pieces) {
          for (const auto& d : dashes) next.push_back(piece + d);
        }
        pieces = std::move(next);
        if (pieces.size() > 3125) throw CompileError("windash expands to too many variants");
      } else {
        for (auto& piece : pieces) piece.push_back(c);
      }
    }
    std::vector<Pattern> combined;
    for (const auto& o : out) {
      for (const auto& piece : pieces) {
        Pattern q = o;
        q.push_back(PatternToken{PatternToken::kLiteral, piece});
        combined.push_back(std::move(q));
      }
    }
    out = std::move(combined);
  }
  return out;
}

std::string encode_utf16(const std::string& s, const std::string& how) {
  std::string le = to_utf16le(s);
  if (how == "utf16be") {
    for (std::size_t i = 0; i + 1 < le.size(); i += 2) std::swap(le[i], le[i + 1]);
    return le;
  }
  if (how == "utf16") return std::string("\xFF\xFE", 2) + le;
  return le;  // utf16le, wide
}

// %name% placeholders, "\%" literal. Throws when a name has no values.
std::vector<std::string> expand_placeholders(const std::string& text, const Placeholders* placeholders) {
  static const std::regex placeholder(R"((?:^|[^\\])%([^%]+)%)");
  std::smatch m;
  if (!std::regex_search(text, m, placeholder)) return {text};
  const std::string name = m[1].str();
  const auto found = placeholders != nullptr ? placeholders->find(name) : Placeholders::const_iterator{};
  if (placeholders == nullptr || found == placeholders->end() || found->second.empty()) {
    throw CompileError("unresolved placeholder %" + name + "% (give values with --placeholders)");
  }
  const auto* values = &found->second;
  const std::size_t at = static_cast<std::size_t>(m.position(1)) - 1;
  std::vector<std::string> out;
  for (const auto& v : *values) {
    for (auto& rest : expand_placeholders(text.substr(at + name.size() + 2), placeholders)) {
      std::string expanded = text.substr(0, at);
      expanded += v;
      expanded += rest;
      out.push_back(std::move(expanded));
    }
  }
  return out;
}

struct Modifiers {
  bool all = false, cased = false, neq = false, exists = false, cidr = false, re = false, re_i = false, re_m = false,
       re_s = false, windash = false, base64 = false, base64offset = false, expand = false, fieldref = false,
       contains = false, startswith = false, endswith = false;
  std::string encoding;  // utf16le/wide/utf16be/utf16
  std::optional<Comparison> compare;
  std::optional<TimePartValue::Part> time_part;
  std::vector<std::string> order;  // string transformations in rule order
};

Modifiers parse_modifiers(const std::vector<std::string>& names) {
  Modifiers m;
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i];
    const bool first = i == 0;
    if (n == "all")
      m.all = true;
    else if (n == "cased")
      m.cased = true;
    else if (n == "neq")
      m.neq = true;
    else if (n == "exists") {
      if (!first) throw CompileError("'exists' must be the first modifier");
      m.exists = true;
    } else if (n == "cidr") {
      if (!first) throw CompileError("'cidr' must be the first modifier");
      m.cidr = true;
    } else if (n == "re") {
      if (!first) throw CompileError("'re' must be the first modifier");
      m.re = true;
    } else if (n == "i" || n == "ignorecase")
      m.re_i = true;
    else if (n == "m" || n == "multiline")
      m.re_m = true;
    else if (n == "s" || n == "dotall")
      m.re_s = true;
    else if (n == "lt")
      m.compare = Comparison::kLt;
    else if (n == "lte")
      m.compare = Comparison::kLte;
    else if (n == "gt")
      m.compare = Comparison::kGt;
    else if (n == "gte")
      m.compare = Comparison::kGte;
    else if (n == "minute")
      m.time_part = TimePartValue::Part::kMinute;
    else if (n == "hour")
      m.time_part = TimePartValue::Part::kHour;
    else if (n == "day")
      m.time_part = TimePartValue::Part::kDay;
    else if (n == "week")
      m.time_part = TimePartValue::Part::kWeek;
    else if (n == "month")
      m.time_part = TimePartValue::Part::kMonth;
    else if (n == "year")
      m.time_part = TimePartValue::Part::kYear;
    else if (n == "fieldref")
      m.fieldref = true;
    else if (n == "expand")
      m.expand = true;
    else if (n == "contains" || n == "startswith" || n == "endswith" || n == "windash" || n == "base64" ||
             n == "base64offset" || n == "wide" || n == "utf16le" || n == "utf16be" || n == "utf16") {
      if (n == "contains") m.contains = true;
      if (n == "startswith") m.startswith = true;
      if (n == "endswith") m.endswith = true;
      if (n == "windash") m.windash = true;
      if (n == "base64") m.base64 = true;
      if (n == "base64offset") m.base64offset = true;
      if (n == "wide" || n == "utf16le" || n == "utf16be" || n == "utf16") m.encoding = n;
      m.order.push_back(n);
    } else {
      throw CompileError("unknown modifier '" + n + "'");
    }
  }
  if ((m.re_i || m.re_m || m.re_s) && !m.re) throw CompileError("regex flags without 're'");
  return m;
}

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t at; (at = s.find(sep, start)) != std::string::npos; start = at + 1)
    out.push_back(s.substr(start, at - start));
  out.push_back(s.substr(start));
  return out;
}

}  // namespace

namespace {

// The stretch of the batch's text where the event's values lie (side by side for events read
// from EVTX; other bytes may lie between them).
std::string_view event_text(const Event& e) {
  if (e.field_count() == 0) return {};
  const char* low = e.field_value(0).data();
  const char* high = low;
  for (std::uint32_t i = 0; i < e.field_count(); ++i) {
    const std::string_view v = e.field_value(i);
    low = std::min(low, v.data());
    high = std::max(high, v.data() + v.size());
  }
  return {low, static_cast<std::size_t>(high - low)};
}

// Whether a value of the event holds `literal` (folded), searched in `text` (event_text) folding
// as it reads: a joined, folded copy of every value cost three times the search. A match that is
// not inside one value (across two, or in bytes between them) does not count.
bool event_holds(const Event& e, std::string_view text, std::string_view literal) {
  for (std::size_t at = find_folded(text, literal); at != std::string_view::npos;
       at = find_folded(text, literal, at + 1)) {
    const char* p = text.data() + at;
    for (std::uint32_t i = 0; i < e.field_count(); ++i) {
      const std::string_view v = e.field_value(i);
      if (p >= v.data() && p + literal.size() <= v.data() + v.size()) return true;
    }
  }
  return false;
}

}  // namespace

bool FieldItem::values_match(std::size_t begin, std::size_t end, MatchState& state) const {
  // Literal lookups first: one Hyperscan pass per field and event answers every rule's
  // contains-tests, and rules out equals/startswith/endswith whose literal is absent.
  const Event& e = state.event();
  std::vector<const ValueMatcher*>& to_check = state.values_to_test();
  to_check.clear();
  std::optional<LiteralPrefilter::Presence> present;  // all needles of an item are of its field
  for (std::size_t k = begin; k < end; ++k) {
    const FlatValue& v = flat_[k];
    if (v.needle < 0) {
      to_check.push_back(v.matcher);
      continue;
    }
    const auto id = static_cast<std::uint32_t>(v.needle);
    if (!present) present = prefilter_->presence(prefilter_->slot_of(id), state);
    if (present->has(id)) {
      if (v.decides) return true;
      to_check.push_back(v.matcher);
    }
  }
  if (to_check.empty()) return false;
  auto any_matches = [&](std::uint32_t i) {
    const std::string_view raw = e.field_value(i);
    const std::string_view folded = state.folded(i);
    for (const ValueMatcher* m : to_check) {
      if (m->matches(raw, folded, state)) return true;
    }
    return false;
  };
  if (field_ == kNoField) {  // keywords: every value
    const std::string_view text = event_text(e);
    std::size_t kept = 0;
    for (const ValueMatcher* m : to_check) {
      const std::string* literal = m->folded_contains_literal();
      if (literal == nullptr) {
        to_check[kept++] = m;
      } else if (event_holds(e, text, *literal)) {
        return true;
      }
    }
    to_check.resize(kept);
    for (std::uint32_t i = 0; i < e.field_count() && !to_check.empty(); ++i) {
      if (any_matches(i)) return true;
    }
    return false;
  }
  const EventFieldIndex& index = state.fields();
  for (std::uint32_t i = index.first(field_); i != EventFieldIndex::kNone; i = index.next(i)) {
    if (any_matches(i)) return true;
  }
  return false;
}

void FieldItem::index_values() {
  flat_.clear();
  group_ends_.clear();
  for (const auto& g : groups_) {
    for (const auto& m : g) {
      flat_.push_back(FlatValue{prefilter_ != nullptr ? m->prefilter_needle() : -1, m->prefilter_decides(), m.get()});
    }
    group_ends_.push_back(flat_.size());
  }
}

std::vector<std::vector<std::uint32_t>> FieldItem::required_needles() const {
  std::vector<std::vector<std::uint32_t>> out;
  // Keywords do not activate rules: their literals would need every field of every event scanned
  // up front; they only answer the keyword test once the rule is evaluated.
  if (prefilter_ == nullptr || negate_ || or_null_ || test_ != Test::kValues || field_ == kNoField) return out;
  std::vector<std::uint32_t> any;
  for (const auto& g : groups_) {
    std::vector<std::uint32_t> group;
    for (const auto& m : g) {
      if (m->prefilter_needle() < 0) return {};  // a value that needs no literal: nothing is necessary
      group.push_back(static_cast<std::uint32_t>(m->prefilter_needle()));
    }
    if (all_) {
      out.push_back(group);  // every value must match: each needs one of its variants
    } else {
      any.insert(any.end(), group.begin(), group.end());
    }
  }
  if (!all_) out.push_back(any);
  return out;
}

void FieldItem::register_literals(LiteralPrefilter& prefilter) {
  bool depends_on_value_alone = field_ != kNoField && test_ == Test::kValues;
  for (const auto& g : groups_) {
    for (const auto& m : g) depends_on_value_alone = depends_on_value_alone && !m->reads_other_fields();
  }
  if (depends_on_value_alone) {
    memo_tag_ = prefilter.new_memo_tag();
    memo_owner_ = prefilter.serial();
  }
  // Keywords (no field) register under kNoField, whose slot scans every field of an event: worth it
  // for long lists (69 antivirus signature names were 40 % of a corpus hunt's matching), not for a
  // keyword or two, which are cheaper to look for directly.
  if (field_ == kNoField && flat_.size() < kKeywordsWorthScanning) return;
  for (auto& g : groups_) {
    for (auto& m : g) {
      const std::string literal = m->required_literal();
      if (!literal.empty()) {
        m->set_prefilter_needle(prefilter.add(field_, literal));
        prefilter_ = &prefilter;
      }
    }
  }
  index_values();
}

bool FieldItem::matches(MatchState& state) const {
  if (memo_tag_ == kNoMemo) return evaluate(state);
  // Remembered per value when the field occurs once (the answer over several values is not
  // one value's answer).
  const EventFieldIndex& index = state.fields();
  const std::uint32_t at = index.first(field_);
  if (at == EventFieldIndex::kNone || index.next(at) != EventFieldIndex::kNone) return evaluate(state);
  ValueMemo& memo = state.memo(memo_owner_);
  const std::uint32_t entry = memo.entry_of(state.event(), at, index.generation());
  if (entry == ValueMemo::kNone) return evaluate(state);
  if (const std::uint64_t* known = memo.find(entry, memo_tag_)) return *known != 0;
  const bool result = evaluate(state);
  memo.put(entry, memo_tag_, result ? 1 : 0);
  return result;
}

bool FieldItem::evaluate(MatchState& state) const {
  const Event& e = state.event();
  bool result = false;
  if (test_ == Test::kExists || test_ == Test::kNotExists || test_ == Test::kNull || or_null_) {
    const bool present = e.get(field_).has_value();
    if (test_ == Test::kExists) return present != negate_;
    if (test_ == Test::kNotExists) return !present != negate_;
    // null: the field is absent, or present without a value. Windows writes a NULL-typed
    // substitution as an empty element (Sysmon's StartModule, 4688's empty CommandLine), so
    // an empty value is how EVTX says null; `F: ''` still requires the field to be there.
    bool has_value = false;
    const EventFieldIndex& index = state.fields();
    for (std::uint32_t i = index.first(field_); i != EventFieldIndex::kNone && !has_value; i = index.next(i)) {
      has_value = !e.field_value(i).empty();
    }
    if (test_ == Test::kNull) return !has_value != negate_;
    if (!has_value) return !negate_;  // or_null: absent or empty matches the null value
  }
  if (all_) {
    result = !group_ends_.empty();
    for (std::size_t g = 0, begin = 0; g < group_ends_.size() && result; begin = group_ends_[g++])
      result = values_match(begin, group_ends_[g], state);
  } else {
    result = values_match(0, flat_.size(), state);  // any value of any group
  }
  return result != negate_;
}

Truth FieldItem::evaluate_sql(MatchState& state) const {
  const Event& e = state.event();
  bool present = false;  // SQL backends store empty values as NULL
  if (field_ != kNoField) {
    for (std::uint32_t i = 0; i < e.field_count(); ++i)
      present = present || (e.field_id(i) == field_ && !e.field_value(i).empty());
  }
  if (test_ == Test::kExists) return present != negate_ ? Truth::kTrue : Truth::kFalse;
  if (test_ == Test::kNotExists || test_ == Test::kNull) return !present != negate_ ? Truth::kTrue : Truth::kFalse;
  if (field_ != kNoField && !present) {
    if (or_null_) return negate_ ? Truth::kFalse : Truth::kTrue;  // F IS NULL OR ...
    return Truth::kUnknown;                                       // comparison with NULL
  }
  return matches(state) ? Truth::kTrue : Truth::kFalse;
}

FieldItem FieldItem::keywords(const YamlValue& value, const CompileContext& ctx) {
  return compile("", value, ctx);
}

FieldItem FieldItem::compile(const std::string& key, const YamlValue& value, const CompileContext& ctx) {
  const std::vector<std::string> parts = split(key, '|');
  const std::string& field_name = parts[0];
  const Modifiers mods = parse_modifiers(std::vector<std::string>(parts.begin() + 1, parts.end()));
  FieldItem item;
  item.all_ = mods.all;
  item.negate_ = mods.neq;
  const FieldMapping* mapping = nullptr;
  if (!field_name.empty()) {
    std::string native = field_name;
    if (ctx.fields != nullptr) {
      auto it = ctx.fields->find(field_name);
      if (it != ctx.fields->end()) {
        mapping = &it->second;
        native = it->second.native;
      }
    }
    item.field_ = intern_field(native);
  } else if (mods.exists || mods.fieldref || mods.cidr || mods.compare) {
    throw CompileError("modifier needs a field name");
  }

  std::vector<const YamlValue*> values;
  if (value.kind == YamlValue::Kind::kList) {
    for (const auto& v : value.items) values.push_back(&v);
    if (value.items.empty()) {  // [] means null
      item.test_ = Test::kNull;
      return item;
    }
  } else {
    values.push_back(&value);
  }
  if (mods.all && values.size() == 1 && !field_name.empty() && !mods.windash) {
    // pySigma accepts it; the result is the same as without 'all'.
  }
  if (mods.all && mods.windash) throw CompileError("'windash' combined with 'all' is invalid");

  if (mods.exists) {
    if (values.size() != 1 || values[0]->kind != YamlValue::Kind::kBool)
      throw CompileError("'exists' needs true or false");
    item.test_ = values[0]->boolean ? Test::kExists : Test::kNotExists;
    return item;
  }

  if (parts.size() == 1 && !field_name.empty()) {
    for (const YamlValue* v : values) {
      const std::string t = v->kind == YamlValue::Kind::kInt ? std::to_string(v->integer) : v->scalar_text();
      if (v->kind == YamlValue::Kind::kNull || t.empty() || t.size() > 9 ||
          t.find_first_not_of("0123456789") != std::string::npos) {
        item.exact_numbers_.clear();
        break;
      }
      item.exact_numbers_.push_back(static_cast<std::uint32_t>(std::stoul(t)));
    }
  }
  for (const YamlValue* v : values) {
    if (!v->is_scalar()) throw CompileError("value of '" + key + "' is not a scalar or list of scalars");
    Group group;
    const bool string_mods = !mods.order.empty() || mods.expand;
    if (v->kind == YamlValue::Kind::kNull) {
      if (field_name.empty()) throw CompileError("null is not a keyword");
      if (values.size() == 1) {
        item.test_ = Test::kNull;
        return item;
      }
      item.or_null_ = true;
      continue;
    }
    if (mods.re) {
      try {
        group.push_back(std::make_unique<RegexValue>(v->scalar_text(), mods.re_i, mods.re_m, mods.re_s));
      } catch (const std::invalid_argument& e) {
        throw CompileError(e.what());
      }
    } else if (mods.cidr) {
      try {
        group.push_back(std::make_unique<CidrValue>(v->scalar_text()));
      } catch (const std::invalid_argument& e) {
        throw CompileError(e.what());
      }
    } else if (mods.compare || mods.time_part) {
      const auto n = v->kind == YamlValue::Kind::kInt || v->kind == YamlValue::Kind::kFloat
                         ? std::optional<double>(v->real)
                         : parse_number(v->scalar_text());
      if (!n) throw CompileError("numeric modifier with non-numeric value '" + v->scalar_text() + "'");
      if (mods.time_part) {
        group.push_back(std::make_unique<TimePartValue>(*mods.time_part, static_cast<std::int64_t>(*n)));
      } else {
        group.push_back(std::make_unique<CompareValue>(*mods.compare, *n));
      }
    } else if (mods.fieldref) {
      std::string other = v->scalar_text();
      if (ctx.fields != nullptr) {
        auto it = ctx.fields->find(other);
        if (it != ctx.fields->end()) other = it->second.native;
      }
      const auto how = mods.contains     ? FieldRefValue::How::kContains
                       : mods.startswith ? FieldRefValue::How::kStartsWith
                       : mods.endswith   ? FieldRefValue::How::kEndsWith
                                         : FieldRefValue::How::kEquals;
      group.push_back(std::make_unique<FieldRefValue>(intern_field(other), how, mods.cased));
    } else if (v->kind == YamlValue::Kind::kBool && !string_mods) {
      group.push_back(std::make_unique<BoolValue>(v->boolean));
    } else if ((v->kind == YamlValue::Kind::kInt || v->kind == YamlValue::Kind::kFloat) && !string_mods &&
               !(mapping && mapping->convert) && !field_name.empty()) {
      // Compared as the number's canonical decimal text (YAML 1.1 reads 017 as 15).
      const std::string canonical = v->kind == YamlValue::Kind::kInt ? std::to_string(v->integer) : v->scalar_text();
      group.push_back(std::make_unique<NumberValue>(v->real, canonical));
    } else {
      // String path: tokens, then the string modifiers in rule order.
      const std::string text = v->scalar_text();
      std::vector<std::string> texts = mods.expand ? expand_placeholders(text, ctx.placeholders) : std::vector{text};
      std::vector<Pattern> variants;
      variants.reserve(texts.size());
      for (const auto& t : texts) {
        variants.push_back(v->kind == YamlValue::Kind::kString ? parse_pattern(t) : literal_pattern(t));
      }
      for (const std::string& m : mods.order) {
        std::vector<Pattern> next;
        for (Pattern& p : variants) {
          if (m == "contains") {
            prepend_any(p);
            append_any(p);
            next.push_back(std::move(p));
          } else if (m == "startswith") {
            append_any(p);
            next.push_back(std::move(p));
          } else if (m == "endswith") {
            prepend_any(p);
            next.push_back(std::move(p));
          } else if (m == "windash") {
            for (auto& w : windash_variants(p)) next.push_back(std::move(w));
          } else if (m == "base64" || m == "base64offset") {
            if (has_wildcards(p)) throw CompileError("'" + m + "' value contains wildcards");
            if (m == "base64") {
              next.push_back(literal_pattern(base64(literal_text(p))));
            } else {
              for (auto& o : base64_offsets(literal_text(p))) next.push_back(literal_pattern(o));
            }
          } else {  // encodings
            for (auto& t : p) t.text = encode_utf16(t.text, m);
            next.push_back(std::move(p));
          }
        }
        variants = std::move(next);
      }
      for (Pattern& p : variants) {
        if (field_name.empty() && mods.order.empty() && !has_wildcards(p)) {  // plain keyword: substring
          prepend_any(p);
          append_any(p);
        }
        // Value conversions (e.g. HKLM -> \REGISTRY\MACHINE) apply to the leading literal text.
        if (mapping && mapping->convert && !p.empty() && p.front().kind == PatternToken::kLiteral) {
          const std::string converted = mapping->convert(p.front().text);
          p.erase(p.begin());
          Pattern head;
          std::size_t start = 0;
          for (std::size_t q; mapping->question_is_wildcard && (q = converted.find('?', start)) != std::string::npos;
               start = q + 1) {
            if (q > start) head.push_back(PatternToken{PatternToken::kLiteral, converted.substr(start, q - start)});
            head.push_back(PatternToken{PatternToken::kAnyChar, {}});
          }
          if (start < converted.size()) head.push_back(PatternToken{PatternToken::kLiteral, converted.substr(start)});
          p.insert(p.begin(), head.begin(), head.end());
        }
        group.push_back(std::make_unique<PatternValue>(p, mods.cased));
      }
    }
    item.groups_.push_back(std::move(group));
  }
  item.index_values();
  return item;
}

}  // namespace ashiato::sigma
