// CSV and TSV files with a header row (exports from SIEMs, proxies, spreadsheets). Column names
// become field names (with --map adding canonical aliases); a time column (timestamp, time, date
// + time, ...) gives the event time; lines starting with '#' are comments.
#include <string>
#include <vector>

#include "logs/canonical_fields.h"
#include "logs/formats.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

char separator_of(std::string_view header) {
  if (header.find('\t') != std::string_view::npos) return '\t';
  if (header.find(',') != std::string_view::npos) return ',';
  if (header.find(';') != std::string_view::npos) return ';';
  return 0;
}

// A header names columns: no cell may look like data (a number, an address, a time).
bool plausible_header(std::vector<std::string_view> cells) {
  if (!cells.empty() && cells.back().empty()) cells.pop_back();  // a trailing separator
  if (cells.size() < 2) return false;
  for (auto c : cells) {
    if (c.empty() || c.size() > 64 || all_digits(c) || looks_like_ip(c) || parse_epoch(c) || parse_iso8601(c)) {
      return false;
    }
  }
  return true;
}

std::string_view header_line(const std::vector<std::string_view>& head) {
  for (auto line : head) {
    if (!line.starts_with("#")) return line;
  }
  return {};
}

std::optional<Timestamp> parse_time_text(std::string_view text, const LogClock* clock) {
  if (auto epoch = parse_epoch(text)) return epoch;
  bool zoned = text.size() > 19 && (text.back() == 'Z' || text.find_first_of("+-", 19) != std::string_view::npos);
  auto t = parse_iso8601(text);
  if (t && !zoned && clock) t = clock->to_utc(to_civil(*t));
  return t;
}

class DelimitedParser final : public LineParser {
 public:
  DelimitedParser(std::string header, const FileContext& file) : header_(std::move(header)), clock_(file.clock) {
    separator_ = separator_of(header_);
    std::vector<std::string_view> names;
    split_csv(header_, separator_, names);
    for (std::size_t i = 0; i < names.size(); ++i) {
      std::string_view n = names[i];
      while (!n.empty() && n.front() == ' ') n.remove_prefix(1);
      while (!n.empty() && n.back() == ' ') n.remove_suffix(1);
      Column c{intern_field(n), {}};
      for (const auto& [from, to] : file.field_map) {
        if (from == n) c.aliases.push_back(intern_field(to));
      }
      std::string l = lower(n);
      bool stamp =
          l == "timestamp" || l == "@timestamp" || l == "datetime" || l == "ts" || l == "_time" || l == "eventtime";
      if (stamp || (l == "time" && time_ < 0)) time_ = static_cast<int>(i);
      if (l == "date") date_ = static_cast<int>(i);
      columns_.push_back(std::move(c));
    }
  }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<DelimitedParser>(*this); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    if (line[0] == '#' || line == header_) return LineStatus::kSkipped;
    if (!split_csv(line, separator_, values_)) {
      error = "unterminated quote";
      return LineStatus::kError;
    }
    if (values_.size() != columns_.size()) {
      error = std::to_string(values_.size()) + " columns where the header has " + std::to_string(columns_.size());
      return LineStatus::kError;
    }
    for (std::size_t i = 0; i < values_.size(); ++i) {
      std::string_view v = values_[i];
      if (v.empty()) continue;
      if (csv_needs_unquote(v)) {
        std::string plain = unquote_csv(v);
        event.value(columns_[i].id, plain);
        for (FieldId a : columns_[i].aliases) event.value(a, plain);
      } else {
        event.field(columns_[i].id, v);
        for (FieldId a : columns_[i].aliases) event.field(a, v);
      }
    }
    std::optional<Timestamp> t;
    if (time_ >= 0 && date_ >= 0 && time_ != date_) {
      t = parse_time_text(std::string(values_[static_cast<std::size_t>(date_)]) + " " +
                              std::string(values_[static_cast<std::size_t>(time_)]),
                          clock_);
    } else if (time_ >= 0 || date_ >= 0) {
      t = parse_time_text(values_[static_cast<std::size_t>(time_ >= 0 ? time_ : date_)], clock_);
    }
    if (t) event.set_time(*t);
    return LineStatus::kEvent;
  }

 private:
  struct Column {
    FieldId id;
    std::vector<FieldId> aliases;
  };
  std::string header_;
  const LogClock* clock_;
  char separator_ = ',';
  std::vector<Column> columns_;
  int time_ = -1, date_ = -1;
  std::vector<std::string_view> values_;
};

class DelimitedFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "csv"; }
  std::string_view category() const override { return "generic"; }
  std::string_view description() const override {
    return "CSV or TSV with a header row (comma, tab or semicolon; '#' lines are comments)";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    std::string_view header = header_line(head);
    char sep = separator_of(header);
    std::vector<std::string_view> cells;
    if (sep == 0 || !split_csv(header, sep, cells) || !plausible_header(cells)) return 0;
    int rows = 0, fitting = 0;
    std::vector<std::string_view> row;
    bool after_header = false;
    for (auto line : head) {
      if (line == header) {
        after_header = true;
        continue;
      }
      if (!after_header || line.starts_with("#")) continue;
      ++rows;
      if (split_csv(line, sep, row) && row.size() == cells.size()) ++fitting;
    }
    return rows == 0 || fitting * 2 > rows ? 30 : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<DelimitedParser>(std::string(header_line(file.head)), file);
  }
};

}  // namespace

const LogFormat& delimited_format() {
  static const DelimitedFormat format;
  return format;
}

}  // namespace ashiato::logs
