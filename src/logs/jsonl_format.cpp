// JSON lines: Zeek's JSON logs (same fields as its TSV logs) and any other one-object-per-line
// log (ECS/Elastic, cloud exports). Nested objects flatten to dotted names, arrays become several
// values of one field; well-known ECS names also get their canonical alias, and --map adds more.
#include <simdjson.h>

#include <charconv>
#include <string>
#include <unordered_map>
#include <vector>

#include "logs/canonical_fields.h"
#include "logs/formats.h"
#include "logs/line_tokens.h"
#include "logs/zeek_fields.h"

namespace ashiato::logs {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::vector<FieldId> ecs_aliases(std::string_view name) {
  static const std::unordered_map<std::string_view, std::string_view> table = {
      {"source.ip", "src_ip"},
      {"source.port", "src_port"},
      {"destination.ip", "dst_ip"},
      {"destination.port", "dst_port"},
      {"destination.domain", "dst_host"},
      {"url.original", "c-uri"},
      {"url.full", "c-uri"},
      {"url.domain", "cs-host"},
      {"url.path", "c-uri-stem"},
      {"url.query", "c-uri-query"},
      {"http.request.method", "cs-method"},
      {"http.response.status_code", "sc-status"},
      {"user_agent.original", "c-useragent"},
      {"dns.question.name", "query"},
      {"dns.answers.data", "answer"},
      {"dns.question.type", "record_type"},
      {"user.name", "user"},
      {"event.action", "action"},
      {"network.transport", "protocol"},
      {"file.hash.md5", "md5"},
      {"file.hash.sha1", "sha1"},
      {"file.hash.sha256", "sha256"},
  };
  if (auto it = table.find(name); it != table.end()) return {intern_field(it->second)};
  return {};
}

constexpr std::string_view kTimeKeys[] = {"@timestamp", "timestamp", "time",      "ts",
                                          "date",       "datetime",  "eventtime", "EventTime"};

class JsonLineParser final : public LineParser {
 public:
  JsonLineParser(bool zeek, std::vector<std::pair<std::string, std::string>> field_map)
      : zeek_(zeek), field_map_(std::move(field_map)) {}
  JsonLineParser(const JsonLineParser& other) : zeek_(other.zeek_), field_map_(other.field_map_) {}
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<JsonLineParser>(*this); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string_view::npos || line[start] == '#') return LineStatus::kSkipped;  // comments, test banners
    element root;
    if (auto err = parser_.parse(line.data(), line.size(), true).get(root); err) {
      error = std::string("invalid JSON: ") + simdjson::error_message(err);
      return LineStatus::kError;
    }
    if (root.type() != element_type::OBJECT) {
      error = "not a JSON object";
      return LineStatus::kError;
    }
    name_.clear();
    flatten(root, event);
    return LineStatus::kEvent;
  }

 private:
  struct Names {
    FieldId id;
    std::vector<FieldId> aliases;
    bool is_time;
    bool is_uri;
  };

  const Names& names_of(const std::string& name) {
    auto it = names_.find(name);
    if (it != names_.end()) return it->second;
    Names n{intern_field(name), zeek_ ? zeek_aliases(name) : ecs_aliases(name), false, zeek_ && name == "uri"};
    for (auto key : kTimeKeys) n.is_time = n.is_time || name == key;
    for (const auto& [from, to] : field_map_) {
      if (from == name) n.aliases.push_back(intern_field(to));
    }
    return names_.emplace(name, std::move(n)).first->second;
  }

  void flatten(element e, LineEvent& event) {
    switch (e.type()) {
      case element_type::OBJECT:
        for (auto [key, value] : simdjson::dom::object(e)) {
          std::size_t keep = name_.size();
          if (!name_.empty()) name_ += '.';
          name_.append(key);
          flatten(value, event);
          name_.resize(keep);
        }
        return;
      case element_type::ARRAY:
        for (element item : simdjson::dom::array(e)) flatten(item, event);
        return;
      case element_type::NULL_VALUE: return;
      default: break;
    }
    std::string_view text = scalar_text(e);
    const Names& n = names_of(name_);
    event.value(n.id, text);
    for (FieldId a : n.aliases) event.value(a, text);
    if (n.is_uri) add_zeek_uri_parts(event, text);
    if (n.is_time && !event.has_time()) {
      if (auto t = time_of(e, text)) event.set_time(*t);
    }
  }

  static std::optional<Timestamp> time_of(element e, std::string_view text) {
    if (e.type() == element_type::STRING) {
      if (auto t = parse_iso8601(text)) return t;
      return zeek_time(text);
    }
    double seconds = 0;
    if (e.get_double().get(seconds) != simdjson::SUCCESS) return std::nullopt;
    if (seconds > 1e11) seconds /= 1000;                                  // milliseconds since the epoch
    if (!(seconds >= 0 && seconds < 32503680000.0)) return std::nullopt;  // before 1970 or after 3000: no time
    auto whole = static_cast<std::int64_t>(seconds);
    return Timestamp::from_unix_seconds(whole, static_cast<std::int64_t>((seconds - static_cast<double>(whole)) * 1e9));
  }

  std::string_view scalar_text(element e) {
    switch (e.type()) {
      case element_type::STRING: return std::string_view(e.get_string());
      case element_type::INT64: {
        auto r = std::to_chars(number_, number_ + sizeof number_, std::int64_t(e.get_int64()));
        return {number_, static_cast<std::size_t>(r.ptr - number_)};
      }
      case element_type::UINT64: {
        auto r = std::to_chars(number_, number_ + sizeof number_, std::uint64_t(e.get_uint64()));
        return {number_, static_cast<std::size_t>(r.ptr - number_)};
      }
      case element_type::DOUBLE: {
        auto r = std::to_chars(number_, number_ + sizeof number_, double(e.get_double()));
        return {number_, static_cast<std::size_t>(r.ptr - number_)};
      }
      case element_type::BOOL: return bool(e.get_bool()) ? "true" : "false";
      default: return {};
    }
  }

  bool zeek_;
  std::vector<std::pair<std::string, std::string>> field_map_;
  simdjson::dom::parser parser_;
  std::string name_;
  std::unordered_map<std::string, Names> names_;
  char number_[40];
};

bool object_line(std::string_view line) {
  return line.size() >= 2 && line.front() == '{' && line.back() == '}';
}

int share_of_json_lines(const std::vector<std::string_view>& head, bool zeek) {
  int hits = 0, lines = 0;
  for (auto line : head) {
    if (line.starts_with("#")) continue;
    ++lines;
    if (!object_line(line)) continue;
    bool zeek_like =
        line.find("\"_path\":") != std::string_view::npos ||
        (line.find("\"ts\":") != std::string_view::npos &&
         (line.find("\"uid\":") != std::string_view::npos || line.find("\"id.orig_h\":") != std::string_view::npos));
    if (!zeek || zeek_like) ++hits;
  }
  return hits * 2 > lines ? (zeek ? 92 : 40) : 0;
}

class JsonLinesFormat final : public LogFormat {
 public:
  explicit JsonLinesFormat(bool zeek) : zeek_(zeek) {}
  std::string_view name() const override { return zeek_ ? "zeek-json" : "jsonl"; }
  std::string_view category() const override { return zeek_ ? "zeek" : "generic"; }
  std::string_view description() const override {
    return zeek_ ? "Zeek JSON logs (one object per line), any log type"
                 : "JSON lines (one object per line; nested names dotted; ECS names aliased)";
  }
  int detect(const std::vector<std::string_view>& head) const override { return share_of_json_lines(head, zeek_); }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<JsonLineParser>(zeek_, file.field_map);
  }

 private:
  bool zeek_;
};

}  // namespace

const LogFormat& zeek_json_format() {
  static const JsonLinesFormat format(true);
  return format;
}
const LogFormat& jsonl_format() {
  static const JsonLinesFormat format(false);
  return format;
}

}  // namespace ashiato::logs
