// dnsmasq's query log (log-queries) through syslog or its own log-facility file:
// "dnsmasq[1234]: query[A] www.example.com from 192.168.1.10", "forwarded www.example.com to
// 8.8.8.8", "reply www.example.com is 93.184.216.34", "cached ... is ...", "config ... is
// NXDOMAIN", "/etc/hosts name is 10.0.0.1"; with log-queries=extra each line starts with a query
// serial and the client's "address/port". Its DHCP side (dnsmasq-dhcp: "DHCPACK(eth0)
// 192.168.1.50 00:11:22:33:44:55 pc01") is read too. Layout from the dnsmasq man page
// (--log-queries) and its source (cache.c log_query(), rfc2131.c log_packet()).
#include "logs/canonical_fields.h"
#include "logs/device_format_list.h"
#include "logs/device_parsing.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

struct DnsmasqFields {
  FieldId query_serial = intern_field("query_serial");
  FieldId interface = intern_field("in_interface");
};

const DnsmasqFields& dm() {
  static const DnsmasqFields f;
  return f;
}

bool is_dnsmasq(std::string_view program) {
  return program.starts_with("dnsmasq");
}

class DnsmasqParser final : public LineParser {
 public:
  explicit DnsmasqParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<DnsmasqParser>(file_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    auto header = device::syslog_envelope(line, file_);
    if (!header) {
      error = "no syslog header";
      return LineStatus::kError;
    }
    device::add_envelope(event, *header);
    std::string_view message = header->message;
    if (!is_dnsmasq(header->program) || !(dhcp(message, event) || dns(message, event))) {
      event.optional_field(canonical().message, message);
    }
    return LineStatus::kEvent;
  }

 private:
  static bool dns(std::string_view message, LineEvent& event) {
    const auto& f = canonical();
    std::string_view rest = message;
    std::string_view word = next_token(rest);
    bool have_client = false;
    // log-queries=extra: "<serial> <client>/<port> query[A] ..."
    if (all_digits(word)) {
      std::string_view client = next_token(rest);
      std::size_t slash = client.rfind('/');
      if (slash == std::string_view::npos || !looks_like_ip(client.substr(0, slash))) return false;
      event.field(dm().query_serial, word);
      event.field(f.src_ip, client.substr(0, slash));
      event.optional_field(f.src_port, client.substr(slash + 1));
      have_client = true;
      word = next_token(rest);
    }
    std::string_view name = next_token(rest);
    std::string_view link = next_token(rest);
    std::string_view target = next_token(rest);
    if (name.empty() || target.empty()) return false;
    std::size_t bracket = word.find('[');
    if (bracket != std::string_view::npos && word.back() == ']') {  // query[A], dnssec-query[DS]
      if (link != "from") return false;
      event.field(f.action, word.substr(0, bracket));
      event.field(f.record_type, word.substr(bracket + 1, word.size() - bracket - 2));
      event.field(f.query, name);
      if (!have_client && looks_like_ip(target)) event.field(f.src_ip, target);
      return true;
    }
    if (word == "forwarded" && link == "to") {
      event.field(f.action, word);
      event.field(f.query, name);
      if (looks_like_ip(target)) event.field(f.dst_ip, target);
      return true;
    }
    if (link != "is") return false;
    // reply, cached, config, validation, or the hosts file that answered ("/etc/hosts").
    event.field(f.action, word);
    event.field(f.query, name);
    event.field(f.answer, target);
    if (target == "NXDOMAIN") event.value(f.rcode, "NXDOMAIN");
    return true;
  }

  // "DHCPACK(eth0) 192.168.1.50 00:11:22:33:44:55 pc01", "DHCPDISCOVER(eth0) 00:11:22:33:44:55"
  static bool dhcp(std::string_view message, LineEvent& event) {
    const auto& f = canonical();
    std::string_view rest = message;
    std::string_view word = next_token(rest);
    if (word.size() > 1 && all_digits(word)) word = next_token(rest);  // log-dhcp transaction id
    std::size_t open = word.find('(');
    if (!word.starts_with("DHCP") || open == std::string_view::npos || word.back() != ')') return false;
    event.field(f.action, word.substr(0, open));
    event.optional_field(dm().interface, word.substr(open + 1, word.size() - open - 2));
    std::string_view token = next_token(rest);
    if (looks_like_ip(token)) {
      event.field(f.src_ip, token);
      token = next_token(rest);
    }
    if (device::looks_like_mac(token)) {
      event.field(f.mac, token);
      std::string_view host = next_token(rest);
      if (!host.empty() && rest.empty()) event.field(f.hostname, host);
    }
    return true;
  }

  FileContext file_;
};

class DnsmasqFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "dnsmasq"; }
  std::string_view category() const override { return "dns"; }
  std::string_view description() const override { return "dnsmasq query and DHCP log lines in syslog"; }
  int detect(const std::vector<std::string_view>& head) const override {
    FileContext probe;
    return device::most_lines(head,
                              [&](std::string_view line) {
                                auto h = device::syslog_envelope(line, probe);
                                return h && is_dnsmasq(h->program);
                              })
               ? 80
               : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<DnsmasqParser>(file);
  }
};

}  // namespace

const LogFormat& dnsmasq_format() {
  static const DnsmasqFormat format;
  return format;
}

}  // namespace ashiato::logs
