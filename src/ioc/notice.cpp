#include "ioc/notice.h"

#include <algorithm>
#include <regex>

namespace ashiato::ioc {
namespace {

// Punctuation that separates words in Japanese text and around indicators in prose.
constexpr std::string_view kSeparators[] = {"、", "。", "「", "」", "（", "）", "：",
                                            "，", "　", "【", "】", "『", "』", "・"};

// Addresses and names of the centres that send notices: their own contact details in the
// signature are not indicators.
constexpr std::string_view kSenders[] = {"jpcert.or.jp", "jpcert.org", "ipa.go.jp",   "nisc.go.jp", "npa.go.jp",
                                         "cert.org",     "first.org",  "us-cert.gov", "cisa.gov"};

// Words that mark an address as the organisation's own (the source of the reported traffic).
constexpr std::string_view kOwnMarkers[] = {"送信元", "貴組織", "貴社",   "御社",   "お客様",         "組織の",
                                            "your ",  "Your ",  "source", "Source", "from the organi"};

std::string spaced(std::string_view line) {
  std::string s;
  s.reserve(line.size());
  for (std::size_t i = 0; i < line.size();) {
    bool separator = false;
    for (auto sep : kSeparators) {
      if (line.substr(i, sep.size()) == sep) {
        s.push_back(' ');
        i += sep.size();
        separator = true;
        break;
      }
    }
    if (separator) continue;
    const char c = line[i++];
    // Angle brackets quote a URL (<http://…>): they separate at a word's edges, but inside a word
    // they stay, so that a URL holding one is not cut there into a shorter, wider indicator.
    const bool word_start = s.empty() || s.back() == ' ';
    const bool word_end = i >= line.size() || line[i] == ' ' || line[i] == '\t' || line[i] == '>' || line[i] == ',' ||
                          line[i] == ';' || line[i] == ')' || line[i] == '"' || line[i] == '\'' || line[i] == '\r';
    const bool bracket = (c == '<' && word_start) || (c == '>' && word_end);
    const bool blank =
        c == '"' || c == '\'' || bracket || c == '(' || c == ')' || c == ',' || c == ';' || c == '\t' || c == '`';
    s.push_back(blank ? ' ' : c);
  }
  return s;
}

bool from_sender(const Indicator& i) {
  std::string_view v = i.value;
  if (i.type == IndicatorType::kUrl) v = url_host(v);
  if (i.type == IndicatorType::kEmail) v = v.substr(v.find('@') + 1);
  for (auto d : kSenders) {
    if (v == d || (v.size() > d.size() && v.ends_with(d) && v[v.size() - d.size() - 1] == '.')) return true;
  }
  return false;
}

bool names_own_address(std::string_view line) {
  return std::any_of(std::begin(kOwnMarkers), std::end(kOwnMarkers),
                     [&](std::string_view m) { return line.find(m) != std::string_view::npos; });
}

// Date-times like "2015-06-01 10:00", "2015/6/1 10:00:00", "2015年6月1日 10時00分", with an
// optional zone after them ("JST", "+09:00", "UTC"). The regex works on UTF-8 bytes: a quantifier
// after a Japanese character must apply to a group, not to its last byte.
void read_times(std::string_view line, int default_offset, std::optional<Timestamp>& from,
                std::optional<Timestamp>& to) {
  static const std::regex stamp(
      R"((\d{4})\s*(?:-|/|年)\s*(\d{1,2})\s*(?:-|/|月)\s*(\d{1,2})\s*(?:日)?(?:\s*\S{0,6}?\s*|T)(\d{1,2})\s*(?::|時)\s*(\d{2})\s*(?:分)?(?:\s*(?::)\s*(\d{2}))?\s*(?:秒)?\s*[(（]?\s*(JST|UTC|GMT|Z|[+-]\d{2}:?\d{2})?)");
  const std::string text(line);
  for (std::sregex_iterator it(text.begin(), text.end(), stamp), end; it != end; ++it) {
    const auto& m = *it;
    CivilTime c{std::stoi(m[1]),
                std::stoi(m[2]),
                std::stoi(m[3]),
                std::stoi(m[4]),
                std::stoi(m[5]),
                m[6].matched ? std::stoi(m[6]) : 0,
                0};
    auto t = from_civil(c);
    if (!t || c.hour > 23 || c.minute > 59) continue;
    int offset = default_offset;
    if (m[7].matched) {
      const std::string z = m[7];
      if (z == "JST") {
        offset = 9 * 60;
      } else if (z == "UTC" || z == "GMT" || z == "Z") {
        offset = 0;
      } else {
        const int sign = z[0] == '-' ? -1 : 1;
        const std::string digits = z.substr(1, 2) + (z.size() == 6 ? z.substr(4, 2) : z.substr(3, 2));
        offset = sign * (std::stoi(digits.substr(0, 2)) * 60 + std::stoi(digits.substr(2, 2)));
      }
    }
    t->ticks -= static_cast<std::int64_t>(offset) * 60 * 10'000'000;
    if (!from || *t < *from) from = t;
    if (!to || *t > *to) to = t;
  }
}

}  // namespace

Notice read_notice(std::string_view text, const std::string& source, int default_offset_minutes) {
  Notice notice;
  // A zone named once ("期間: … (JST)", "all times in UTC") holds for the stamps written without one.
  if (text.find("JST") != std::string_view::npos || text.find("日本時間") != std::string_view::npos ||
      text.find("+09:00") != std::string_view::npos) {
    default_offset_minutes = 9 * 60;
  } else if (text.find("UTC") != std::string_view::npos || text.find("GMT") != std::string_view::npos) {
    default_offset_minutes = 0;
  }
  std::size_t line_no = 0, pos = 0;
  while (pos <= text.size()) {
    const std::size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    ++line_no;
    read_times(line, default_offset_minutes, notice.from, notice.to);
    const std::string words = spaced(refang(line));
    const bool own = names_own_address(line);
    std::size_t start = 0;
    while (start < words.size()) {
      std::size_t end = words.find(' ', start);
      if (end == std::string::npos) end = words.size();
      std::string_view token(words.data() + start, end - start);
      start = end + 1;
      while (!token.empty() && (token.back() == '.' || token.back() == ':')) token.remove_suffix(1);
      if (token.empty()) continue;
      auto indicator = classify(token);
      if (!indicator || from_sender(*indicator)) continue;
      const bool address = indicator->type == IndicatorType::kIpv4 || indicator->type == IndicatorType::kIpv6;
      if (own && address) {
        if (std::find(notice.own_addresses.begin(), notice.own_addresses.end(), indicator->value) ==
            notice.own_addresses.end()) {
          notice.own_addresses.push_back(indicator->value);
        }
        continue;
      }
      indicator->source = source + ":" + std::to_string(line_no);
      indicator->label = "notice";
      notice.indicators.push_back(std::move(*indicator));
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return notice;
}

}  // namespace ashiato::ioc
