#include "sigma/yaml_value.h"

#include <yaml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string_view>

namespace ashiato::sigma {
namespace {

std::string strip_underscores(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  return s;
}

}  // namespace

const YamlValue* YamlValue::find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::vector<std::string> YamlValue::scalars() const {
  std::vector<std::string> out;
  if (kind == Kind::kList) {
    for (const auto& item : items) {
      if (item.is_scalar()) out.push_back(item.scalar_text());
    }
  } else if (is_scalar() && kind != Kind::kNull) {
    out.push_back(scalar_text());
  }
  return out;
}

std::string YamlValue::scalar_text() const {
  switch (kind) {
    case Kind::kNull: return "";
    case Kind::kBool: return boolean ? "true" : "false";
    case Kind::kInt: return text.empty() ? std::to_string(integer) : text;
    default: return text;
  }
}

namespace {

bool one_of(const std::string& s, std::initializer_list<const char*> words) {
  for (const char* w : words) {
    if (s == w) return true;
  }
  return false;
}

bool all_in(std::string_view s, std::string_view allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

// YAML 1.1 int forms: 0b..., 0..., decimal, 0x..., sexagesimal (underscores allowed).
bool is_yaml11_int(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s.empty()) return false;
  if (s.size() > 2 && s[0] == '0' && s[1] == 'b') return all_in(s.substr(2), "01_");
  if (s.size() > 2 && s[0] == '0' && s[1] == 'x') return all_in(s.substr(2), "0123456789abcdefABCDEF_");
  if (s[0] == '0') return s.size() == 1 || all_in(s.substr(1), "01234567_");
  if (s.find(':') != std::string_view::npos) {  // sexagesimal: [1-9][0-9_]*(:[0-5]?[0-9])+
    const auto colon = s.find(':');
    if (!all_in(s.substr(0, colon), "0123456789_")) return false;
    std::string_view rest = s.substr(colon);
    while (!rest.empty()) {
      if (rest[0] != ':') return false;
      rest.remove_prefix(1);
      std::size_t n = 0;
      while (n < rest.size() && n < 2 && std::isdigit(static_cast<unsigned char>(rest[n]))) ++n;
      if (n == 0 || (n == 2 && rest[0] > '5')) return false;
      rest.remove_prefix(n);
    }
    return true;
  }
  return s[0] >= '1' && s[0] <= '9' && all_in(s, "0123456789_");
}

// YAML 1.1 floats: [-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?, .inf, .nan (sexagesimal
// floats are left as strings: no Sigma rule uses them).
bool is_yaml11_float(std::string_view s) {
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return true;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  if (s == ".inf" || s == ".Inf" || s == ".INF") return true;
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return false;
  const std::string_view whole = s.substr(0, dot);
  if (!whole.empty() && (!std::isdigit(static_cast<unsigned char>(whole[0])) || !all_in(whole, "0123456789_")))
    return false;
  std::string_view frac = s.substr(dot + 1);
  const auto e = frac.find_first_of("eE");
  std::string_view exponent;
  if (e != std::string_view::npos) {
    exponent = frac.substr(e + 1);
    frac = frac.substr(0, e);
    if (exponent.size() < 2 || (exponent[0] != '-' && exponent[0] != '+') ||
        !all_in(exponent.substr(1), "0123456789")) {
      return false;
    }
  }
  if (!frac.empty() && !all_in(frac, "0123456789_")) return false;
  const bool digit = whole.find_first_of("0123456789") != std::string_view::npos ||
                     frac.find_first_of("0123456789") != std::string_view::npos;
  return digit && (!whole.empty() || !frac.empty());
}

}  // namespace

YamlValue resolve_plain_scalar(const std::string& s) {
  YamlValue v;
  v.text = s;
  if (one_of(s, {"~", "null", "Null", "NULL", ""})) {
    v.kind = YamlValue::Kind::kNull;
  } else if (one_of(s, {"yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})) {
    v.kind = YamlValue::Kind::kBool;
    v.boolean = true;
  } else if (one_of(s, {"no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})) {
    v.kind = YamlValue::Kind::kBool;
    v.boolean = false;
  } else if (is_yaml11_int(s)) {
    v.kind = YamlValue::Kind::kInt;
    std::string digits = strip_underscores(s);
    int sign = 1;
    if (digits[0] == '-' || digits[0] == '+') {
      sign = digits[0] == '-' ? -1 : 1;
      digits.erase(0, 1);
    }
    try {
      if (digits.find(':') != std::string::npos) {  // sexagesimal, e.g. 1:30 = 90
        std::int64_t value = 0;
        std::size_t start = 0;
        for (std::size_t colon; (colon = digits.find(':', start)) != std::string::npos; start = colon + 1) {
          value = value * 60 + std::stoll(digits.substr(start, colon - start));
        }
        v.integer = sign * (value * 60 + std::stoll(digits.substr(start)));
      } else if (digits.rfind("0b", 0) == 0) {
        v.integer = sign * std::stoll(digits.substr(2), nullptr, 2);
      } else if (digits.rfind("0x", 0) == 0) {
        v.integer = sign * std::stoll(digits.substr(2), nullptr, 16);
      } else if (digits.size() > 1 && digits[0] == '0') {
        v.integer = sign * std::stoll(digits, nullptr, 8);
      } else {
        v.integer = sign * std::stoll(digits);
      }
      v.real = static_cast<double>(v.integer);
    } catch (const std::out_of_range&) {  // beyond int64: keep as a float like Python's big ints compare
      v.kind = YamlValue::Kind::kFloat;
      try {
        v.real = std::stod(strip_underscores(s));
      } catch (const std::exception&) {
        v.kind = YamlValue::Kind::kString;
      }
    } catch (const std::invalid_argument&) {  // only underscores after a prefix, e.g. "0b_"
      v.kind = YamlValue::Kind::kString;
    }
  } else if (is_yaml11_float(s)) {
    v.kind = YamlValue::Kind::kFloat;
    const std::string t = strip_underscores(s);
    if (t.find("inf") != std::string::npos || t.find("Inf") != std::string::npos ||
        t.find("INF") != std::string::npos) {
      v.real = t[0] == '-' ? -INFINITY : INFINITY;
    } else if (t.find("nan") != std::string::npos || t.find("NaN") != std::string::npos ||
               t.find("NAN") != std::string::npos) {
      v.real = NAN;
    } else if (t.find(':') == std::string::npos) {
      try {
        v.real = std::stod(t);
      } catch (const std::exception&) {  // e.g. "_." : YAML 1.1 calls it a float, C++ cannot read it
        v.kind = YamlValue::Kind::kString;
      }
    }
  } else {
    v.kind = YamlValue::Kind::kString;
  }
  return v;
}

namespace {

// Thrown inside a document whose aliases expand past the budget; the document is skipped.
struct OverBudget {
  YamlError error;
};

// Builds YamlValues from libyaml's events: the same parser PyYAML's C loader uses.
class EventBuilder {
 public:
  explicit EventBuilder(const std::string& text, std::vector<YamlError>* skipped) : skipped_(skipped) {
    if (yaml_parser_initialize(&parser_) == 0) throw YamlError(0, "cannot initialise the YAML parser");
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~EventBuilder() { yaml_parser_delete(&parser_); }
  EventBuilder(const EventBuilder&) = delete;
  EventBuilder& operator=(const EventBuilder&) = delete;

  std::vector<YamlValue> documents() {
    std::vector<YamlValue> docs;
    for (;;) {
      Event e(parser_);
      switch (e.event.type) {
        case YAML_STREAM_END_EVENT: return docs;
        case YAML_DOCUMENT_START_EVENT: {
          anchors_.clear();
          nodes_ = 0;
          Event first(parser_);
          if (first.event.type == YAML_DOCUMENT_END_EVENT) {
            docs.emplace_back();  // empty document: null
            break;
          }
          try {
            docs.push_back(node(first.event));
          } catch (OverBudget& over) {
            if (skipped_ == nullptr) throw over.error;
            skipped_->push_back(std::move(over.error));
            skip_to_document_end();
            break;
          }
          Event end(parser_);
          if (end.event.type != YAML_DOCUMENT_END_EVENT) throw YamlError(line(end.event), "expected end of document");
          break;
        }
        default: break;  // stream start
      }
    }
  }

 private:
  // One parsed event, freed when it goes out of scope; parse errors become YamlError.
  struct Event {
    explicit Event(yaml_parser_t& p) {
      if (yaml_parser_parse(&p, &event) == 0) {
        const int at = static_cast<int>(p.problem_mark.line) + 1;
        throw YamlError(at, std::string(p.problem != nullptr ? p.problem : "YAML syntax error") +
                                (p.context != nullptr ? std::string(" ") + p.context : ""));
      }
    }
    ~Event() { yaml_event_delete(&event); }
    Event(const Event&) = delete;
    Event& operator=(const Event&) = delete;
    yaml_event_t event{};
  };

  static int line(const yaml_event_t& e) { return static_cast<int>(e.start_mark.line) + 1; }

  // Counts `n` more nodes in the document being built. Aliases copy what their anchor holds, so
  // nested anchors grow a document exponentially: a 620-byte "billion laughs" rule expands to
  // 10^9 nodes (tens of GB). The largest SigmaHQ rule has a few thousand nodes.
  void count(std::uint64_t n, const yaml_event_t& at) {
    nodes_ += n;
    if (nodes_ > kMaxNodes) {
      throw OverBudget{YamlError(line(at), "aliases expand this document past " + std::to_string(kMaxNodes) +
                                               " nodes (nested anchors: an alias bomb?); document skipped")};
    }
  }

  // Reads on to the end of the current document (after a skipped one's error).
  void skip_to_document_end() {
    for (;;) {
      Event e(parser_);
      if (e.event.type == YAML_DOCUMENT_END_EVENT) return;
    }
  }

  void remember(const yaml_char_t* anchor, const YamlValue& v, std::uint64_t nodes) {
    if (anchor != nullptr) anchors_[reinterpret_cast<const char*>(anchor)] = Anchored{v, nodes};
  }

  YamlValue node(const yaml_event_t& e, int depth = 0) {
    if (depth > 256) throw YamlError(line(e), "YAML nested too deeply");
    const std::uint64_t nodes_before = nodes_;
    if (e.type != YAML_ALIAS_EVENT) count(1, e);
    switch (e.type) {
      case YAML_ALIAS_EVENT: {
        auto it = anchors_.find(reinterpret_cast<const char*>(e.data.alias.anchor));
        if (it == anchors_.end()) throw YamlError(line(e), "unknown alias");
        count(it->second.nodes, e);  // before the copy: the budget is checked first
        return it->second.value;
      }
      case YAML_SCALAR_EVENT: {
        const std::string text(reinterpret_cast<const char*>(e.data.scalar.value), e.data.scalar.length);
        const char* tag = reinterpret_cast<const char*>(e.data.scalar.tag);
        YamlValue v;
        if (tag != nullptr && std::string(tag) == "tag:yaml.org,2002:str") {
          v.kind = YamlValue::Kind::kString;
          v.text = text;
        } else if (e.data.scalar.style == YAML_PLAIN_SCALAR_STYLE && tag == nullptr) {
          v = resolve_plain_scalar(text);  // only plain, untagged scalars are typed (YAML 1.1)
        } else {
          v.kind = YamlValue::Kind::kString;
          v.text = text;
        }
        v.line = line(e);
        remember(e.data.scalar.anchor, v, nodes_ - nodes_before);
        return v;
      }
      case YAML_SEQUENCE_START_EVENT: {
        YamlValue v;
        v.kind = YamlValue::Kind::kList;
        v.line = line(e);
        for (;;) {
          Event item(parser_);
          if (item.event.type == YAML_SEQUENCE_END_EVENT) break;
          v.items.push_back(node(item.event, depth + 1));
        }
        remember(e.data.sequence_start.anchor, v, nodes_ - nodes_before);
        return v;
      }
      case YAML_MAPPING_START_EVENT: {
        YamlValue v;
        v.kind = YamlValue::Kind::kMap;
        v.line = line(e);
        std::set<std::string> seen;
        for (;;) {
          Event key_event(parser_);
          if (key_event.event.type == YAML_MAPPING_END_EVENT) break;
          const YamlValue key = node(key_event.event, depth + 1);
          if (!key.is_scalar()) throw YamlError(key.line, "mapping key is not a scalar");
          const std::string name = key.scalar_text();
          if (!seen.insert(name).second) throw YamlError(key.line, "duplicate key '" + name + "'");
          Event value_event(parser_);
          v.entries.emplace_back(name, node(value_event.event, depth + 1));
        }
        remember(e.data.mapping_start.anchor, v, nodes_ - nodes_before);
        return v;
      }
      default: throw YamlError(line(e), "unexpected YAML event");
    }
  }

  static constexpr std::uint64_t kMaxNodes = 200'000;
  struct Anchored {
    YamlValue value;
    std::uint64_t nodes = 0;  // in value, aliases expanded
  };
  yaml_parser_t parser_{};
  std::map<std::string, Anchored> anchors_;
  std::uint64_t nodes_ = 0;  // in the document being built, aliases expanded
  std::vector<YamlError>* skipped_;
};

}  // namespace

std::vector<YamlValue> parse_yaml_documents(const std::string& text, std::vector<YamlError>* skipped) {
  // YAML allows no C0 control characters but tab, LF and CR (PyYAML rejects them the same way).
  int line = 1;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\n') ++line;
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", c);
      throw YamlError(line, std::string("non-printable character ") + hex + " (not allowed in YAML)");
    }
  }
  return EventBuilder(text, skipped).documents();
}

}  // namespace ashiato::sigma
