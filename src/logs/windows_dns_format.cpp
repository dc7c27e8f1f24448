// Windows DNS Server debug log (dns.log, "Log packets for debugging"): "1/2/2024 3:04:05 PM 0E2C
// PACKET  000000C1D3F9A170 UDP Rcv 192.168.1.10    d3c5   Q [0001   D   NOERROR] A
// (3)www(7)example(3)com(0)". The columns are the ones listed in the "Message logging key" the
// server writes at the top of every file (Date, Time, Thread ID, Context, Internal packet
// identifier, UDP/TCP, Send/Receive, Remote IP, Xid, Query/Response "R" or blank, Opcode,
// [Flags hex, flag chars, ResponseCode], Question Type, Question Name); see also Microsoft,
// "DNS Logging and Diagnostics" (debug logging) and [MS-DNSP] 2.2.9.1.1 DNS_LOG_LEVELS. The date
// and time follow the server's locale: "1/2/2024 3:04:05 PM" (en-US), "2024/01/02 15:04:05"
// (ja-JP), "02.01.2024 15:04:05" (de-DE) and 24-hour "1/2/2024 15:04:05" are read.
#include <cctype>

#include "logs/canonical_fields.h"
#include "logs/device_format_list.h"
#include "logs/device_parsing.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

struct DnsFields {
  FieldId direction = intern_field("dns_direction");
  FieldId message_type = intern_field("dns_message_type");
  FieldId opcode = intern_field("dns_opcode");
  FieldId flags = intern_field("dns_flags");
  FieldId flag_chars = intern_field("dns_flag_chars");
  FieldId xid = intern_field("dns_xid");
  FieldId thread = intern_field("thread_id");
  FieldId context = intern_field("dns_context");
};

const DnsFields& dns() {
  static const DnsFields f;
  return f;
}

struct Date {
  int year = 0, month = 0, day = 0;
};

// "1/2/2024" (month first), "2024/01/02", "2024-01-02", "02.01.2024" (day first), "20240102".
std::optional<Date> parse_date(std::string_view s) {
  if (s.size() == 8 && all_digits(s)) {
    return Date{*device::small_number(s.substr(0, 4), 4), *device::small_number(s.substr(4, 2), 2),
                *device::small_number(s.substr(6, 2), 2)};
  }
  std::size_t sep_at = s.find_first_of("/-.");
  if (sep_at == std::string_view::npos) return std::nullopt;
  char sep = s[sep_at];
  std::size_t second = s.find(sep, sep_at + 1);
  if (second == std::string_view::npos) return std::nullopt;
  auto a = device::small_number(s.substr(0, sep_at), 4);
  auto b = device::small_number(s.substr(sep_at + 1, second - sep_at - 1), 2);
  auto c = device::small_number(s.substr(second + 1), 4);
  if (!a || !b || !c) return std::nullopt;
  if (sep_at == 4) return Date{*a, *b, *c};             // year first
  if (s.size() - second - 1 != 4) return std::nullopt;  // four-digit year last
  if (sep == '.') return Date{*c, *b, *a};              // day.month.year
  return Date{*c, *a, *b};                              // month/day/year
}

// Date, time and an optional AM/PM at the start of `rest`; consumes them.
std::optional<Timestamp> parse_stamp(std::string_view& rest, const FileContext& file) {
  std::string_view s = rest;
  auto date = parse_date(next_token(s));
  if (!date) return std::nullopt;
  auto clock = device::parse_clock(next_token(s));
  if (!clock) return std::nullopt;
  std::string_view after = s;
  std::string_view meridiem = next_token(after);
  if (device::iequals(meridiem, "AM") || device::iequals(meridiem, "PM")) {
    if (clock->hour < 1 || clock->hour > 12) return std::nullopt;
    clock->hour %= 12;
    if (device::iequals(meridiem, "PM")) clock->hour += 12;
    s = after;
  }
  auto t = device::local_time(file, date->year, date->month, date->day, clock->hour, clock->minute, clock->second,
                              clock->fraction_ticks);
  if (t) rest = s;
  return t;
}

bool is_hex(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// "(3)www(7)example(3)com(0)" → "www.example.com"; the root alone is ".".
bool decode_name(std::string_view encoded, std::string& out) {
  out.clear();
  std::size_t i = 0;
  while (i < encoded.size()) {
    if (encoded[i] != '(') return false;
    std::size_t close = encoded.find(')', i);
    if (close == std::string_view::npos || !all_digits(encoded.substr(i + 1, close - i - 1))) return false;
    std::size_t next = encoded.find('(', close + 1);
    std::string_view label = encoded.substr(close + 1, next == std::string_view::npos ? next : next - close - 1);
    if (!label.empty()) {
      if (!out.empty()) out += '.';
      out.append(label);
    }
    i = next == std::string_view::npos ? encoded.size() : next;
  }
  if (out.empty()) out.push_back('.');  // push_back: GCC 12 -Wrestrict misfires on `out = "."`
  return true;
}

class WindowsDnsParser final : public LineParser {
 public:
  explicit WindowsDnsParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<WindowsDnsParser>(file_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    std::string_view rest = line;
    auto t = parse_stamp(rest, file_);
    if (!t) {
      // The file's preamble (in the server's language) and the indented packet dumps of
      // "details" logging carry no event; a line that names a PACKET but has no date is broken.
      if (line.find(" PACKET ") == std::string_view::npos) return LineStatus::kSkipped;
      error = "PACKET line without a date and time";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    const auto& d = dns();
    event.set_time(*t);
    std::string_view thread = next_token(rest);
    std::string_view context = next_token(rest);
    event.optional_field(d.thread, thread);
    event.optional_field(d.context, context);
    if (context != "PACKET") {  // EVENT, Note, ... : keep the text
      event.optional_field(f.message, rest);
      return LineStatus::kEvent;
    }
    std::string_view token = next_token(rest);
    if (token != "UDP" && token != "TCP") token = next_token(rest);  // the internal packet id
    if (token != "UDP" && token != "TCP") {
      error = "PACKET line without UDP/TCP";
      return LineStatus::kError;
    }
    event.value(f.protocol, token == "UDP" ? "udp" : "tcp");
    std::string_view direction = next_token(rest);
    std::string_view remote = next_token(rest);
    std::string_view xid = next_token(rest);
    if ((direction != "Rcv" && direction != "Snd") || !looks_like_ip(remote) || !is_hex(xid)) {
      error = "PACKET line without Snd/Rcv, remote address and xid";
      return LineStatus::kError;
    }
    std::size_t open = rest.find('[');
    std::size_t close = rest.find(']', open == std::string_view::npos ? 0 : open);
    if (open == std::string_view::npos || close == std::string_view::npos) {
      error = "PACKET line without [flags rcode]";
      return LineStatus::kError;
    }
    std::string_view before = rest.substr(0, open);  // "R Q " or "  Q "
    std::string_view qr = next_token(before);
    bool response = qr == "R";
    std::string_view opcode = response ? next_token(before) : qr;
    event.field(d.direction, direction);
    event.value(d.message_type, response ? "response" : "query");
    event.optional_field(d.opcode, opcode);
    event.field(d.xid, xid);
    // The remote end is the client when it asks us (Rcv query) or we answer it (Snd response);
    // otherwise it is a server this one asked (forwarder, root hints).
    bool remote_is_client = (direction == "Rcv") != response;
    event.field(remote_is_client ? f.src_ip : f.dst_ip, remote);
    std::string_view inside = rest.substr(open + 1, close - open - 1);
    std::string_view flags = next_token(inside);
    event.optional_field(d.flags, flags);
    while (!inside.empty() && inside.back() == ' ') inside.remove_suffix(1);
    std::size_t last_space = inside.rfind(' ');
    std::string_view rcode = last_space == std::string_view::npos ? inside : inside.substr(last_space + 1);
    std::string_view chars = last_space == std::string_view::npos ? std::string_view{} : inside.substr(0, last_space);
    while (!chars.empty() && chars.back() == ' ') chars.remove_suffix(1);
    event.optional_field(d.flag_chars, chars);
    event.optional_field(f.rcode, rcode);
    std::string_view after = rest.substr(close + 1);
    while (!after.empty() && after.front() == ' ') after.remove_prefix(1);
    std::string_view qtype = next_token(after);
    std::string_view qname = next_token(after);
    event.optional_field(f.record_type, qtype);
    if (!qname.empty()) {
      if (!decode_name(qname, name_)) {
        error = "question name not in (n)label form";
        return LineStatus::kError;
      }
      event.value(f.query, name_);
    }
    return LineStatus::kEvent;
  }

 private:
  FileContext file_;
  std::string name_;
};

bool is_packet_line(std::string_view line, const FileContext& probe) {
  std::string_view rest = line;
  if (!parse_stamp(rest, probe)) return false;
  next_token(rest);
  return next_token(rest) == "PACKET";
}

class WindowsDnsFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "windows-dns"; }
  // Queries are logged as (3)www(7)example(3)com(0) and decoded: not verbatim.
  bool fields_are_verbatim() const override { return false; }
  std::string_view category() const override { return "dns"; }
  std::string_view description() const override { return "Windows DNS Server debug log (dns.log, packet logging)"; }
  int detect(const std::vector<std::string_view>& head) const override {
    FileContext probe;
    std::size_t packets = 0, dated = 0;
    for (std::string_view line : head) {
      if (line.find("Message logging key (for packets") != std::string_view::npos ||
          line.starts_with("DNS Server log file creation at")) {
        return 95;
      }
      std::string_view rest = line;
      if (!parse_stamp(rest, probe)) continue;
      ++dated;
      if (is_packet_line(line, probe)) ++packets;
    }
    return packets > 0 && packets * 2 > dated && dated * 2 > head.size() ? 85 : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<WindowsDnsParser>(file);
  }
};

}  // namespace

const LogFormat& windows_dns_format() {
  static const WindowsDnsFormat format;
  return format;
}

}  // namespace ashiato::logs
