// BIND 9 query log (category "queries"): "client @0x7f... 192.0.2.10#53212 (www.example.com):
// query: www.example.com IN A +E(0)K (192.0.2.1)", written to a file channel with its own stamp
// ("02-Jan-2024 03:04:05.678 queries: info: ...", or ISO 8601 with print-time iso8601) or through
// syslog ("named[123]: client ..."). Layout from ISC, "BIND 9 Administrator Reference Manual"
// (logging, the queries category: flags + recursion desired, - not, S signed, E(n) EDNS version,
// T TCP, D DNSSEC OK, C checking disabled, V valid server cookie, K cookie present); the
// "@0x..." client object and the "(name)" before the colon appear from BIND 9.11 on.
#include <cctype>

#include "logs/canonical_fields.h"
#include "logs/device_format_list.h"
#include "logs/device_parsing.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

struct BindFields {
  FieldId query_class = intern_field("query_class");
  FieldId query_flags = intern_field("query_flags");
  FieldId view = intern_field("dns_view");
};

const BindFields& bind_fields() {
  static const BindFields f;
  return f;
}

struct Stamped {
  std::optional<Timestamp> time;
  std::string_view device, program;
  std::string_view message;
  bool ok = false;
};

// "02-Jan-2024 03:04:05.678" at the start of the line.
std::optional<Timestamp> bind_stamp(std::string_view& rest, const FileContext& file) {
  if (rest.size() < 20 || rest[2] != '-' || rest[6] != '-' || rest[11] != ' ') return std::nullopt;
  auto day = device::small_number(rest.substr(0, 2), 2);
  int month = month_from_name(rest.substr(3, 3));
  auto year = device::small_number(rest.substr(7, 4), 4);
  std::string_view after = rest.substr(12);
  std::string_view clock_text = next_token(after);
  auto clock = device::parse_clock(clock_text);
  if (!day || month == 0 || !year || !clock) return std::nullopt;
  auto t =
      device::local_time(file, *year, month, *day, clock->hour, clock->minute, clock->second, clock->fraction_ticks);
  if (t) rest = after;
  return t;
}

// An ISO 8601 first token (print-time iso8601 / iso8601-utc); without a zone it is local time.
std::optional<Timestamp> iso_stamp(std::string_view& rest, const FileContext& file) {
  if (rest.size() < 19 || rest[4] != '-' || rest[10] != 'T') return std::nullopt;
  std::string_view after = rest;
  std::string_view token = next_token(after);
  auto t = parse_iso8601(token);
  if (!t) return std::nullopt;
  bool zoned = token.back() == 'Z' || token.find_first_of("+-", 19) != std::string_view::npos;
  if (!zoned && file.clock) t = file.clock->to_utc(to_civil(*t));
  if (t) rest = after;
  return t;
}

// Drops the "queries: info: " category and severity a file channel may print.
std::string_view strip_channel_words(std::string_view message) {
  for (int i = 0; i < 2; ++i) {
    std::size_t colon = message.find(": ");
    if (colon == std::string_view::npos || colon == 0 || colon > 24) break;
    std::string_view word = message.substr(0, colon);
    bool plain = true;
    for (char c : word) plain = plain && (std::islower(static_cast<unsigned char>(c)) || c == '-' || c == '_');
    if (!plain || word == "client") break;
    message.remove_prefix(colon + 2);
  }
  return message;
}

Stamped split_stamp(std::string_view line, const FileContext& file) {
  Stamped s;
  std::string_view rest = line;
  if (auto t = bind_stamp(rest, file)) {
    s.time = t;
  } else if (auto t2 = iso_stamp(rest, file)) {
    s.time = t2;
  } else if (auto h = device::syslog_envelope(line, file)) {
    s.time = h->time;
    s.device = h->host;
    s.program = h->program;
    rest = h->message;
  } else if (!line.starts_with("client ")) {  // print-time no: the message is the line
    return s;
  }
  s.message = strip_channel_words(rest);
  s.ok = true;
  return s;
}

// "192.0.2.10#53212" or "2001:db8::1#53212"
bool split_client(std::string_view token, std::string_view& ip, std::string_view& port) {
  std::size_t hash = token.rfind('#');
  if (hash == std::string_view::npos) return false;
  ip = token.substr(0, hash);
  port = token.substr(hash + 1);
  while (!port.empty() && port.back() == ':') port.remove_suffix(1);
  return looks_like_ip(ip) && all_digits(port);
}

bool is_query_message(std::string_view message) {
  std::string_view rest = message;
  if (next_token(rest) != "client") return false;
  std::string_view token = next_token(rest);
  if (token.starts_with("@")) token = next_token(rest);
  std::string_view ip, port;
  return split_client(token, ip, port) && rest.find("query: ") != std::string_view::npos;
}

class BindQueryParser final : public LineParser {
 public:
  explicit BindQueryParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<BindQueryParser>(file_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    Stamped s = split_stamp(line, file_);
    if (!s.ok) {
      error = "no BIND or syslog time stamp";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    if (s.time) event.set_time(*s.time);
    event.optional_field(f.device, s.device);
    event.optional_field(f.program, s.program);
    std::string_view rest = s.message;
    if (next_token(rest) != "client") {  // another named message
      event.optional_field(f.message, s.message);
      return LineStatus::kEvent;
    }
    std::string_view token = next_token(rest);
    if (token.starts_with("@")) token = next_token(rest);
    std::string_view ip, port;
    if (!split_client(token, ip, port)) {
      error = "no client address#port after 'client'";
      return LineStatus::kError;
    }
    event.field(f.src_ip, ip);
    event.field(f.src_port, port);
    std::size_t query_at = rest.find("query: ");
    if (query_at == std::string_view::npos) {  // query-errors and other client messages
      event.optional_field(f.message, s.message);
      return LineStatus::kEvent;
    }
    std::string_view before = rest.substr(0, query_at);
    if (std::size_t view = before.find("view "); view != std::string_view::npos) {
      std::string_view name = before.substr(view + 5);
      event.optional_field(bind_fields().view, name.substr(0, name.find(':')));
    }
    std::string_view q = rest.substr(query_at + 7);
    std::string_view name = next_token(q);
    std::string_view klass = next_token(q);
    std::string_view type = next_token(q);
    if (name.empty() || klass.empty() || type.empty()) {
      error = "query without name, class and type";
      return LineStatus::kError;
    }
    event.field(f.query, name);
    event.field(bind_fields().query_class, klass);
    event.field(f.record_type, type);
    std::string_view flags = next_token(q);
    if (!flags.empty() && flags.front() != '(') {
      event.field(bind_fields().query_flags, flags);
      flags = next_token(q);
    }
    if (flags.size() > 2 && flags.front() == '(' && flags.back() == ')') {  // the server address asked
      std::string_view server = flags.substr(1, flags.size() - 2);
      if (looks_like_ip(server)) event.field(f.dst_ip, server);
    }
    return LineStatus::kEvent;
  }

 private:
  FileContext file_;
};

class BindQueryFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "bind-query"; }
  std::string_view category() const override { return "dns"; }
  std::string_view description() const override {
    return "BIND 9 query log (client ... query: name IN type flags), file channel or syslog";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    FileContext probe;
    return device::most_lines(head,
                              [&](std::string_view line) {
                                Stamped s = split_stamp(line, probe);
                                return s.ok && is_query_message(s.message);
                              })
               ? 85
               : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<BindQueryParser>(file);
  }
};

}  // namespace

const LogFormat& bind_query_format() {
  static const BindQueryFormat format;
  return format;
}

}  // namespace ashiato::logs
