// FortiGate (FortiOS) logs: space-separated key=value pairs, values "quoted" when they may hold
// spaces, sent over syslog as "<189>date=2019-05-10 time=11:50:48 devname="FGT" devid="FG100E..."
// logid="0000000013" type="traffic" subtype="forward" ... eventtime=1557510648 ..." or stored
// behind a collector's syslog header. Field names and meanings: Fortinet, "FortiOS Log Message
// Reference" (Log Types and Subtypes; Traffic log fields).
#include <cctype>
#include <map>
#include <string>

#include "logs/canonical_fields.h"
#include "logs/device_format_list.h"
#include "logs/device_parsing.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

// The first key=value pair of the log proper, after any syslog envelope.
std::size_t body_start(std::string_view line) {
  static constexpr std::string_view kFirstKeys[] = {"date=", "logver=", "itime=", "eventtime=", "devname=", "logid="};
  std::size_t best = std::string_view::npos;
  for (std::string_view key : kFirstKeys) {
    std::size_t pos = 0;
    while ((pos = line.find(key, pos)) != std::string_view::npos && pos < best) {
      if (pos == 0 || line[pos - 1] == ' ' || line[pos - 1] == '>') {
        best = pos;
        break;
      }
      pos += key.size();
    }
  }
  return best;
}

bool looks_like_fortigate(std::string_view line) {
  std::size_t at = body_start(line);
  if (at == std::string_view::npos) return false;
  std::string_view body = line.substr(at);
  return body.find("logid=") != std::string_view::npos && body.find("type=") != std::string_view::npos &&
         (body.find("devid=") != std::string_view::npos || body.find("devname=") != std::string_view::npos);
}

// "+0900", "-05:00" → seconds east of UTC.
std::optional<int> zone_offset(std::string_view tz) {
  if (tz.size() < 5 || tz.size() > 6 || (tz[0] != '+' && tz[0] != '-') || (tz.size() == 6 && tz[3] != ':')) {
    return std::nullopt;
  }
  auto hours = device::small_number(tz.substr(1, 2), 2);
  auto minutes = device::small_number(tz.substr(tz.size() - 2), 2);
  if (!hours || !minutes || *hours > 14 || *minutes > 59) return std::nullopt;
  int seconds = *hours * 3600 + *minutes * 60;
  return tz[0] == '-' ? -seconds : seconds;
}

// eventtime is Unix time in seconds, or in ms/µs/ns on FortiOS versions that log it finer.
std::optional<Timestamp> event_time(std::string_view eventtime) {
  auto v = parse_uint(eventtime);
  if (!v) return std::nullopt;
  auto n = static_cast<std::int64_t>(*v);
  switch (eventtime.size()) {
    case 10: return Timestamp::from_unix_seconds(n);
    case 13: return Timestamp::from_unix_seconds(n / 1000, (n % 1000) * 1'000'000);
    case 16: return Timestamp::from_unix_seconds(n / 1'000'000, (n % 1'000'000) * 1000);
    case 19: return Timestamp::from_unix_seconds(n / 1'000'000'000, n % 1'000'000'000);
    default: return std::nullopt;
  }
}

std::string_view protocol_name(std::string_view number) {
  if (number == "6") return "tcp";
  if (number == "17") return "udp";
  if (number == "1") return "icmp";
  if (number == "58") return "icmpv6";
  if (number == "47") return "gre";
  if (number == "50") return "esp";
  return {};
}

bool is_key_name(std::string_view key) {
  if (key.empty() || key.size() > 40) return false;
  for (char c : key) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
  }
  return true;
}

class FortigateParser final : public LineParser {
 public:
  explicit FortigateParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<FortigateParser>(file_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    std::size_t at = body_start(line);
    if (at == std::string_view::npos) {
      error = "no FortiOS key=value log (date=, logid=, ...)";
      return LineStatus::kError;
    }
    if (!split_key_values(line.substr(at), pairs_)) {
      error = "malformed key=value pair or unclosed quote";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    std::optional<SyslogHeader> header;
    if (at > 0) header = device::syslog_envelope(line.substr(0, at), file_);

    std::string_view date, time, tz, eventtime, url, hostname;
    has_devname_ = false;
    for (const auto& [key, value] : pairs_) {
      if (key == "date") date = value;
      if (key == "time") time = value;
      if (key == "tz") tz = value;
      if (key == "eventtime") eventtime = value;
      add_pair(event, key, value, url, hostname);
    }
    // The device's own name is the better host; the collector's header names the sender.
    if (header && !has_devname_) event.optional_field(f.device, header->host);
    if (!url.empty()) {
      add_url_fields(event, url);
      if (!hostname.empty() && split_url(url).host.empty()) event.field(f.cs_host, hostname);
    }
    if (auto t = when(date, time, tz, eventtime)) {
      event.set_time(*t);
    } else if (header) {
      event.set_time(header->time);
    } else {
      error = "no usable time (eventtime, or date= and time=)";
      return LineStatus::kError;
    }
    return LineStatus::kEvent;
  }

 private:
  void add_pair(LineEvent& event, std::string_view key, std::string_view value, std::string_view& url,
                std::string_view& hostname) {
    const auto& f = canonical();
    if (key == "url") {
      url = value;  // split into the proxy fields once all keys are read
      return;
    }
    if (key == "hostname") hostname = value;
    if (key == "devname") {
      has_devname_ = !value.empty();
      event.optional_field(f.device, value);
    }
    if (key == "proto") {
      std::string_view name = protocol_name(value);
      if (!name.empty()) event.value(f.protocol, name);
    }
    FieldId id = renamed(key);
    if (id == kNoField) id = field_for(key);
    if (id != kNoField) event.optional_field(id, value);
  }

  // FortiOS keys that have a canonical name; every other key keeps its own.
  static FieldId renamed(std::string_view key) {
    const auto& f = canonical();
    static const std::pair<std::string_view, FieldId> kRenamed[] = {
        {"srcip", f.src_ip},      {"dstip", f.dst_ip},      {"srcport", f.src_port},
        {"dstport", f.dst_port},  {"hostname", f.dst_host}, {"sentbyte", f.cs_bytes},
        {"rcvdbyte", f.sc_bytes}, {"msg", f.message},       {"srcmac", f.mac},
    };
    for (const auto& [name, id] : kRenamed) {
      if (key == name) return id;
    }
    return kNoField;
  }

  // Native keys keep their own names; the ids are remembered per parser so a line costs no
  // interning lock. Unbounded key sets (hostile input) stop growing the cache and the table.
  FieldId field_for(std::string_view key) {
    auto it = ids_.find(key);
    if (it != ids_.end()) return it->second;
    if (!is_key_name(key)) return kNoField;
    FieldId id = ids_.size() < 4096 ? intern_field(key) : find_field(key);
    if (id != kNoField) ids_.emplace(std::string(key), id);
    return id;
  }

  std::optional<Timestamp> when(std::string_view date, std::string_view time, std::string_view tz,
                                std::string_view eventtime) const {
    if (auto t = event_time(eventtime)) return t;
    if (date.size() != 10 || (date[4] != '-' && date[4] != '/')) return std::nullopt;
    auto year = device::small_number(date.substr(0, 4), 4);
    auto month = device::small_number(date.substr(5, 2), 2);
    auto day = device::small_number(date.substr(8, 2), 2);
    auto clock = device::parse_clock(time);
    if (!year || !month || !day || !clock) return std::nullopt;
    if (auto offset = zone_offset(tz)) {  // FortiOS 6.2+ states its zone
      auto t = from_civil(CivilTime{*year, *month, *day, clock->hour, clock->minute, clock->second, 0});
      if (!t) return std::nullopt;
      return Timestamp{t->ticks - static_cast<std::int64_t>(*offset) * 10'000'000};
    }
    return device::local_time(file_, *year, *month, *day, clock->hour, clock->minute, clock->second);
  }

  FileContext file_;
  std::vector<std::pair<std::string_view, std::string_view>> pairs_;
  std::map<std::string, FieldId, std::less<>> ids_;
  bool has_devname_ = false;
};

class FortigateFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "fortigate"; }
  std::string_view category() const override { return "firewall"; }
  std::string_view description() const override {
    return "FortiGate (FortiOS) key=value logs, bare or behind a syslog header";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    return device::most_lines(head, looks_like_fortigate) ? 90 : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<FortigateParser>(file);
  }
};

}  // namespace

const LogFormat& fortigate_format() {
  static const FortigateFormat format;
  return format;
}

}  // namespace ashiato::logs
