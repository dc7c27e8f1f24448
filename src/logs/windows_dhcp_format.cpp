// Windows DHCP Server audit log (%windir%\System32\dhcp\DhcpSrvLog-<Day>.log): a preamble
// ("Microsoft DHCP Service Activity Log", the table of event IDs), the CSV header "ID,Date,Time,
// Description,IP Address,Host Name,MAC Address,User Name, TransactionID, QResult,Probationtime,
// CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),UserClass(ASCII),
// RelayAgentInformation,DnsRegError." and rows "10,01/02/24,03:04:05,Assign,192.168.1.50,
// pc01.corp.local,001122334455,,...". Columns from Microsoft, "DHCP Audit Logging" (Windows Server
// 2008 R2 and later; 2003 wrote only the first seven) and the header the server writes itself.
// Dates are MM/DD/YY in the server's local time (--log-tz).
#include <algorithm>
#include <cctype>

#include "logs/canonical_fields.h"
#include "logs/device_format_list.h"
#include "logs/device_parsing.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

enum Column : std::size_t {
  kId,
  kDate,
  kTime,
  kDescription,
  kIp,
  kHost,
  kMac,
  kUser,
  kTransaction,
  kQResult,
  kProbation,
  kCorrelation,
  kDhcid,
  kVendorHex,
  kVendorAscii,
  kUserClassHex,
  kUserClassAscii,
  kRelayAgent,
  kDnsRegError,
};
constexpr std::size_t kFirstColumns = 7;  // Windows Server 2003 rows end with the MAC address

struct DhcpFields {
  FieldId event_id = intern_field("dhcp_event_id");
  FieldId transaction = intern_field("dhcp_transaction_id");
  FieldId qresult = intern_field("dhcp_qresult");
  FieldId vendor_class = intern_field("dhcp_vendor_class");
  FieldId user_class = intern_field("dhcp_user_class");
  FieldId relay_agent = intern_field("dhcp_relay_agent");
  FieldId dns_reg_error = intern_field("dhcp_dns_reg_error");
};

const DhcpFields& dhcp() {
  static const DhcpFields f;
  return f;
}

// A data row starts "<event id>,<MM/DD/YY>,": the preamble's event table uses tabs, not commas.
bool is_row(std::string_view line) {
  std::size_t comma = line.find(',');
  return comma != std::string_view::npos && comma >= 1 && comma <= 5 && all_digits(line.substr(0, comma)) &&
         line.size() > comma + 9 && line[comma + 3] == '/' && line[comma + 6] == '/';
}

std::optional<Timestamp> row_time(std::string_view date, std::string_view time, const FileContext& file) {
  if (date.size() != 8 && date.size() != 10) return std::nullopt;  // MM/DD/YY (or MM/DD/YYYY)
  if (date[2] != '/' || date[5] != '/') return std::nullopt;
  auto month = device::small_number(date.substr(0, 2), 2);
  auto day = device::small_number(date.substr(3, 2), 2);
  auto year = device::small_number(date.substr(6), 4);
  auto clock = device::parse_clock(time);
  if (!month || !day || !year || !clock) return std::nullopt;
  int full_year = date.size() == 8 ? 2000 + *year : *year;
  return device::local_time(file, full_year, *month, *day, clock->hour, clock->minute, clock->second);
}

// "001122334455" → "00:11:22:33:44:55", as the other DHCP and firewall formats write it.
bool colon_mac(std::string_view raw, std::string& out) {
  if (raw.size() != 12) return false;
  out.clear();
  for (std::size_t i = 0; i < 12; ++i) {
    char c = raw[i];
    if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    if (i > 0 && i % 2 == 0) out += ':';
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return true;
}

class WindowsDhcpParser final : public LineParser {
 public:
  explicit WindowsDhcpParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<WindowsDhcpParser>(file_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    if (!is_row(line)) {
      // The preamble and the column header; a line of digits and commas that is not a row is broken.
      std::size_t comma = line.find(',');
      if (comma != std::string_view::npos && all_digits(line.substr(0, comma))) {
        error = "row without event ID, MM/DD/YY date and time";
        return LineStatus::kError;
      }
      return LineStatus::kSkipped;
    }
    if (!split_csv(line, ',', cols_) || cols_.size() < kFirstColumns) {
      error = "row with fewer than 7 columns";
      return LineStatus::kError;
    }
    auto t = row_time(cols_[kDate], cols_[kTime], file_);
    if (!t) {
      error = "bad date or time";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    const auto& d = dhcp();
    event.set_time(*t);
    event.field(d.event_id, cols_[kId]);
    optional(event, f.action, kDescription);
    optional(event, f.src_ip, kIp);
    optional(event, f.hostname, kHost);
    if (colon_mac(cols_[kMac], mac_)) {
      event.value(f.mac, mac_);
    } else {
      optional(event, f.mac, kMac);
    }
    optional(event, f.user, kUser);
    optional(event, d.transaction, kTransaction);
    optional(event, d.qresult, kQResult);
    optional(event, d.vendor_class, kVendorAscii);
    optional(event, d.user_class, kUserClassAscii);
    optional(event, d.relay_agent, kRelayAgent);
    if (kDnsRegError < cols_.size() && cols_[kDnsRegError] != "0") optional(event, d.dns_reg_error, kDnsRegError);
    return LineStatus::kEvent;
  }

 private:
  void optional(LineEvent& event, FieldId id, std::size_t column) {
    if (column >= cols_.size()) return;
    std::string_view v = cols_[column];
    while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
    if (csv_needs_unquote(v)) {
      event.value(id, unquote_csv(v));
    } else {
      event.optional_field(id, v);
    }
  }

  FileContext file_;
  std::vector<std::string_view> cols_;
  std::string mac_;
};

class WindowsDhcpFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "windows-dhcp"; }
  std::string_view category() const override { return "dhcp"; }
  std::string_view description() const override { return "Windows DHCP Server audit log (DhcpSrvLog-*.log, IPv4)"; }
  int detect(const std::vector<std::string_view>& head) const override {
    std::size_t rows = 0;
    for (std::string_view line : head) {
      std::string_view trimmed = line.substr(std::min(line.size(), line.find_first_not_of(" \t")));
      if (trimmed.starts_with("Microsoft DHCP Service Activity Log") ||
          trimmed.starts_with("ID,Date,Time,Description,IP Address")) {
        return 95;
      }
      if (is_row(line)) ++rows;
    }
    return rows > 0 && rows * 2 > head.size() ? 85 : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<WindowsDhcpParser>(file);
  }
};

}  // namespace

const LogFormat& windows_dhcp_format() {
  static const WindowsDhcpFormat format;
  return format;
}

}  // namespace ashiato::logs
