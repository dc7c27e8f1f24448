// Linux netfilter packet logs (iptables/nftables LOG target, ufw, firewalld) as the kernel writes
// them through syslog: "Jan  2 03:04:05 gw kernel: [12345.678] PREFIX IN=eth0 OUT= MAC=...
// SRC=1.2.3.4 DST=5.6.7.8 LEN=60 ... PROTO=TCP SPT=1234 DPT=80 ... SYN URGP=0". The keys are those
// printed by the kernel's nf_log_syslog module (net/netfilter/nf_log_syslog.c); the prefix is
// whatever the rule's --log-prefix says, so the action is read from the words in it.
#include <array>
#include <cctype>

#include "logs/canonical_fields.h"
#include "logs/device_format_list.h"
#include "logs/device_parsing.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {
namespace {

using device::iequals;

struct IptablesFields {
  FieldId in_interface = intern_field("in_interface");
  FieldId out_interface = intern_field("out_interface");
  FieldId log_prefix = intern_field("log_prefix");
  FieldId packet_length = intern_field("packet_length");
  FieldId ttl = intern_field("ttl");
  FieldId icmp_type = intern_field("icmp_type");
  FieldId icmp_code = intern_field("icmp_code");
  FieldId tcp_flags = intern_field("tcp_flags");
};

const IptablesFields& fields() {
  static const IptablesFields f;
  return f;
}

// Where the packet description starts ("IN=" as a word), or npos.
std::size_t packet_start(std::string_view message) {
  std::size_t pos = 0;
  while ((pos = message.find("IN=", pos)) != std::string_view::npos) {
    if (pos == 0 || message[pos - 1] == ' ' || message[pos - 1] == ']') return pos;
    pos += 3;
  }
  return std::string_view::npos;
}

bool is_packet_line(std::string_view message) {
  std::size_t at = packet_start(message);
  return at != std::string_view::npos && message.find(" SRC=", at) != std::string_view::npos;
}

// The action a log prefix names: "[UFW BLOCK]" → block, "FINAL_REJECT:" → reject,
// "IPTables-Dropped:" → drop. Empty when no word of the prefix names one.
std::string_view prefix_action(std::string_view prefix) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 12> kWords{{
      {"accept", "accept"},
      {"accepted", "accept"},
      {"allow", "allow"},
      {"allowed", "allow"},
      {"drop", "drop"},
      {"dropped", "drop"},
      {"reject", "reject"},
      {"rejected", "reject"},
      {"block", "block"},
      {"blocked", "block"},
      {"deny", "deny"},
      {"denied", "deny"},
  }};
  std::size_t i = 0;
  while (i < prefix.size()) {
    while (i < prefix.size() && !std::isalnum(static_cast<unsigned char>(prefix[i]))) ++i;
    std::size_t start = i;
    while (i < prefix.size() && std::isalnum(static_cast<unsigned char>(prefix[i]))) ++i;
    std::string_view word = prefix.substr(start, i - start);
    for (const auto& [name, action] : kWords) {
      if (iequals(word, name)) return action;
    }
  }
  return {};
}

class IptablesParser final : public LineParser {
 public:
  explicit IptablesParser(FileContext file) : file_(std::move(file)) { file_.head.clear(); }
  std::unique_ptr<LineParser> clone() const override { return std::make_unique<IptablesParser>(file_); }

  LineStatus parse(std::string_view line, LineEvent& event, std::string& error) override {
    auto header = device::syslog_envelope(line, file_);
    if (!header) {
      error = "no syslog header";
      return LineStatus::kError;
    }
    const auto& f = canonical();
    device::add_envelope(event, *header);
    std::string_view message = header->message;
    std::size_t at = packet_start(message);
    if (at == std::string_view::npos) {  // another kernel or daemon message in the same file
      event.optional_field(f.message, message);
      return LineStatus::kEvent;
    }
    add_prefix(event, message.substr(0, at));
    add_packet(event, message.substr(at));
    return LineStatus::kEvent;
  }

 private:
  static void add_prefix(LineEvent& event, std::string_view prefix) {
    // The kernel's own "[ 1234.567890]" uptime stamp is not part of the rule's prefix.
    while (!prefix.empty() && prefix.front() == ' ') prefix.remove_prefix(1);
    if (!prefix.empty() && prefix.front() == '[') {
      std::size_t close = prefix.find(']');
      if (close != std::string_view::npos &&
          prefix.substr(1, close - 1).find_first_not_of(" .0123456789") == std::string_view::npos) {
        prefix.remove_prefix(close + 1);
      }
    }
    while (!prefix.empty() && prefix.front() == ' ') prefix.remove_prefix(1);
    while (!prefix.empty() && prefix.back() == ' ') prefix.remove_suffix(1);
    event.optional_field(fields().log_prefix, prefix);
    std::string_view action = prefix_action(prefix);
    if (!action.empty()) event.value(canonical().action, action);
  }

  static void add_packet(LineEvent& event, std::string_view packet) {
    const auto& f = canonical();
    const auto& x = fields();
    std::string_view rest = packet;
    std::string_view flags;  // TCP flag words between RES= and URGP=, as one span of the line
    bool in_flags = false;
    while (!rest.empty()) {
      std::string_view token = next_token(rest);
      // ICMP errors quote the offending packet in [...]; its addresses are not this packet's.
      if (!token.empty() && token.front() == '[') break;
      std::size_t eq = token.find('=');
      if (eq == std::string_view::npos) {
        if (in_flags) {
          flags = flags.empty()
                      ? token
                      : std::string_view(flags.data(),
                                         static_cast<std::size_t>(token.data() + token.size() - flags.data()));
        }
        continue;
      }
      std::string_view key = token.substr(0, eq);
      std::string_view value = token.substr(eq + 1);
      in_flags = key == "RES";
      if (key == "IN") {
        event.optional_field(x.in_interface, value);
      } else if (key == "OUT") {
        event.optional_field(x.out_interface, value);
      } else if (key == "MAC") {
        // destination MAC, source MAC, ethertype: the source identifies the sending machine.
        event.optional_field(f.mac, value.size() == 41 ? value.substr(18, 17) : value);
      } else if (key == "SRC") {
        event.optional_field(f.src_ip, value);
      } else if (key == "DST") {
        event.optional_field(f.dst_ip, value);
      } else if (key == "SPT") {
        event.optional_field(f.src_port, value);
      } else if (key == "DPT") {
        event.optional_field(f.dst_port, value);
      } else if (key == "PROTO") {
        std::string lower(value);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (!lower.empty()) event.value(f.protocol, lower);
      } else if (key == "LEN") {
        event.optional_field(x.packet_length, value);
      } else if (key == "TTL") {
        event.optional_field(x.ttl, value);
      } else if (key == "TYPE") {
        event.optional_field(x.icmp_type, value);
      } else if (key == "CODE") {
        event.optional_field(x.icmp_code, value);
      }
    }
    if (!flags.empty()) event.field(x.tcp_flags, flags);
  }

  FileContext file_;
};

class IptablesFormat final : public LogFormat {
 public:
  std::string_view name() const override { return "iptables"; }
  std::string_view category() const override { return "firewall"; }
  std::string_view description() const override {
    return "Linux netfilter (iptables, nftables, ufw, firewalld) packet log lines in syslog";
  }
  int detect(const std::vector<std::string_view>& head) const override {
    FileContext context;
    return device::most_lines(head,
                              [&](std::string_view line) {
                                auto h = device::syslog_envelope(line, context);
                                return h && is_packet_line(h->message);
                              })
               ? 85
               : 0;
  }
  std::unique_ptr<LineParser> make_parser(const FileContext& file) const override {
    return std::make_unique<IptablesParser>(file);
  }
};

}  // namespace

const LogFormat& iptables_format() {
  static const IptablesFormat format;
  return format;
}

}  // namespace ashiato::logs
