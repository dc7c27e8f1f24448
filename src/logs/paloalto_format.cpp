// Palo Alto Networks firewall logs as PAN-OS forwards them over syslog: one CSV record per line,
// "1,2024/01/02 03:04:05,012345678901,TRAFFIC,end,2561,2024/01/02 03:04:05,10.0.0.5,...".
// Column order from Palo Alto Networks, "PAN-OS Administrator's Guide › Syslog Field
// Descriptions" (Traffic Log Fields, Threat Log Fields; PAN-OS 10.x/11.x; the first 31 columns are
// the same back to PAN-OS 7.1). Later columns are appended release by release, so a record may be
// longer than any list here; absent trailing columns are simply not reported.
#include <array>
#include <cctype>

#include "logs/canonical_fields.h"
#include "logs/device_format_list.h"
#include "logs/device_parsing.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

// Columns shared by TRAFFIC and THREAT records (0-based).
enum Column : std::size_t {
  kSerial = 2,
  kType = 3,
  kSubtype = 4,
  kGenerated = 6,
  kSrc = 7,
  kDst = 8,
  kNatSrc = 9,
  kNatDst = 10,
  kRule = 11,
  kSrcUser = 12,
  kDstUser = 13,
  kApp = 14,
  kSrcZone = 16,
  kDstZone = 17,
  kInIf = 18,
  kOutIf = 19,
  kSession = 22,
  kSrcPort = 24,
  kDstPort = 25,
  kNatSrcPort = 26,
  kNatDstPort = 27,
  kProto = 29,
  kAction = 30,
  kSessionColumns = 31,
};
// TRAFFIC
constexpr std::size_t kBytes = 31, kBytesSent = 32, kBytesReceived = 33, kPackets = 34, kElapsed = 36,
                      kTrafficCategory = 37, kEndReason = 46, kTrafficDevice = 52;
// THREAT
constexpr std::size_t kUrlFile = 31, kThreatId = 32, kThreatCategory = 33, kSeverity = 34, kDirection = 35,
                      kContentType = 41, kDigest = 43, kUserAgent = 46, kXff = 48, kReferer = 49, kThreatDevice = 59,
                      kMethod = 63;
// SYSTEM and CONFIG
constexpr std::size_t kSystemDescription = 14, kConfigHost = 7, kConfigCommand = 9, kConfigAdmin = 10;

struct PanFields {
  FieldId serial = intern_field("serial_number");
  FieldId type = intern_field("log_type");
  FieldId subtype = intern_field("log_subtype");
  FieldId nat_src_ip = intern_field("nat_src_ip");
  FieldId nat_dst_ip = intern_field("nat_dst_ip");
  FieldId nat_src_port = intern_field("nat_src_port");
  FieldId nat_dst_port = intern_field("nat_dst_port");
  FieldId rule = intern_field("rule");
  FieldId dst_user = intern_field("dst_user");
  FieldId application = intern_field("application");
  FieldId src_zone = intern_field("src_zone");
  FieldId dst_zone = intern_field("dst_zone");
  FieldId in_interface = intern_field("in_interface");
  FieldId out_interface = intern_field("out_interface");
  FieldId session_id = intern_field("session_id");
  FieldId bytes = intern_field("bytes");
  FieldId packets = intern_field("packets");
  FieldId category = intern_field("category");
  FieldId end_reason = intern_field("session_end_reason");
  FieldId url_filename = intern_field("url_filename");
  FieldId threat_id = intern_field("threat_id");
  FieldId severity = intern_field("severity");
  FieldId direction = intern_field("direction");
  FieldId x_forwarded_for = intern_field("x_forwarded_for");
  FieldId command = intern_field("command");
};

const PanFields& pan() {
  static const PanFields f;
  return f;
}

bool is_log_type(std::string_view t) {
  static constexpr std::array<std::string_view, 14> kTypes{
      "TRAFFIC",    "THREAT", "SYSTEM", "CONFIG",      "HIPMATCH", "GLOBALPROTECT", "USERID",
      "DECRYPTION", "AUTH",   "TUNNEL", "CORRELATION", "IPTAG",    "SCTP",          "GTP"};
  for (std::string_view k : kTypes) {
    if (t == k) return true;
  }
  return false;
}

// "2024/01/02 03:04:05" at the start of `s`.
bool is_pan_time(std::string_view s) {
  if (s.size() < 19) return false;
  for (std::size_t i = 0; i < 19; ++i) {
    char c = s[i];
    bool ok = (i == 4 || i == 7)     ? c == '/'
              : i == 10              ? c == ' '
              : (i == 13 || i == 16) ? c == ':'
                                     : std::isdigit(static_cast<unsigned char>(c));
    if (!ok) return false;
  }
  return true;
}

// The CSV record inside the line: it starts with the FUTURE_USE column, just before
// ",<receive time>,"; a syslog envelope or collector prefix may come before it.
std::string_view find_record(std::string_view line) {
  std::size_t comma = 0;
  while ((comma = line.find(',', comma)) != std::string_view::npos && comma < 256) {
    std::string_view after = line.substr(comma + 1);
    if (is_pan_time(after) && after.size() > 19 && after[19] == ',') {
      std::size_t start = comma;
      while (start > 0 && std::isdigit(static_cast<unsigned char>(line[start - 1]))) --start;
      if (start == 0 || line[start - 1] == ' ' || line[start - 1] == '>') return line.substr(start);
    }
    ++comma;
  }
  return {};
}

std::optional<Timestamp> pan_time(std::string_view s, const FileContext& file) {
  if (!is_pan_time(s) || s.size() != 19) return std::nullopt;
  auto clock = device::parse_clock(s.substr(11));
  auto year = device::small_number(s.substr(0, 4), 4);
  auto month = device::small_number(s.substr(5, 2), 2);
  auto day = device::small_number(s.substr(8, 2), 2);
  if (!clock || !year || !month || !day) return std::nullopt;
  return device::local_time(file, *year, *month, *day, clock->hour, clock->minute, clock->second);
}

class PaloAltoParser final : public LineParser {
 public:
  explicit PaloAltoParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<PaloAltoParser>(file_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    std::string_view record = find_record(line);
    if (record.empty() || !split_csv(record, ',', cols_) || cols_.size() <= kGenerated) {
      error = "no PAN-OS CSV record (FUTURE_USE,receive time,serial,type,...)";
      return LineStatus::kError;
    }
    auto t = pan_time(cols_[kGenerated], file_);
    if (!t) {
      error = "bad generated time '" + std::string(cols_[kGenerated].substr(0, 32)) + "'";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    const auto& p = pan();
    event.set_time(*t);
    std::string_view type = cols_[kType];
    bool session = type == "TRAFFIC" || type == "THREAT";
    if (session && cols_.size() < kSessionColumns) {
      error = std::string(type) + " record with " + std::to_string(cols_.size()) + " columns (expected at least 31)";
      return LineStatus::kError;
    }
    // The device's name comes late in the record; without it, the syslog sender names the host.
    std::size_t device_column = type == "TRAFFIC" ? kTrafficDevice : type == "THREAT" ? kThreatDevice : 0;
    if (device_column == 0 || !optional(event, f.device, device_column)) add_syslog_host(line, record, event);
    event.optional_field(p.serial, cols_[kSerial]);
    event.optional_field(p.type, type);
    event.optional_field(p.subtype, cols_[kSubtype]);
    if (session) {
      add_session(event);
      if (type == "TRAFFIC") {
        add_traffic(event);
      } else {
        add_threat(event);
      }
    } else if (type == "SYSTEM") {
      optional(event, f.message, kSystemDescription);
    } else if (type == "CONFIG") {
      optional(event, f.src_ip, kConfigHost);
      optional(event, p.command, kConfigCommand);
      optional(event, f.user, kConfigAdmin);
    }
    return LineStatus::kEvent;
  }

 private:
  bool optional(LineEvent& event, FieldId id, std::size_t column) {
    if (column >= cols_.size() || cols_[column].empty() || cols_[column] == "-") return false;
    if (csv_needs_unquote(cols_[column])) {
      event.value(id, unquote_csv(cols_[column]));
    } else {
      event.field(id, cols_[column]);
    }
    return true;
  }
  // NAT columns hold 0.0.0.0 and port 0 when no translation happened.
  void nat(LineEvent& event, FieldId id, std::size_t column) {
    if (cols_[column] != "0.0.0.0" && cols_[column] != "0" && cols_[column] != "::") optional(event, id, column);
  }

  void add_syslog_host(std::string_view line, std::string_view record, LineEvent& event) {
    if (record.data() == line.data()) return;
    auto header = device::syslog_envelope(line.substr(0, static_cast<std::size_t>(record.data() - line.data())), file_);
    if (header) event.optional_field(canonical().device, header->host);
  }

  void add_session(LineEvent& event) {
    const auto& f = canonical();
    const auto& p = pan();
    optional(event, f.src_ip, kSrc);
    optional(event, f.dst_ip, kDst);
    nat(event, p.nat_src_ip, kNatSrc);
    nat(event, p.nat_dst_ip, kNatDst);
    optional(event, p.rule, kRule);
    optional(event, f.user, kSrcUser);
    optional(event, p.dst_user, kDstUser);
    optional(event, p.application, kApp);
    optional(event, p.src_zone, kSrcZone);
    optional(event, p.dst_zone, kDstZone);
    optional(event, p.in_interface, kInIf);
    optional(event, p.out_interface, kOutIf);
    optional(event, p.session_id, kSession);
    optional(event, f.src_port, kSrcPort);
    optional(event, f.dst_port, kDstPort);
    nat(event, p.nat_src_port, kNatSrcPort);
    nat(event, p.nat_dst_port, kNatDstPort);
    optional(event, f.protocol, kProto);
    optional(event, f.action, kAction);
  }

  void add_traffic(LineEvent& event) {
    const auto& f = canonical();
    const auto& p = pan();
    optional(event, p.bytes, kBytes);
    optional(event, f.cs_bytes, kBytesSent);  // client to server
    optional(event, f.sc_bytes, kBytesReceived);
    optional(event, p.packets, kPackets);
    optional(event, f.duration, kElapsed);
    optional(event, p.category, kTrafficCategory);
    optional(event, p.end_reason, kEndReason);
  }

  void add_threat(LineEvent& event) {
    const auto& f = canonical();
    const auto& p = pan();
    if (cols_[kSubtype] == "url" && kUrlFile < cols_.size()) {
      if (!csv_needs_unquote(cols_[kUrlFile])) {
        add_url_fields(event, cols_[kUrlFile]);
      } else {
        optional(event, f.c_uri, kUrlFile);
      }
    } else {
      optional(event, p.url_filename, kUrlFile);
    }
    optional(event, p.threat_id, kThreatId);
    optional(event, p.category, kThreatCategory);
    optional(event, p.severity, kSeverity);
    optional(event, p.direction, kDirection);
    optional(event, f.content_type, kContentType);
    if (kDigest < cols_.size() && cols_[kDigest].size() == 64) optional(event, f.sha256, kDigest);
    optional(event, f.c_useragent, kUserAgent);
    optional(event, p.x_forwarded_for, kXff);
    optional(event, f.cs_referrer, kReferer);
    optional(event, f.cs_method, kMethod);
  }

  FileContext file_;
  std::vector<std::string_view> cols_;
};

bool looks_like_paloalto(std::string_view line) {
  std::string_view record = find_record(line);
  std::vector<std::string_view> cols;
  return !record.empty() && split_csv(record, ',', cols) && cols.size() > kGenerated && is_log_type(cols[kType]) &&
         is_pan_time(cols[kGenerated]);
}

class PaloAltoFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "paloalto"; }
  std::string_view category() const override { return "firewall"; }
  std::string_view description() const override {
    return "Palo Alto Networks PAN-OS syslog CSV (TRAFFIC, THREAT; other log types by time and type)";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    return device::most_lines(head, looks_like_paloalto) ? 90 : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<PaloAltoParser>(file);
  }
};

}  // namespace

const LogFormat& paloalto_format() {
  static const PaloAltoFormat format;
  return format;
}

}  // namespace ashiato::logs
