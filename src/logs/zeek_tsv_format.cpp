// Zeek's ASCII logs: "#separator \x09", "#set_separator", "#empty_field", "#unset_field",
// "#path", "#fields" and "#types" headers, then one tab-separated row per record. Any log type
// reads (unknown columns are kept as fields of their own name); set and vector values become
// several values of the field; "\xNN" escapes are decoded.
#include <string>
#include <vector>

#include "logs/canonical_fields.h"
#include "logs/formats.h"
#include "logs/line_tokens.h"
#include "logs/zeek_fields.h"

namespace ashiato::logs {
namespace {

struct ZeekColumn {
  FieldId id = kNoField;
  std::vector<FieldId> aliases;
  bool container = false;  // set[...] or vector[...]
  bool is_ts = false;
  bool is_uri = false;
};

std::string decode_escapes(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 3 < v.size() && v[i + 1] == 'x') {
      auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
      };
      int hi = hex(v[i + 2]), lo = hex(v[i + 3]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 3;
        continue;
      }
    }
    out += v[i];
  }
  return out;
}

class ZeekTsvParser final : public LineParser {
 public:
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<ZeekTsvParser>(*this); }
  bool has_directives() const override { return true; }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    if (line[0] == '#') {
      directive(line);
      return LineStatus::kSkipped;
    }
    if (columns_.empty()) {
      error = "data row before the #fields header";
      return LineStatus::kError;
    }
    split(line, separator_, values_);
    if (values_.size() != columns_.size()) {
      error = std::to_string(values_.size()) + " columns for " + std::to_string(columns_.size()) + " #fields";
      return LineStatus::kError;
    }
    bool has_time = false;
    for (std::size_t i = 0; i < values_.size(); ++i) {
      std::string_view v = values_[i];
      const ZeekColumn& c = columns_[i];
      if (v == unset_) continue;
      if (c.is_ts) {
        auto t = zeek_time(v);
        if (!t) {
          error = "bad ts '" + std::string(v) + "'";
          return LineStatus::kError;
        }
        event.set_time(*t);
        has_time = true;
      }
      if (v == empty_) {
        event.value(c.id, "");
        continue;
      }
      if (c.container) {
        split(v, set_separator_, parts_);
        for (auto part : parts_) add(event, c, part);
      } else {
        add(event, c, v);
      }
      if (c.is_uri) add_zeek_uri_parts(event, v);
    }
    if (!path_.empty()) event.value(path_id_, path_);
    if (!has_time && ts_column_) {
      error = "no ts";
      return LineStatus::kError;
    }
    return LineStatus::kEvent;
  }

 private:
  static void split(std::string_view s, std::string_view sep, std::vector<std::string_view>& out) {
    out.clear();
    if (sep.empty()) {  // nothing to split on (directives never leave one empty; kept safe anyway)
      out.push_back(s);
      return;
    }
    std::size_t pos = 0;
    for (;;) {
      std::size_t next = s.find(sep, pos);
      out.push_back(s.substr(pos, next - pos));
      if (next == std::string_view::npos) return;
      pos = next + sep.size();
    }
  }

  void add(LineEvent& event, const ZeekColumn& c, std::string_view v) {
    if (v.find("\\x") != std::string_view::npos) {
      std::string decoded = decode_escapes(v);
      event.value(c.id, decoded);
      for (FieldId a : c.aliases) event.value(a, decoded);
      return;
    }
    event.field(c.id, v);
    for (FieldId a : c.aliases) event.field(a, v);
  }

  void directive(std::string_view line) {
    if (line.starts_with("#separator ")) {
      std::string sep = decode_escapes(line.substr(11));
      separator_ = sep.empty() ? "\t" : sep;
      return;
    }
    std::size_t cut = line.find(separator_);
    if (cut == std::string_view::npos) return;
    std::string_view key = line.substr(1, cut - 1);
    std::string_view rest = line.substr(cut + separator_.size());
    if (key == "set_separator") {
      // An empty one would split a set at every byte and never end: Zeek's default stands.
      std::string sep = decode_escapes(rest);
      set_separator_ = sep.empty() ? "," : sep;
    }
    if (key == "empty_field") empty_ = std::string(rest);
    if (key == "unset_field") unset_ = std::string(rest);
    if (key == "path") path_ = std::string(rest);
    if (key == "fields") {
      columns_.clear();
      ts_column_ = false;
      std::vector<std::string_view> names;
      split(rest, separator_, names);
      for (auto n : names) {
        ZeekColumn c;
        c.id = intern_field(n);
        c.aliases = zeek_aliases(n);
        c.is_ts = n == "ts";
        c.is_uri = n == "uri";
        ts_column_ = ts_column_ || c.is_ts;
        columns_.push_back(std::move(c));
      }
    }
    if (key == "types") {
      std::vector<std::string_view> types;
      split(rest, separator_, types);
      for (std::size_t i = 0; i < types.size() && i < columns_.size(); ++i) {
        columns_[i].container = types[i].starts_with("set[") || types[i].starts_with("vector[");
      }
    }
  }

  std::string separator_ = "\t";
  std::string set_separator_ = ",";
  std::string empty_ = "(empty)";
  std::string unset_ = "-";
  std::string path_;
  FieldId path_id_ = intern_field("_path");
  std::vector<ZeekColumn> columns_;
  bool ts_column_ = false;
  std::vector<std::string_view> values_, parts_;
};

class ZeekTsvFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "zeek"; }
  std::string_view category() const override { return "zeek"; }
  std::string_view description() const override {
    return "Zeek ASCII (TSV) logs with #separator/#fields/#types headers, any log type";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    for (auto line : head) {
      if (line.starts_with("#separator ") || line.starts_with("#fields\t")) return 95;
    }
    return 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext&) const override {
    return std::make_unique<ZeekTsvParser>();
  }
};

}  // namespace

const LogFormat& zeek_tsv_format() {
  static const ZeekTsvFormat format;
  return format;
}

}  // namespace ashiato::logs
