#include "report/record_table.h"

#include <algorithm>

#include "core/json_text.h"
#include "core/visible_text.h"

namespace ashiato::report {
namespace {

// Display width in characters (UTF-8 code points; wide CJK characters count as two).
std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;
    w += c >= 0xE3 && c <= 0xED ? 2 : 1;  // U+3000..U+DFFF: CJK, kana, hangul
  }
  return w;
}

std::string clip(std::string_view raw, std::size_t max_width) {
  std::string one_line(raw);
  for (char& ch : one_line) {
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  }
  const std::string shown = visible(one_line);
  const std::string_view s = shown;
  std::string out;
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    std::size_t cw = c >= 0xE3 && c <= 0xED ? 2 : 1;
    if (w + cw > max_width - 1 && display_width(s.substr(i)) + w > max_width) {
      out += "…";
      return out;
    }
    out.append(s.substr(i, len));
    w += cw;
    i += len;
  }
  return out;
}

bool is_json_number(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return s.size() == 1 || s[0] != '0';
}

void append_object(std::string& out, const RecordTable& t, const std::vector<std::string>& row) {
  out.push_back('{');
  for (std::size_t c = 0; c < t.columns.size(); ++c) {
    if (c > 0) out.push_back(',');
    append_json_string(out, t.columns[c]);
    out.push_back(':');
    const std::string& v = c < row.size() ? row[c] : std::string();
    if (t.numeric[c] && is_json_number(v)) {
      out += v;
    } else {
      append_json_string(out, v);
    }
  }
  out.push_back('}');
}

}  // namespace

namespace {

// A decimal number ("-1", "+2.5") or a lone sign: nothing a spreadsheet could run.
bool harmless_sign(std::string_view s) {
  if (s.size() == 1) return true;
  std::size_t i = 1, digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  if (i < s.size() && s[i] == '.') {
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++digits;
  }
  return digits > 0 && i == s.size();
}

bool formula_like(std::string_view s) {
  if (s.empty()) return false;
  switch (s[0]) {
    case '=':
    case '@':
    case '\t':
    case '\r': return true;
    case '+':
    case '-': return !harmless_sign(s);
    default: return false;
  }
}

}  // namespace

void append_csv_field(std::string& out, std::string_view s, CsvCells cells) {
  const bool neutralise = cells == CsvCells::kNeutralised && formula_like(s);
  if (!neutralise && s.find_first_of(",\"\n\r") == std::string_view::npos) {
    out.append(s);
    return;
  }
  out.push_back('"');
  if (neutralise) out.push_back('\'');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

TableFormat table_format(std::string_view name) {
  return name == "csv"     ? TableFormat::kCsv
         : name == "jsonl" ? TableFormat::kJsonLines
         : name == "json"  ? TableFormat::kJson
                           : TableFormat::kText;
}

std::string table_json_array(const RecordTable& table) {
  std::string out = "[";
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    if (r > 0) out += ",\n";
    append_object(out, table, table.rows[r]);
  }
  out += "]";
  return out;
}

std::string format_table(const RecordTable& table, TableFormat format, std::size_t max_width, CsvCells cells) {
  std::string out;
  switch (format) {
    case TableFormat::kCsv:
      for (std::size_t c = 0; c < table.columns.size(); ++c) {
        if (c > 0) out.push_back(',');
        append_csv_field(out, table.columns[c], cells);
      }
      out.push_back('\n');
      for (const auto& row : table.rows) {
        for (std::size_t c = 0; c < row.size(); ++c) {
          if (c > 0) out.push_back(',');
          append_csv_field(out, row[c], cells);
        }
        out.push_back('\n');
      }
      return out;
    case TableFormat::kJsonLines:
      for (const auto& row : table.rows) {
        append_object(out, table, row);
        out.push_back('\n');
      }
      return out;
    case TableFormat::kJson: return table_json_array(table) + "\n";
    case TableFormat::kText: break;
  }
  std::vector<std::string> header = table.columns;
  std::vector<std::vector<std::string>> shown_rows;
  shown_rows.reserve(table.rows.size());
  std::vector<std::size_t> width(table.columns.size(), 0);
  for (std::size_t c = 0; c < header.size(); ++c) width[c] = display_width(header[c]);
  for (const auto& row : table.rows) {
    std::vector<std::string> clipped;
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c) {
      clipped.push_back(clip(row[c], max_width));
      width[c] = std::max(width[c], display_width(clipped.back()));
    }
    shown_rows.push_back(std::move(clipped));
  }
  auto line = [&](const std::vector<std::string>& row) {
    std::string l;
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c > 0) l += "  ";
      const bool right = table.numeric[c];
      const std::size_t pad = width[c] - std::min(width[c], display_width(row[c]));
      if (right) l.append(pad, ' ');
      l += row[c];
      if (!right && c + 1 < row.size()) l.append(pad, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l;
    out.push_back('\n');
  };
  line(header);
  for (const auto& row : shown_rows) line(row);
  return out;
}

}  // namespace ashiato::report
