#include "ioc/indicator.h"

#include <algorithm>
#include <array>
#include <iterator>

#include "ioc/ip_address.h"
#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

constexpr std::array<std::string_view, kIndicatorTypeCount> kTypeNames = {
    "domain", "url", "ipv4", "ipv6", "cidr", "host:port", "md5", "sha1", "sha256", "user-agent", "email"};

// Endings of file names that are no top-level domain, so that "svchost.exe" or "notes.txt" in a
// free-text list is not taken for a domain. Real TLDs that are also extensions (.zip, .mov, .py,
// .sh, .md, .pl) stay domains: a list cannot tell them apart, and missing a C2 costs more.
constexpr std::string_view kFileExtensions[] = {
    "exe",  "dll",  "sys",  "drv",  "bat", "cmd",  "vbs",   "vbe",  "js",  "jse", "wsf",  "wsh",  "lnk", "hta",
    "scr",  "cpl",  "ocx",  "msi",  "msp", "jar",  "class", "txt",  "log", "tmp", "dat",  "bin",  "ini", "inf",
    "cfg",  "conf", "xml",  "json", "yml", "yaml", "yar",   "csv",  "tsv", "doc", "docx", "docm", "xls", "xlsx",
    "xlsm", "ppt",  "pptx", "rtf",  "pdf", "png",  "jpg",   "jpeg", "gif", "bmp", "htm",  "html", "php", "asp",
    "aspx", "jsp",  "rar",  "tar",  "gz",  "dmp",  "evtx",  "adoc", "reg", "bak"};

// Up to eight characters as one number, to compare a name's last label with every extension
// without a string comparison each (this runs for every domain of a 100,000-line list).
constexpr std::uint64_t packed(std::string_view s) {
  std::uint64_t v = 0;
  for (char c : s) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

constexpr auto kPackedExtensions = [] {
  std::array<std::uint64_t, std::size(kFileExtensions)> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = packed(kFileExtensions[i]);
  return out;
}();

bool is_file_extension(std::string_view label) {
  if (label.size() > 5) return false;  // the longest is "class"
  const std::uint64_t v = packed(label);
  return std::find(kPackedExtensions.begin(), kPackedExtensions.end(), v) != kPackedExtensions.end();
}

bool is_unreserved(unsigned char c) {
  return is_alnum(static_cast<char>(c)) || c == '-' || c == '.' || c == '_' || c == '~';
}

// Appends `text` with percent-encoding normalised (see normalise_url).
void append_normalised_path(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c == '%' && i + 2 < text.size() && hex_digit(text[i + 1]) >= 0 && hex_digit(text[i + 2]) >= 0) {
      const auto value = static_cast<unsigned char>(hex_digit(text[i + 1]) * 16 + hex_digit(text[i + 2]));
      if (is_unreserved(value)) {
        out.push_back(static_cast<char>(value));
      } else {
        out.push_back('%');
        out.push_back(kHex[value >> 4]);
        out.push_back(kHex[value & 0xF]);
      }
      i += 2;
    } else if (c <= 0x20 || c >= 0x7F) {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    } else {
      out.push_back(static_cast<char>(c));
    }
  }
}

bool valid_scheme(std::string_view s) {
  if (s.empty() || !is_alpha(s[0])) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return is_alnum(c) || c == '+' || c == '-' || c == '.'; });
}

// Host of a URL: IP literal in canonical form or a name of valid characters. Looser than
// normalise_domain: "http://intranet/" is a fine URL.
bool append_url_host(std::string& out, std::string_view host) {
  if (host.size() > 2 && host.front() == '[') {
    if (host.back() != ']') return false;
    auto v6 = parse_ipv6(host.substr(1, host.size() - 2));
    if (!v6) return false;
    out.push_back('[');
    append_ip(out, *v6);
    out.push_back(']');
    return true;
  }
  if (auto v4 = parse_ipv4(host)) {
    append_ip(out, *v4);
    return true;
  }
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253 || host.front() == '.') return false;
  char previous = 0;
  for (char c : host) {
    if (!(is_alnum(c) || c == '-' || c == '_' || c == '.')) return false;
    if (c == '.' && previous == '.') return false;
    out.push_back(to_lower(c));
    previous = c;
  }
  return true;
}

// Parses a decimal port 1-65535 (leading zeros allowed).
std::optional<unsigned> parse_port(std::string_view s) {
  if (s.empty() || s.size() > 5) return std::nullopt;
  unsigned port = 0;
  for (char c : s) {
    if (!is_digit(c)) return std::nullopt;
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  return port;
}

bool all_hex(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return hex_digit(c) >= 0; });
}

std::optional<std::string> normalise_hash(std::string_view s, std::size_t length) {
  if (s.size() != length || !all_hex(s)) return std::nullopt;
  return lowercase(s);
}

// A domain as classify() accepts it from free text: see the header.
std::optional<std::string> strict_domain(std::string_view token) {
  auto domain = normalise_domain(token);
  if (!domain) return std::nullopt;
  const std::string_view tld = std::string_view(*domain).substr(domain->rfind('.') + 1);
  const bool letters = tld.size() >= 2 && std::all_of(tld.begin(), tld.end(), is_alpha);
  const bool punycode = tld.size() > 4 && tld.substr(0, 4) == "xn--";
  if (!letters && !punycode) return std::nullopt;
  if (is_file_extension(tld)) return std::nullopt;
  return domain;
}

// host[:port] as classify() accepts it before the path of a URL without scheme.
bool strict_authority(std::string_view authority) {
  if (parse_ipv4(authority) || strict_domain(authority)) return true;
  if (auto hp = normalise_host_port(authority)) {
    const auto colon = authority.rfind(':');
    const auto host = authority.substr(0, colon);
    return parse_ipv4(host) || strict_domain(host) || (host.size() > 2 && host.front() == '[');
  }
  return false;
}

// Matches a defanged scheme at the start of `s` (hxxp, hxxps, hXXp, h**p, fxp) followed by ':' or
// '['; returns its length and the real scheme.
std::size_t defanged_scheme(std::string_view s, std::string_view& scheme) {
  auto masked = [](char c) { return c == 'x' || c == 'X' || c == '*'; };
  std::size_t n = 0;
  if (s.size() >= 4 && (s[0] == 'h' || s[0] == 'H') && masked(s[1]) && masked(s[2]) && (s[3] == 'p' || s[3] == 'P')) {
    n = 4;
    scheme = "http";
    if (s.size() > 4 && (s[4] == 's' || s[4] == 'S')) {
      n = 5;
      scheme = "https";
    }
  } else if (s.size() >= 3 && (s[0] == 'f' || s[0] == 'F') && masked(s[1]) && (s[2] == 'p' || s[2] == 'P')) {
    n = 3;
    scheme = "ftp";
  } else {
    return 0;
  }
  if (n >= s.size() || (s[n] != ':' && s[n] != '[')) return 0;
  return n;
}

// Matches a bracketed defang at the start of `s`: "[.]", "( dot )", "{@}", "[at]", "[:]", "[://]",
// "[/]". Returns its length and what it stands for.
std::size_t bracketed(std::string_view s, std::string_view& replacement) {
  const char open = s[0];
  const char close = open == '[' ? ']' : open == '(' ? ')' : '}';
  const std::size_t end = s.find(close, 1);
  if (end == std::string_view::npos || end > 8) return 0;
  const std::string inner = lowercase(trim(s.substr(1, end - 1)));
  if (inner == "." || inner == "dot") {
    replacement = ".";
  } else if (inner == "@" || inner == "at") {
    replacement = "@";
  } else if (inner == ":" && open == '[') {
    replacement = ":";
  } else if (inner == "://" || inner == "/" || inner == "//") {
    replacement = inner == "://" ? "://" : inner == "/" ? "/" : "//";
  } else {
    return 0;
  }
  return end + 1;
}

}  // namespace

std::string_view type_name(IndicatorType type) {
  return kTypeNames[static_cast<std::size_t>(type)];
}

std::optional<IndicatorType> type_from_name(std::string_view name) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i) {
    if (kTypeNames[i] == name) return static_cast<IndicatorType>(i);
  }
  return std::nullopt;
}

// The first characters of a defanged scheme, a bracketed defang or a full-width full stop.
constexpr auto kDefangStarts = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'h', 'H', 'f', 'F', '[', '(', '{'}) t[c] = true;
  for (int c = 0xE3; c < 256; ++c) t[static_cast<std::size_t>(c)] = true;
  return t;
}();

bool may_start_defang(char c) {
  return kDefangStarts[static_cast<unsigned char>(c)];
}

// The defang that starts at s[i], if any: its length, and what it stands for in `replacement`.
// `after_alnum`: whether the text written so far ends with an ASCII letter or digit.
std::size_t defang_at(std::string_view s, std::size_t i, bool after_alnum, std::string_view& replacement) {
  const char c = s[i];
  if ((c == 'h' || c == 'H' || c == 'f' || c == 'F') && (i == 0 || !is_alnum(s[i - 1]))) {
    if (const std::size_t n = defanged_scheme(s.substr(i), replacement); n > 0) return n;
  }
  if (c == '[' || c == '(' || c == '{') return bracketed(s.substr(i), replacement);
  // Full-width and ideographic full stops (U+FF0E, U+3002) typed in Japanese text, only
  // between ASCII letters or digits so that sentences keep their punctuation.
  if (static_cast<unsigned char>(c) >= 0xE3 && (s.substr(i, 3) == "\xEF\xBC\x8E" || s.substr(i, 3) == "\xE3\x80\x82") &&
      after_alnum && i + 3 < s.size() && is_alnum(s[i + 3])) {
    replacement = ".";
    return 3;
  }
  return 0;
}

bool is_defanged(std::string_view s) {
  // Up to the first defang, what refang() writes equals `s`.
  std::string_view replacement;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (may_start_defang(s[i]) && defang_at(s, i, i > 0 && is_alnum(s[i - 1]), replacement) > 0) return true;
  }
  return false;
}

std::string_view refanged(std::string_view text, std::string& storage) {
  if (!is_defanged(text)) return text;
  storage = refang(text);
  return storage;
}

std::string refang(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    // Runs of characters that start no defang are copied whole.
    const std::size_t run = i;
    while (i < s.size() && !may_start_defang(s[i])) ++i;
    out.append(s.substr(run, i - run));
    if (i == s.size()) break;
    std::string_view replacement;
    const std::size_t n = defang_at(s, i, !out.empty() && is_alnum(out.back()), replacement);
    if (n == 0) {
      out.push_back(s[i++]);
      continue;
    }
    // A dot or at sign joins its neighbours: "evil [dot] com" is "evil.com".
    const bool joins = replacement == "." || replacement == "@";
    if (joins) {
      while (!out.empty() && out.back() == ' ') out.pop_back();
    }
    out.append(replacement);
    i += n;
    if (joins) {
      while (i < s.size() && s[i] == ' ') ++i;
    }
  }
  return out;
}

std::optional<std::string> normalise_domain(std::string_view host) {
  if (host.size() > 2 && host.substr(0, 2) == "*.") host.remove_prefix(2);
  if (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty() || host.size() > 253) return std::nullopt;
  std::size_t label_start = 0, labels = 0;
  bool label_numeric = true;
  for (std::size_t i = 0; i <= host.size(); ++i) {
    if (i == host.size() || host[i] == '.') {
      const std::size_t length = i - label_start;
      if (length == 0 || length > 63) return std::nullopt;
      ++labels;
      label_start = i + 1;
      if (i < host.size()) label_numeric = true;
      continue;
    }
    const char c = host[i];
    if (!(is_alnum(c) || c == '-' || c == '_')) return std::nullopt;
    label_numeric = label_numeric && is_digit(c);
  }
  if (labels < 2 || label_numeric) return std::nullopt;
  std::string out(host);
  for (char& c : out) c = to_lower(c);
  return out;
}

bool normalise_url_into(std::string_view url, std::string& out) {
  out.clear();
  url = trim(url);
  std::string_view rest = url;
  std::string_view scheme = "http";
  if (const auto sep = url.find("://"); sep != std::string_view::npos) {
    scheme = url.substr(0, sep);
    if (!valid_scheme(scheme)) return false;
    rest = url.substr(sep + 3);
  }
  const auto authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view tail = rest.substr(authority_end);
  if (const auto hash = tail.find('#'); hash != std::string_view::npos) tail = tail.substr(0, hash);

  std::string_view userinfo;
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
  }
  std::string_view host = authority, port_text;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    host = authority.substr(0, close + 1);
    const auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return false;
      port_text = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
  }

  for (char c : scheme) out.push_back(to_lower(c));
  out.append("://");
  if (!userinfo.empty()) {
    out.append(userinfo);
    out.push_back('@');
  }
  if (!append_url_host(out, host)) return false;
  if (!port_text.empty()) {
    const auto port = parse_port(port_text);
    if (!port) return false;
    const std::string_view s(out.data(), scheme.size());
    const bool default_port = (*port == 80 && s == "http") || (*port == 443 && s == "https");
    if (!default_port) {
      out.push_back(':');
      out.append(std::to_string(*port));
    }
  }
  if (tail.empty() || tail.front() == '?') out.push_back('/');
  append_normalised_path(out, tail);
  return true;
}

std::optional<std::string> normalise_url(std::string_view url) {
  std::string out;
  if (!normalise_url_into(url, out)) return std::nullopt;
  return out;
}

std::optional<std::string> normalise_email(std::string_view address) {
  address = trim(address);
  if (const auto open = address.rfind('<'); open != std::string_view::npos) {
    const auto close = address.find('>', open);
    if (close == std::string_view::npos) return std::nullopt;
    address = trim(address.substr(open + 1, close - open - 1));
  }
  if (address.size() > 7 && lowercase(address.substr(0, 7)) == "mailto:") address.remove_prefix(7);
  const auto at = address.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) return std::nullopt;
  const auto local = address.substr(0, at);
  for (char c : local) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == '@' || c == ',' || c == ';' || c == '/' ||
        c == '\\')
      return std::nullopt;
  }
  auto domain = normalise_domain(address.substr(at + 1));
  if (!domain) return std::nullopt;
  return lowercase(local) + "@" + *domain;
}

std::optional<std::string> normalise_host_port(std::string_view text) {
  text = trim(text);
  std::string host;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
    auto v6 = parse_ipv6(text.substr(1, close - 1));
    if (!v6) return std::nullopt;
    host.push_back('[');
    append_ip(host, *v6);
    host.push_back(']');
    port_text = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto host_text = text.substr(0, colon);
    if (host_text.find(':') != std::string_view::npos) return std::nullopt;
    if (auto v4 = parse_ipv4(host_text)) {
      host = format_ip(*v4);
    } else if (auto domain = normalise_domain(host_text)) {
      host = std::move(*domain);
    } else {
      return std::nullopt;
    }
    port_text = text.substr(colon + 1);
  }
  const auto port = parse_port(port_text);
  if (!port) return std::nullopt;
  return host + ":" + std::to_string(*port);
}

std::optional<std::string> normalise_value(IndicatorType type, std::string_view raw) {
  if (type == IndicatorType::kUserAgent) {
    // Matched as exact strings: only the surrounding whitespace goes.
    const auto ua = trim(raw);
    if (ua.empty()) return std::nullopt;
    return std::string(ua);
  }
  std::string storage;
  const std::string_view value = refanged(trim(raw), storage);
  switch (type) {
    case IndicatorType::kDomain: return normalise_domain(value);
    case IndicatorType::kUrl: return normalise_url(value);
    case IndicatorType::kIpv4:
      if (auto a = parse_ipv4(value)) return format_ip(*a);
      return std::nullopt;
    case IndicatorType::kIpv6:
      if (auto a = parse_ip(value); a && a->v6) return format_ip(*a);
      return std::nullopt;
    case IndicatorType::kCidr:
      if (auto n = parse_cidr(value)) return format_cidr(*n);
      return std::nullopt;
    case IndicatorType::kHostPort: return normalise_host_port(value);
    case IndicatorType::kMd5: return normalise_hash(value, 32);
    case IndicatorType::kSha1: return normalise_hash(value, 40);
    case IndicatorType::kSha256: return normalise_hash(value, 64);
    case IndicatorType::kEmail: return normalise_email(value);
    case IndicatorType::kUserAgent: break;
  }
  return std::nullopt;
}

std::optional<Indicator> classify(std::string_view token) {
  std::string storage;
  const std::string_view v = strip_wrapping(refanged(trim(token), storage));
  if (v.empty()) return std::nullopt;
  auto make = [](IndicatorType type, std::string value) {
    Indicator indicator;
    indicator.type = type;
    indicator.value = std::move(value);
    return std::optional<Indicator>(std::move(indicator));
  };
  if (v.find("://") != std::string_view::npos) {
    if (auto url = normalise_url(v)) return make(IndicatorType::kUrl, std::move(*url));
    return std::nullopt;
  }
  if (v.find('@') != std::string_view::npos) {
    if (auto email = normalise_email(v)) return make(IndicatorType::kEmail, std::move(*email));
    return std::nullopt;
  }
  if (all_hex(v) && (v.size() == 32 || v.size() == 40 || v.size() == 64)) {
    const auto type = v.size() == 32   ? IndicatorType::kMd5
                      : v.size() == 40 ? IndicatorType::kSha1
                                       : IndicatorType::kSha256;
    return make(type, lowercase(v));
  }
  if (auto v4 = parse_ipv4(v)) return make(IndicatorType::kIpv4, format_ip(*v4));
  if (const auto slash = v.find('/'); slash != std::string_view::npos) {
    if (auto network = parse_cidr(v)) return make(IndicatorType::kCidr, format_cidr(*network));
    // "1.2.3.4/33" is a broken CIDR rather than a URL with the path "/33".
    const std::string_view after = v.substr(slash + 1);
    const bool prefix_like = !after.empty() && after.size() <= 3 && std::all_of(after.begin(), after.end(), is_digit);
    if (prefix_like && parse_ip(v.substr(0, slash))) return std::nullopt;
    if (strict_authority(v.substr(0, slash))) {
      if (auto url = normalise_url(v)) return make(IndicatorType::kUrl, std::move(*url));
    }
    return std::nullopt;
  }
  if (v.find(':') != std::string_view::npos && strict_authority(v)) {
    if (auto hp = normalise_host_port(v)) return make(IndicatorType::kHostPort, std::move(*hp));
  }
  if (auto v6 = parse_ip(v); v6 && v6->v6) return make(IndicatorType::kIpv6, format_ip(*v6));
  if (auto domain = strict_domain(v)) return make(IndicatorType::kDomain, std::move(*domain));
  return std::nullopt;
}

std::string_view url_host(std::string_view url) {
  if (const auto sep = url.find("://"); sep != std::string_view::npos) url = url.substr(sep + 3);
  std::string_view authority = url.substr(0, std::min(url.find_first_of("/?#"), url.size()));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    return close == std::string_view::npos ? std::string_view() : authority.substr(1, close - 1);
  }
  if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) authority = authority.substr(0, colon);
  return authority;
}

}  // namespace ashiato::ioc
