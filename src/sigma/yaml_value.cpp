#include "sigma/yaml_value.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <regex>
#include <set>

namespace ashiato::sigma {
namespace {

std::string strip_underscores(std::string s) {
  s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
  return s;
}

YamlValue convert(const YAML::Node& node) {
  YamlValue v;
  v.line = node.Mark().line + 1;
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: v.kind = YamlValue::Kind::kNull; return v;
    case YAML::NodeType::Scalar: {
      const std::string& tag = node.Tag();
      if (tag == "!" || tag == "tag:yaml.org,2002:str") {  // quoted, or explicitly a string
        v.kind = YamlValue::Kind::kString;
        v.text = node.Scalar();
        return v;
      }
      YamlValue r = resolve_plain_scalar(node.Scalar());
      r.line = v.line;
      return r;
    }
    case YAML::NodeType::Sequence:
      v.kind = YamlValue::Kind::kList;
      for (const auto& item : node) v.items.push_back(convert(item));
      return v;
    case YAML::NodeType::Map: {
      v.kind = YamlValue::Kind::kMap;
      std::set<std::string> seen;
      for (const auto& kv : node) {
        const YamlValue key = convert(kv.first);
        if (!key.is_scalar()) throw YamlError(key.line, "mapping key is not a scalar");
        const std::string name = key.scalar_text();
        if (!seen.insert(name).second) throw YamlError(key.line, "duplicate key '" + name + "'");
        v.entries.emplace_back(name, convert(kv.second));
      }
      return v;
    }
  }
  return v;
}

}  // namespace

const YamlValue* YamlValue::find(std::string_view key) const {
  for (const auto& [k, v] : entries) {
    if (k == key) return &v;
  }
  return nullptr;
}

std::string YamlValue::scalar_text() const {
  switch (kind) {
    case Kind::kNull: return "";
    case Kind::kBool: return boolean ? "true" : "false";
    case Kind::kInt: return text.empty() ? std::to_string(integer) : text;
    default: return text;
  }
}

YamlValue resolve_plain_scalar(const std::string& s) {
  // Patterns from PyYAML's Resolver (YAML 1.1).
  static const std::regex kBool("yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF");
  static const std::regex kNullRe("~|null|Null|NULL|");
  static const std::regex kInt(
      "[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+");
  static const std::regex kFloat(
      "[-+]?(?:[0-9][0-9_]*)\\.[0-9_]*(?:[eE][-+][0-9]+)?|\\.[0-9_]+(?:[eE][-+][0-9]+)?|"
      "[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN)");
  YamlValue v;
  v.text = s;
  if (std::regex_match(s, kNullRe)) {
    v.kind = YamlValue::Kind::kNull;
  } else if (std::regex_match(s, kBool)) {
    v.kind = YamlValue::Kind::kBool;
    v.boolean = s[0] == 'y' || s[0] == 'Y' || s[0] == 't' || s[0] == 'T' || s == "on" || s == "On" || s == "ON";
  } else if (std::regex_match(s, kInt)) {
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
      v.real = std::stod(strip_underscores(s));
    }
  } else if (std::regex_match(s, kFloat)) {
    v.kind = YamlValue::Kind::kFloat;
    const std::string t = strip_underscores(s);
    if (t.find("inf") != std::string::npos || t.find("Inf") != std::string::npos ||
        t.find("INF") != std::string::npos) {
      v.real = t[0] == '-' ? -INFINITY : INFINITY;
    } else if (t.find("nan") != std::string::npos || t.find("NaN") != std::string::npos ||
               t.find("NAN") != std::string::npos) {
      v.real = NAN;
    } else if (t.find(':') == std::string::npos) {
      v.real = std::stod(t);
    }
  } else {
    v.kind = YamlValue::Kind::kString;
  }
  return v;
}

std::vector<YamlValue> parse_yaml_documents(const std::string& text) {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    throw YamlError(e.mark.line + 1, e.msg);
  }
  std::vector<YamlValue> out;
  out.reserve(docs.size());
  for (const auto& d : docs) out.push_back(convert(d));
  return out;
}

}  // namespace ashiato::sigma
