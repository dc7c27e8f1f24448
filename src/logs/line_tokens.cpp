#include "logs/line_tokens.h"

#include <cstring>

#include "logs/canonical_fields.h"

namespace ashiato::logs {

bool split_spaced(std::string_view line, std::vector<std::string_view>& out, bool brackets) {
  out.clear();
  std::size_t i = 0, n = line.size();
  while (i < n) {
    while (i < n && line[i] == ' ') ++i;
    if (i >= n) break;
    char open = line[i];
    if (open == '"' || (brackets && open == '[')) {
      char close = open == '"' ? '"' : ']';
      std::size_t start = ++i;
      while (i < n && line[i] != close) {
        if (line[i] == '\\' && open == '"' && i + 1 < n) ++i;
        ++i;
      }
      if (i >= n) return false;
      out.push_back(line.substr(start, i - start));
      ++i;
    } else {
      std::size_t start = i;
      const void* space = std::memchr(line.data() + i, ' ', n - i);
      i = space ? static_cast<std::size_t>(static_cast<const char*>(space) - line.data()) : n;
      out.push_back(line.substr(start, i - start));
    }
  }
  return true;
}

bool split_csv(std::string_view line, char separator, std::vector<std::string_view>& out) {
  out.clear();
  std::size_t i = 0, n = line.size();
  for (;;) {
    if (i < n && line[i] == '"') {
      std::size_t start = ++i;
      for (;;) {
        if (i >= n) return false;
        if (line[i] == '"') {
          if (i + 1 < n && line[i + 1] == '"') {
            i += 2;
            continue;
          }
          break;
        }
        ++i;
      }
      out.push_back(line.substr(start, i - start));
      ++i;                                        // closing quote
      while (i < n && line[i] != separator) ++i;  // tolerate junk after the quote
    } else {
      std::size_t start = i;
      while (i < n && line[i] != separator) ++i;
      out.push_back(line.substr(start, i - start));
    }
    if (i >= n) return true;
    ++i;  // separator
    if (i == n) {
      out.push_back(line.substr(n, 0));
      return true;
    }
  }
}

bool csv_needs_unquote(std::string_view field) {
  return field.find("\"\"") != std::string_view::npos;
}

std::string unquote_csv(std::string_view field) {
  std::string s;
  s.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    s += field[i];
    if (field[i] == '"' && i + 1 < field.size() && field[i + 1] == '"') ++i;
  }
  return s;
}

bool split_key_values(std::string_view text, std::vector<std::pair<std::string_view, std::string_view>>& out) {
  out.clear();
  std::size_t i = 0, n = text.size();
  while (i < n) {
    while (i < n && text[i] == ' ') ++i;
    if (i >= n) break;
    std::size_t key_start = i;
    while (i < n && text[i] != '=' && text[i] != ' ') ++i;
    if (i >= n || text[i] != '=') return false;
    std::string_view key = text.substr(key_start, i - key_start);
    ++i;
    std::string_view value;
    if (i < n && text[i] == '"') {
      std::size_t start = ++i;
      while (i < n && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < n) ++i;
        ++i;
      }
      if (i >= n) return false;
      value = text.substr(start, i - start);
      ++i;
    } else {
      std::size_t start = i;
      while (i < n && text[i] != ' ') ++i;
      value = text.substr(start, i - start);
    }
    out.emplace_back(key, value);
  }
  return true;
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

std::optional<std::uint64_t> parse_uint(std::string_view s) {
  if (!all_digits(s) || s.size() > 19) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) v = v * 10 + static_cast<std::uint64_t>(c - '0');
  return v;
}

std::optional<Timestamp> parse_epoch(std::string_view s) {
  std::size_t dot = s.find('.');
  std::string_view whole = s.substr(0, dot);
  bool negative = !whole.empty() && whole[0] == '-';
  if (negative) whole.remove_prefix(1);
  auto seconds = parse_uint(whole);
  if (!seconds || *seconds > 32503680000ULL) return std::nullopt;  // before year 3000
  std::int64_t nanos = 0;
  if (dot != std::string_view::npos) {
    std::string_view frac = s.substr(dot + 1);
    if (frac.empty() || !all_digits(frac)) return std::nullopt;
    std::int64_t scale = 100'000'000;
    for (char c : frac) {
      nanos += (c - '0') * scale;
      scale /= 10;
      if (scale == 0) break;
    }
  }
  auto secs = static_cast<std::int64_t>(*seconds);
  if (negative) return Timestamp::from_unix_seconds(-secs - (nanos ? 1 : 0), nanos ? 1'000'000'000 - nanos : 0);
  return Timestamp::from_unix_seconds(secs, nanos);
}

bool looks_like_ipv4(std::string_view s) {
  int dots = 0, digits = 0;
  for (char c : s) {
    if (c == '.') {
      if (digits == 0) return false;
      ++dots;
      digits = 0;
    } else if (c >= '0' && c <= '9') {
      if (++digits > 3) return false;
    } else {
      return false;
    }
  }
  return dots == 3 && digits > 0;
}

bool looks_like_ip(std::string_view s) {
  if (looks_like_ipv4(s)) return true;
  if (s.size() < 2 || s.find(':') == std::string_view::npos) return false;
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':' && c != '.') return false;
  }
  return true;
}

UrlParts split_url(std::string_view url) {
  // One pass over the URL (it runs for every request line): scheme, authority, path, query.
  UrlParts p;
  const std::size_t n = url.size();
  std::size_t i = 0;
  bool has_authority = false;
  for (std::size_t k = 0; k < n && k < 16; ++k) {
    if (url[k] == ':' && k + 2 < n && url[k + 1] == '/' && url[k + 2] == '/') {
      i = k + 3;
      has_authority = true;
      break;
    }
    if (url[k] == '/') break;
  }
  if (!has_authority && n > 0 && url[0] != '/') has_authority = true;  // CONNECT host:port, "host/path"
  if (has_authority) {
    std::size_t start = i, last_at = std::string_view::npos, last_colon = std::string_view::npos;
    int colons = 0;
    for (; i < n && url[i] != '/' && url[i] != '?' && url[i] != '#'; ++i) {
      if (url[i] == '@') {
        last_at = i;
        colons = 0;
        last_colon = std::string_view::npos;
      } else if (url[i] == ':') {
        ++colons;
        last_colon = i;
      }
    }
    if (last_at != std::string_view::npos) start = last_at + 1;
    std::string_view authority = url.substr(start, i - start);
    if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port
      std::size_t close = authority.find(']');
      p.host = authority.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1);
      if (close != std::string_view::npos && close + 1 < authority.size() && authority[close + 1] == ':') {
        p.port = authority.substr(close + 2);
      }
    } else if (colons == 1) {
      p.host = url.substr(start, last_colon - start);
      p.port = url.substr(last_colon + 1, i - last_colon - 1);
    } else {
      p.host = authority;
    }
  }
  const std::size_t path_start = i;
  std::size_t last_slash = std::string_view::npos, last_dot = std::string_view::npos;
  for (; i < n && url[i] != '?' && url[i] != '#'; ++i) {
    if (url[i] == '/') {
      last_slash = i;
      last_dot = std::string_view::npos;
    } else if (url[i] == '.') {
      last_dot = i;
    }
  }
  p.path = url.substr(path_start, i - path_start);
  if (last_dot != std::string_view::npos && last_dot + 1 < i &&
      (last_slash == std::string_view::npos || last_dot > last_slash)) {
    p.extension = url.substr(last_dot + 1, i - last_dot - 1);
  }
  if (i < n && url[i] == '?') {
    const std::size_t query_start = ++i;
    while (i < n && url[i] != '#') ++i;
    p.query = url.substr(query_start, i - query_start);
  }
  return p;
}

void add_url_fields(LineEvent& event, std::string_view url) {
  const auto& f = canonical();
  if (url.empty() || url == "-") return;
  event.field(f.c_uri, url);
  UrlParts p = split_url(url);
  if (!p.host.empty()) event.field(f.cs_host, p.host);
  if (!p.port.empty() && all_digits(p.port)) event.field(f.dst_port, p.port);
  if (!p.path.empty()) event.field(f.c_uri_stem, p.path);
  if (!p.query.empty()) event.field(f.c_uri_query, p.query);
  if (!p.extension.empty()) event.field(f.c_uri_extension, p.extension);
}

}  // namespace ashiato::logs
