#include "report/findings_writer.h"

#include "core/json_text.h"
#include "core/visible_text.h"
#include "report/record_table.h"

#include <fmt/format.h>

#include <charconv>
#include <iterator>

namespace ashiato::report {
namespace {

std::string joined(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += sep;
    s += x;
  }
  return s;
}

void append_decimal(std::string& out, std::uint64_t n) {
  char digits[24];
  const auto end = std::to_chars(std::begin(digits), std::end(digits), n).ptr;
  out.append(digits, end);
}

// Keys are written as they are (none needs escaping), values escaped; no temporaries, as a hunt
// writes one object per detection.
void json_object(std::string& out, const Finding& f) {
  out += "{\"time\":\"";
  append_iso8601(out, f.time, 6);
  const std::pair<std::string_view, std::string_view> strings[] = {
      {"\",\"host\":", f.host},       {",\"channel\":", f.channel},
      {",\"event_id\":", f.event_id}, {",\"level\":", level_name(f.level)},
      {",\"title\":", f.title},       {",\"rule_id\":", f.rule_id}};
  for (const auto& [key, value] : strings) {
    out += key;
    append_json_string(out, value);
  }
  out += ",\"tags\":[";
  for (std::size_t i = 0; i < f.tags.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, f.tags[i]);
  }
  out += "],\"details\":";
  append_json_string(out, f.details);
  const EvidenceRef& evidence = f.primary();
  out += ",\"file\":";
  append_json_string(out, evidence.file);
  out += ",\"record_id\":";
  append_decimal(out, evidence.record);
  out += ",\"offset\":";
  append_decimal(out, evidence.offset);
  out.push_back('}');
}

const char* level_colour(Level level) {
  switch (level) {
    case Level::kCritical: return "\x1b[1;31m";
    case Level::kHigh: return "\x1b[31m";
    case Level::kMedium: return "\x1b[33m";
    case Level::kLow: return "\x1b[32m";
    default: return "\x1b[2m";
  }
}

}  // namespace

FindingsWriter::FindingsWriter(FindingsFormat format, bool colour, std::function<void(std::string_view)> write,
                               CsvCells cells)
    : format_(format), colour_(colour), cells_(cells), write_(std::move(write)) {
  if (format_ == FindingsFormat::kCsv)
    out_ += "time,host,channel,event_id,level,title,rule_id,tags,details,file,record_id\n";
  if (format_ == FindingsFormat::kJson) out_ += "[";
}

void FindingsWriter::flush_if_full() {
  constexpr std::size_t kPiece = 1 << 20;
  if (out_.size() < kPiece) return;
  write_(out_);
  out_.clear();
}

void FindingsWriter::add(const Finding& f) {
  switch (format_) {
    case FindingsFormat::kCsv: {
      const std::string time = to_iso8601(f.time, 6);  // outlives the loop below
      for (const std::string_view s :
           {std::string_view(time), std::string_view(f.host), std::string_view(f.channel), std::string_view(f.event_id),
            level_name(f.level), std::string_view(f.title), std::string_view(f.rule_id)}) {
        append_csv_field(out_, s, cells_);
        out_.push_back(',');
      }
      append_csv_field(out_, joined(f.tags, " "), cells_);
      out_.push_back(',');
      append_csv_field(out_, f.details, cells_);
      out_.push_back(',');
      append_csv_field(out_, f.primary().file, cells_);
      out_ += fmt::format(",{}\n", f.primary().record);
      break;
    }
    case FindingsFormat::kJsonLines:
      json_object(out_, f);
      out_.push_back('\n');
      break;
    case FindingsFormat::kJson:
      out_ += count_ == 0 ? "\n" : ",\n";
      json_object(out_, f);
      break;
    case FindingsFormat::kTable: {
      const std::string level = colour_
                                    ? std::string(level_colour(f.level)) + std::string(level_name(f.level)) + "\x1b[0m"
                                    : std::string(level_name(f.level));
      out_ += fmt::format("{}  {:<20.20}  {:>5}  {:<8}  {}\n", to_iso8601(f.time, 0), visible(f.host),
                          visible(f.event_id), level, visible(f.title));
      if (!f.details.empty()) out_ += fmt::format("    {}\n", visible(f.details));
      out_ += fmt::format("    {}#{}  [{}]{}\n", visible(f.primary().file), f.primary().record, visible(f.rule_id),
                          f.tags.empty() ? "" : "  " + visible(joined(f.tags, " ")));
      break;
    }
  }
  ++count_;
  flush_if_full();
}

void FindingsWriter::finish() {
  if (format_ == FindingsFormat::kJson) out_ += "\n]\n";
  write_(out_);
  out_.clear();
}

void write_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour,
                    const std::function<void(std::string_view)>& write, CsvCells cells) {
  FindingsWriter writer(format, colour, write, cells);
  for (const Finding& f : findings) writer.add(f);
  writer.finish();
}

std::string format_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour) {
  std::string all;
  write_findings(findings, format, colour, [&all](std::string_view piece) { all.append(piece); });
  return all;
}

}  // namespace ashiato::report
