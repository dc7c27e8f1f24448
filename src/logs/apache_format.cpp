// Apache/Nginx access logs in the common and combined layouts (webserver), Squid's "combined"
// logformat which is the same plus a trailing "TCP_MISS:HIER_DIRECT" (proxy), and Apache's
// error log ("[Sun Dec 04 04:47:44 2005] [notice] message").
#include <vector>

#include "logs/canonical_fields.h"
#include "logs/formats.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

int two_digits(std::string_view s) {
  return (s[0] - '0') * 10 + (s[1] - '0');
}

// "10/Oct/2000:13:55:36 -0700"
std::optional<Timestamp> clf_time(std::string_view s) {
  if (s.size() < 20 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':') return std::nullopt;
  int month = month_from_name(s.substr(3, 3));
  if (month == 0 || !all_digits(s.substr(0, 2)) || !all_digits(s.substr(7, 4)) || !all_digits(s.substr(12, 2)) ||
      !all_digits(s.substr(15, 2)) || !all_digits(s.substr(18, 2))) {
    return std::nullopt;
  }
  CivilTime c{static_cast<int>(*parse_uint(s.substr(7, 4))),
              month,
              two_digits(s.substr(0, 2)),
              two_digits(s.substr(12, 2)),
              two_digits(s.substr(15, 2)),
              two_digits(s.substr(18, 2)),
              0};
  auto t = from_civil(c);
  if (!t) return std::nullopt;
  std::string_view zone = s.substr(20);
  while (!zone.empty() && zone[0] == ' ') zone.remove_prefix(1);
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-') && all_digits(zone.substr(1))) {
    std::int64_t minutes = two_digits(zone.substr(1, 2)) * 60 + two_digits(zone.substr(3, 2));
    t->ticks -= (zone[0] == '-' ? -1 : 1) * minutes * 60 * 10'000'000;
  }
  return t;
}

bool is_squid_code(std::string_view t) {  // "TCP_MISS:HIER_DIRECT"
  std::size_t colon = t.find(':');
  return colon != std::string_view::npos && colon >= 3 &&
         (t.starts_with("TCP_") || t.starts_with("UDP_") || t.starts_with("NONE") || t.starts_with("ERR_"));
}

// Splits "host ident user [time] \"request\" status ..." into those tokens and the rest. The
// request is cut at the quote followed by a status code, not at the first quote: servers such as
// Tomcat log quotes inside the request unescaped (attack strings are full of them).
bool split_access(std::string_view line, std::vector<std::string_view>& t) {
  t.clear();
  std::string_view rest = line;
  for (int i = 0; i < 3; ++i) {
    std::size_t sp = rest.find(' ');
    if (sp == std::string_view::npos) return false;
    t.push_back(rest.substr(0, sp));
    rest.remove_prefix(sp + 1);
  }
  if (rest.empty() || rest[0] != '[') return false;
  std::size_t close = rest.find(']');
  if (close == std::string_view::npos) return false;
  t.push_back(rest.substr(1, close - 1));
  rest.remove_prefix(close + 1);
  if (rest.size() < 2 || rest[0] != ' ' || rest[1] != '"') return false;
  rest.remove_prefix(2);
  std::size_t end = 0;
  for (;;) {
    end = rest.find('"', end);
    if (end == std::string_view::npos) return false;
    std::string_view after = rest.substr(end + 1);
    if (after.size() >= 4 && after[0] == ' ' && all_digits(after.substr(1, 3)) &&
        (after.size() == 4 || after[4] == ' ')) {
      break;
    }
    ++end;
  }
  t.push_back(rest.substr(0, end));
  std::vector<std::string_view> tail;
  if (!split_spaced(rest.substr(end + 1), tail)) return false;
  t.insert(t.end(), tail.begin(), tail.end());
  return true;
}

// host ident user [time] "request" status bytes ["referer" "agent"] [squid code]
bool is_access_line(const std::vector<std::string_view>& t) {
  return t.size() >= 7 && clf_time(t[3]).has_value() && (all_digits(t[5]) || t[5] == "-");
}

class AccessParser final : public LineParser {
 public:
  explicit AccessParser(bool proxy) : proxy_(proxy) {}
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<AccessParser>(proxy_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    if (!split_access(line, tokens_) || !is_access_line(tokens_)) {
      error = "not an access log line (host ident user [time] \"request\" status bytes)";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    event.set_time(*clf_time(tokens_[3]));
    event.field(f.src_ip, tokens_[0]);
    event.optional_field(f.user, tokens_[2]);
    std::string_view request = tokens_[4];
    std::size_t sp1 = request.find(' ');
    if (sp1 != std::string_view::npos) {
      event.field(f.cs_method, request.substr(0, sp1));
      std::string_view rest = request.substr(sp1 + 1);
      std::size_t sp2 = rest.rfind(' ');
      std::string_view target = rest;
      if (sp2 != std::string_view::npos && rest.substr(sp2 + 1).starts_with("HTTP/")) {
        target = rest.substr(0, sp2);
        event.field(f.cs_version, rest.substr(sp2 + 1));
      }
      if (proxy_) {
        add_url_fields(event, target);
      } else {
        add_webserver_target(event, target);
      }
    }
    event.field(f.sc_status, tokens_[5]);
    event.optional_field(f.sc_bytes, tokens_[6]);
    std::size_t i = 7;
    if (i < tokens_.size() && !is_squid_code(tokens_[i])) {
      event.optional_field(proxy_ ? f.cs_referrer : cs_referer_, tokens_[i]);
      ++i;
      if (i < tokens_.size() && !is_squid_code(tokens_[i])) {
        event.optional_field(proxy_ ? f.c_useragent : cs_user_agent_, tokens_[i]);
        if (!proxy_) event.optional_field(f.c_useragent, tokens_[i]);
        ++i;
      }
    }
    if (proxy_ && i < tokens_.size() && is_squid_code(tokens_[i])) {
      std::string_view code = tokens_[i];
      event.field(f.cache_result, code.substr(0, code.find(':')));
    }
    return LineStatus::kEvent;
  }

 private:
  // Web servers log the request target (path and query): IIS-style field names, as Sigma's
  // webserver rules use them, plus the proxy names so indicator lookups find them too.
  void add_webserver_target(LineEvent& event, std::string_view target) {
    const auto& f = canonical();
    event.field(f.c_uri, target);
    UrlParts p = split_url(target);
    if (!p.path.empty()) {
      event.field(cs_uri_stem_, p.path);
      event.field(f.c_uri_stem, p.path);
    }
    if (!p.query.empty()) {
      event.field(cs_uri_query_, p.query);
      event.field(f.c_uri_query, p.query);
    }
    if (!p.extension.empty()) event.field(f.c_uri_extension, p.extension);
  }

  bool proxy_;
  std::vector<std::string_view> tokens_;
  FieldId cs_referer_ = intern_field("cs-referer");
  FieldId cs_user_agent_ = intern_field("cs-user-agent");
  FieldId cs_uri_stem_ = intern_field("cs-uri-stem");
  FieldId cs_uri_query_ = intern_field("cs-uri-query");
};

int share_of_access_lines(const std::vector<std::string_view>& head, bool squid) {
  std::vector<std::string_view> t;
  int hits = 0;
  for (auto line : head) {
    if (split_access(line, t) && is_access_line(t) && is_squid_code(t.back()) == squid) ++hits;
  }
  return hits * 2 > static_cast<int>(head.size()) ? 85 : 0;
}

class ApacheCombinedFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "apache"; }
  std::string_view category() const override { return "webserver"; }
  std::string_view description() const override { return "Apache/Nginx access log, common or combined layout"; }
  int detect(const std::vector<std::string_view>& head) const override { return share_of_access_lines(head, false); }
  std::unique_ptr<LineParser> make_parser(const FileContext&) const override {
    return std::make_unique<AccessParser>(false);
  }
};

class SquidCombinedFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "squid-combined"; }
  std::string_view category() const override { return "proxy"; }
  std::string_view description() const override {
    return "Squid access.log in logformat combined (Apache combined plus cache result)";
  }
  int detect(const std::vector<std::string_view>& head) const override { return share_of_access_lines(head, true); }
  std::unique_ptr<LineParser> make_parser(const FileContext&) const override {
    return std::make_unique<AccessParser>(true);
  }
};

// "[Sun Dec 04 04:47:44 2005] [level] message" (Apache 2.2) or with "[module:level]" (2.4).
std::optional<Timestamp> error_log_time(std::string_view s) {
  // "Sun Dec 04 04:47:44 2005" or 2.4's "Sun Dec 04 04:47:44.123456 2005"
  std::vector<std::string_view> t;
  split_spaced(s, t);
  if (t.size() != 5) return std::nullopt;
  int month = month_from_name(t[1]);
  std::string_view clock = t[3].substr(0, 8);
  if (month == 0 || !all_digits(t[2]) || !all_digits(t[4]) || clock.size() != 8 || clock[2] != ':' || clock[5] != ':') {
    return std::nullopt;
  }
  CivilTime c{static_cast<int>(*parse_uint(t[4])),
              month,
              static_cast<int>(*parse_uint(t[2])),
              two_digits(clock),
              two_digits(clock.substr(3)),
              two_digits(clock.substr(6)),
              0};
  return from_civil(c);
}

class ApacheErrorParser final : public LineParser {
 public:
  explicit ApacheErrorParser(const LogClock* clock) : clock_(clock) {}
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<ApacheErrorParser>(clock_); }
  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    std::size_t close = line.find(']');
    if (line.empty() || line[0] != '[' || close == std::string_view::npos) {
      error = "expected [time] [level] message";
      return LineStatus::kError;
    }
    auto t = error_log_time(line.substr(1, close - 1));
    if (!t) {
      error = "bad time stamp";
      return LineStatus::kError;
    }
    auto local = clock_ ? clock_->to_utc(to_civil(*t)) : t;
    if (local) event.set_time(*local);
    std::string_view rest = line.substr(close + 1);
    while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
    if (!rest.empty() && rest[0] == '[') {
      std::size_t end = rest.find(']');
      if (end != std::string_view::npos) {
        event.field(level_, rest.substr(1, end - 1));
        rest.remove_prefix(end + 1);
        while (!rest.empty() && rest[0] == ' ') rest.remove_prefix(1);
      }
    }
    event.field(canonical().message, rest);
    return LineStatus::kEvent;
  }

 private:
  const LogClock* clock_;
  FieldId level_ = intern_field("level");
};

class ApacheErrorFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "apache-error"; }
  std::string_view category() const override { return "webserver"; }
  std::string_view description() const override { return "Apache error log ([time] [level] message)"; }
  int detect(const std::vector<std::string_view>& head) const override {
    int hits = 0;
    for (auto line : head) {
      std::size_t close = line.find(']');
      if (!line.empty() && line[0] == '[' && close != std::string_view::npos &&
          error_log_time(line.substr(1, close - 1))) {
        ++hits;
      }
    }
    return hits * 2 > static_cast<int>(head.size()) ? 70 : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<ApacheErrorParser>(file.clock);
  }
};

}  // namespace

const LogFormat& apache_combined_format() {
  static const ApacheCombinedFormat format;
  return format;
}
const LogFormat& squid_combined_format() {
  static const SquidCombinedFormat format;
  return format;
}
const LogFormat& apache_error_format() {
  static const ApacheErrorFormat format;
  return format;
}

}  // namespace ashiato::logs
