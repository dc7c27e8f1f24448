// ISC DHCP server (dhcpd) lease traffic through syslog: "dhcpd[123]: DHCPACK on 192.168.1.50 to
// 00:11:22:33:44:55 (pc01) via eth0", "DHCPREQUEST for 192.168.1.50 (192.168.1.1) from ... via
// eth0", "DHCPDISCOVER from <mac> (pc01) via eth0", "DHCPRELEASE of <ip> from <mac> ... (found)",
// "DHCPINFORM from <ip> via eth0", "DHCPACK to <ip> (<mac>) via eth0". Layout from the messages
// dhcpd writes (ISC DHCP, server/dhcp.c: dhcpdiscover(), dhcprequest(), dhcprelease(),
// dhcpinform(), ack_lease()). Other dhcpd messages become events with their text.
#include "logs/canonical_fields.h"
#include "logs/device_format_list.h"
#include "logs/device_parsing.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

struct DhcpdFields {
  FieldId via = intern_field("dhcp_via");
  FieldId server = intern_field("dhcp_server");
};

const DhcpdFields& dhcpd() {
  static const DhcpdFields f;
  return f;
}

bool is_lease_message(std::string_view word) {
  return (word.starts_with("DHCP") || word.starts_with("BOOT")) && word.size() > 4 &&
         word.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ6") == std::string_view::npos;
}

class DhcpdParser final : public LineParser {
 public:
  explicit DhcpdParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<DhcpdParser>(file_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    auto header = device::syslog_envelope(line, file_);
    if (!header) {
      error = "no syslog header";
      return LineStatus::kError;
    }
    device::add_envelope(event, *header);
    std::string_view rest = header->message;
    std::string_view word = next_token(rest);
    if (!is_lease_message(word)) {
      event.optional_field(canonical().message, header->message);
      return LineStatus::kEvent;
    }
    event.field(canonical().action, word);
    lease(rest, event);
    return LineStatus::kEvent;
  }

 private:
  static void lease(std::string_view rest, LineEvent& event) {
    const auto& f = canonical();
    bool have_ip = false, have_mac = false, have_name = false;
    std::string_view previous;
    while (!rest.empty()) {
      std::string_view token = next_token(rest);
      if (token == "on" || token == "for" || token == "of") {
        std::string_view ip = next_token(rest);
        if (!have_ip && looks_like_ip(ip)) {
          event.field(f.src_ip, ip);
          have_ip = true;
        }
      } else if (token == "to" || token == "from") {
        std::string_view who = next_token(rest);
        if (!have_mac && device::looks_like_mac(who)) {
          event.field(f.mac, who);
          have_mac = true;
        } else if (!have_ip && looks_like_ip(who)) {
          event.field(f.src_ip, who);
          have_ip = true;
        } else if (!have_name && !who.empty() && !looks_like_ip(who)) {  // BOOTREPLY ... to <name>
          event.field(f.hostname, who);
          have_name = true;
        }
      } else if (token.size() > 2 && token.front() == '(' && token.back() == ')') {
        std::string_view inner = token.substr(1, token.size() - 2);
        if (device::looks_like_mac(inner)) {
          if (!have_mac) event.field(f.mac, inner);
          have_mac = true;
        } else if (looks_like_ip(inner)) {
          if (previous == "for" || previous == "on") event.field(dhcpd().server, inner);  // server identifier
        } else if (!have_name && inner != "found" && inner != "not found") {
          event.field(f.hostname, inner);
          have_name = true;
        }
      } else if (token == "via") {
        std::string_view via = next_token(rest);
        bool more = !via.empty() && via.back() == ':';  // "via eth0: network 10.0.0.0/24: no free leases"
        if (more) via.remove_suffix(1);
        event.optional_field(dhcpd().via, via);
        if (more) {
          event.optional_field(f.message, rest);
          return;
        }
      }
      // "for <ip> (<server>)": remember the keyword across the address for the parenthesis.
      if (token == "for" || token == "on") {
        previous = token;
      } else if (!(token.size() > 2 && token.front() == '(')) {
        previous = {};
      }
    }
  }

  FileContext file_;
};

class DhcpdFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "isc-dhcpd"; }
  std::string_view category() const override { return "dhcp"; }
  std::string_view description() const override { return "ISC dhcpd lease messages in syslog (DHCPACK on ...)"; }
  int detect(const std::vector<std::string_view>& head) const override {
    FileContext probe;
    return device::most_lines(head,
                              [&](std::string_view line) {
                                auto h = device::syslog_envelope(line, probe);
                                return h && h->program == "dhcpd";
                              })
               ? 80
               : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<DhcpdParser>(file);
  }
};

}  // namespace

const LogFormat& isc_dhcpd_format() {
  static const DhcpdFormat format;
  return format;
}

}  // namespace ashiato::logs
