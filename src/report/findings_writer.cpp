#include "report/findings_writer.h"

#include "core/json_text.h"
#include "report/record_table.h"

#include <fmt/format.h>

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

void json_object(std::string& out, const Finding& f) {
  const std::string time = to_iso8601(f.time, 6);
  const std::pair<const char*, const std::string*> strings[] = {
      {"time", &time},     {"host", &f.host},   {"channel", &f.channel}, {"event_id", &f.event_id},
      {"level", &f.level}, {"title", &f.title}, {"rule_id", &f.rule_id}};
  char sep = '{';
  for (const auto& [key, value] : strings) {
    out.push_back(sep);
    sep = ',';
    append_json_string(out, key);
    out.push_back(':');
    append_json_string(out, *value);
  }
  out += ",\"tags\":[";
  for (std::size_t i = 0; i < f.tags.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, f.tags[i]);
  }
  out += "],\"details\":";
  append_json_string(out, f.details);
  out += ",\"file\":";
  append_json_string(out, f.file);
  out += fmt::format(",\"record_id\":{},\"offset\":{}}}", f.record_id, f.offset);
}

const char* level_colour(const std::string& level) {
  if (level == "critical") return "\x1b[1;31m";
  if (level == "high") return "\x1b[31m";
  if (level == "medium") return "\x1b[33m";
  if (level == "low") return "\x1b[32m";
  return "\x1b[2m";
}

}  // namespace

void write_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour,
                    const std::function<void(std::string_view)>& write) {
  constexpr std::size_t kPiece = 1 << 20;
  std::string out;
  // Hands on what is formatted once it reaches about a megabyte.
  auto flush_if_full = [&] {
    if (out.size() < kPiece) return;
    write(out);
    out.clear();
  };
  switch (format) {
    case FindingsFormat::kCsv:
      out += "time,host,channel,event_id,level,title,rule_id,tags,details,file,record_id\n";
      for (const Finding& f : findings) {
        const std::string time = to_iso8601(f.time, 6);  // outlives the loop below
        for (const std::string_view s : {std::string_view(time), std::string_view(f.host), std::string_view(f.channel),
                                         std::string_view(f.event_id), std::string_view(f.level),
                                         std::string_view(f.title), std::string_view(f.rule_id)}) {
          append_csv_field(out, s);
          out.push_back(',');
        }
        append_csv_field(out, joined(f.tags, " "));
        out.push_back(',');
        append_csv_field(out, f.details);
        out.push_back(',');
        append_csv_field(out, f.file);
        out += fmt::format(",{}\n", f.record_id);
        flush_if_full();
      }
      break;
    case FindingsFormat::kJsonLines:
      for (const Finding& f : findings) {
        json_object(out, f);
        out.push_back('\n');
        flush_if_full();
      }
      break;
    case FindingsFormat::kJson:
      out += "[";
      for (std::size_t i = 0; i < findings.size(); ++i) {
        out += i == 0 ? "\n" : ",\n";
        json_object(out, findings[i]);
        flush_if_full();
      }
      out += "\n]\n";
      break;
    case FindingsFormat::kTable:
      for (const Finding& f : findings) {
        const std::string level = colour ? std::string(level_colour(f.level)) + f.level + "\x1b[0m" : f.level;
        out +=
            fmt::format("{}  {:<20.20}  {:>5}  {:<8}  {}\n", to_iso8601(f.time, 0), f.host, f.event_id, level, f.title);
        if (!f.details.empty()) out += fmt::format("    {}\n", f.details);
        out += fmt::format("    {}#{}  [{}]{}\n", f.file, f.record_id, f.rule_id,
                           f.tags.empty() ? "" : "  " + joined(f.tags, " "));
        flush_if_full();
      }
      break;
  }
  write(out);
}

std::string format_findings(const std::vector<Finding>& findings, FindingsFormat format, bool colour) {
  std::string all;
  write_findings(findings, format, colour, [&all](std::string_view piece) { all.append(piece); });
  return all;
}

}  // namespace ashiato::report
