// Network device and server formats. No vendor logs are in the corpora, so each test line is
// built from the vendor's documented layout (the source is named above each group).
#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "logs/device_format_list.h"
#include "logs/text_log_reader.h"
#include "test_support.h"
#include "text_log_capture.h"

namespace ashiato {
namespace {

using logs::FileContext;
using logs::LineStatus;

struct Parsed {
  LineStatus status = LineStatus::kError;
  std::string error;
  bool has_time = false;
  Timestamp time;
  std::multimap<std::string, std::string> fields;

  std::string get(const std::string& name) const {
    auto it = fields.find(name);
    return it == fields.end() ? std::string("<none>") : it->second;
  }
  std::size_t count(const std::string& name) const { return fields.count(name); }
  std::string iso() const { return to_iso8601(time, 0); }
};

const logs::LogClock& tokyo() {
  static const logs::LogClock clock = logs::LogClock::parse("+09:00");
  return clock;
}

// Syslog stamps carry no year: a file written in mid-2024 puts "Jan  2" in 2024.
FileContext context() {
  FileContext file;
  file.path = "test.log";
  file.modified = Timestamp::from_unix_seconds(1717200000);  // 2024-06-01
  file.clock = &tokyo();
  return file;
}

// Runs one line through the format's parser the way the reader does (text_log_reader.cpp,
// parse_block): begin the event, store the raw line in the batch, parse into a LineEvent.
Parsed parse_with(const logs::LogFormat& format, const std::string& line) {
  FileContext file = context();
  auto parser = format.make_parser(file);
  EventBatch batch;
  batch.begin_event(Timestamp{}, SourceRef{0, 1, 0});
  std::size_t raw_at = batch.text_buffer().size();
  batch.text_buffer().append(line);
  logs::LineEvent event(batch, line, static_cast<std::uint32_t>(raw_at));
  Parsed p;
  p.status = parser->parse(line, event, p.error);
  p.has_time = event.has_time();
  if (p.status == LineStatus::kEvent) {
    p.time = batch[0].time();
    batch[0].for_each_field([&](FieldId id, std::string_view v) { p.fields.emplace(field_name(id), v); });
  }
  return p;
}

// Checks "name=value; name=value; ..." against the parsed fields (first value of each name).
void expect_fields(const Parsed& p, std::string_view expected) {
  while (!expected.empty()) {
    std::size_t end = expected.find("; ");
    std::string_view pair = expected.substr(0, end);
    std::size_t eq = pair.find('=');
    EXPECT_EQ(p.get(std::string(pair.substr(0, eq))), pair.substr(eq + 1)) << pair;
    expected = end == std::string_view::npos ? std::string_view{} : expected.substr(end + 2);
  }
}

std::string detected(const std::vector<std::string>& lines) {
  std::vector<std::string_view> head(lines.begin(), lines.end());
  const logs::LogFormat* f = logs::detect_format(head);
  return f ? std::string(f->name()) : "<none>";
}

// --- iptables: kernel nf_log_syslog output (net/netfilter/nf_log_syslog.c), ufw and firewalld prefixes.
const std::vector<std::string> kIptables = {
    "Jan  2 03:04:05 gw kernel: [123456.789012] [UFW BLOCK] IN=eth0 OUT= MAC=00:11:22:33:44:55:66:77:88:99:aa:bb:08:00 "
    "SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=52 ID=54321 DF PROTO=TCP SPT=51234 DPT=22 "
    "WINDOW=64240 RES=0x00 SYN URGP=0",
    "Jan  2 03:04:06 gw kernel: IPTables-Dropped: IN=eth0 OUT= SRC=198.51.100.4 DST=192.0.2.10 LEN=40 TOS=0x00 "
    "PREC=0x00 TTL=240 ID=0 PROTO=UDP SPT=53 DPT=5353 LEN=20",
    "Jan  2 03:04:07 gw kernel: FWD IN=eth1 OUT=eth0 SRC=10.0.0.5 DST=93.184.216.34 LEN=60 TOS=0x00 PREC=0x00 "
    "TTL=63 ID=1 DF PROTO=TCP SPT=40000 DPT=443 WINDOW=64240 RES=0x00 ACK SYN URGP=0",
};

TEST(DeviceFormats, IptablesDetectAndParse) {
  EXPECT_EQ(detected(kIptables), "iptables");
  auto p = parse_with(logs::iptables_format(), kIptables[0]);
  ASSERT_EQ(p.status, LineStatus::kEvent) << p.error;
  expect_fields(p,
                "src_ip=203.0.113.7; dst_ip=192.0.2.10; src_port=51234; dst_port=22; protocol=tcp; action=block; "
                "log_prefix=[UFW BLOCK]; in_interface=eth0");
  EXPECT_EQ(p.count("out_interface"), 0U);  // "OUT=" is empty
  // mac: the source part of MAC=
  expect_fields(p, "mac=66:77:88:99:aa:bb; tcp_flags=SYN; syslog_host=gw");
  EXPECT_EQ(p.iso(), "2024-01-01T18:04:05Z");  // 03:04:05 at +09:00

  auto dropped = parse_with(logs::iptables_format(), kIptables[1]);
  EXPECT_EQ(dropped.get("action"), "drop");
  EXPECT_EQ(dropped.get("protocol"), "udp");
  auto forwarded = parse_with(logs::iptables_format(), kIptables[2]);
  EXPECT_EQ(forwarded.count("action"), 0U);  // "FWD" names no action
  EXPECT_EQ(forwarded.get("out_interface"), "eth0");
  EXPECT_EQ(forwarded.get("tcp_flags"), "ACK SYN");
}

TEST(DeviceFormats, IptablesOtherAndBrokenLines) {
  auto other = parse_with(logs::iptables_format(), "Jan  2 03:04:05 gw kernel: [ 1.0] usb 1-1: new device");
  ASSERT_EQ(other.status, LineStatus::kEvent);
  EXPECT_EQ(other.get("message"), "[ 1.0] usb 1-1: new device");
  // An ICMP error quotes the packet that caused it; that packet's addresses are not this one's.
  auto icmp = parse_with(logs::iptables_format(),
                         "Jan  2 03:04:05 gw kernel: REJECT IN=eth0 OUT= SRC=192.0.2.1 DST=192.0.2.2 LEN=88 "
                         "PROTO=ICMP TYPE=3 CODE=3 [SRC=192.0.2.2 DST=192.0.2.1 LEN=60 PROTO=UDP SPT=1 DPT=2 ]");
  EXPECT_EQ(icmp.count("src_ip"), 1U);
  EXPECT_EQ(icmp.get("src_ip"), "192.0.2.1");
  EXPECT_EQ(icmp.get("icmp_type"), "3");
  EXPECT_EQ(icmp.count("src_port"), 0U);
  auto bad = parse_with(logs::iptables_format(), "IN=eth0 OUT= SRC=1.2.3.4 DST=5.6.7.8");
  EXPECT_EQ(bad.status, LineStatus::kError);
  EXPECT_FALSE(bad.error.empty());
}

TEST(DeviceFormats, IptablesGzipFileReads) {
  const auto dir = test::temp_dir();
  {
    std::ofstream out(dir / "kern.log");
    for (int i = 0; i < 3; ++i) {
      for (const auto& line : kIptables) out << line << "\n";
    }
    out << "this line is not syslog\n";
  }
  std::string output;
  ASSERT_EQ(test::run_command("gzip '" + (dir / "kern.log").string() + "'", output), 0);
  test::CapturedLog log;
  logs::TextReadOptions options;
  options.clock = &tokyo();
  test::capture_text_log((dir / "kern.log.gz").string(), log, options);
  EXPECT_EQ(log.stats.format, "iptables");
  EXPECT_EQ(log.stats.lines, 10U);
  EXPECT_EQ(log.stats.events, 9U);
  EXPECT_EQ(log.stats.bad_lines, 1U);
  ASSERT_EQ(log.events.size(), 9U);
  EXPECT_EQ(log.events[0].get("Channel"), "firewall");
  EXPECT_EQ(log.events[0].get("log_format"), "iptables");
  EXPECT_EQ(log.events[4].get("dst_port"), "5353");
  EXPECT_EQ(log.diagnostics.errors(), 1U);
}

// --- FortiGate: Fortinet, "FortiOS Log Message Reference", traffic log (logid 0000000013).
const std::vector<std::string> kFortigate = {
    R"(date=2019-05-10 time=11:50:48 logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" )"
    R"(eventtime=1557510648 srcip=10.1.100.11 srcport=58012 srcintf="port12" srcintfrole="undefined" )"
    R"(dstip=23.59.154.35 dstport=80 dstintf="port11" dstintfrole="undefined" poluuid="c2d460aa-fe6f-51e8-9505" )"
    R"(sessionid=1052 proto=6 action="close" policyid=1 policytype="policy" service="HTTP" dstcountry="Canada" )"
    R"(srccountry="Reserved" trandisp="snat" transip=172.16.200.2 transport=58012 duration=14 sentbyte=1026 )"
    R"(rcvdbyte=3560 sentpkt=10 rcvdpkt=8 appcat="unscanned" devname="FGT-HQ" devid="FG100E4Q17000000" )"
    R"(user="alice" hostname="example.com" url="/index.html?a=1")",
    R"(<189>date=2024-01-02 time=03:04:05 devname="FGT-HQ" devid="FG100E4Q17000000" logid="0000000013" )"
    R"(type="traffic" subtype="forward" level="notice" vd="root" srcip=10.0.0.5 srcport=50000 dstip=192.0.2.80 )"
    R"(dstport=443 proto=17 action="deny" policyid=0 service="udp/443")",
    R"(Jan  2 03:04:05 192.0.2.254 date=2024-01-02 time=03:04:05 devname="FGT-HQ" devid="FG100E4Q17000000" )"
    R"(logid="0000000013" type="traffic" subtype="forward" eventtime=1704132245123456789 tz="+0900" )"
    R"(srcip=10.0.0.6 dstip=192.0.2.81 action="accept")",
};

TEST(DeviceFormats, FortigateDetectAndParse) {
  EXPECT_EQ(detected(kFortigate), "fortigate");
  auto p = parse_with(logs::fortigate_format(), kFortigate[0]);
  ASSERT_EQ(p.status, LineStatus::kEvent) << p.error;
  expect_fields(p,
                "src_ip=10.1.100.11; src_port=58012; dst_ip=23.59.154.35; dst_port=80; action=close; user=alice; "
                "dst_host=example.com; cs-host=example.com; c-uri=/index.html?a=1; c-uri-stem=/index.html; "
                "cs-bytes=1026; sc-bytes=3560; protocol=tcp; proto=6; service=HTTP; policyid=1; syslog_host=FGT-HQ");
  EXPECT_EQ(p.count("srcip"), 0U);             // mapped keys appear under their canonical names only
  EXPECT_EQ(p.iso(), "2019-05-10T17:50:48Z");  // eventtime, seconds
}

TEST(DeviceFormats, FortigateTimes) {
  // No eventtime: date and time in --log-tz.
  auto local = parse_with(logs::fortigate_format(), kFortigate[1]);
  ASSERT_EQ(local.status, LineStatus::kEvent) << local.error;
  EXPECT_EQ(local.iso(), "2024-01-01T18:04:05Z");
  EXPECT_EQ(local.get("protocol"), "udp");
  // Nanosecond eventtime wins over date/time; the syslog sender is not the host when devname is.
  auto ns = parse_with(logs::fortigate_format(), kFortigate[2]);
  ASSERT_EQ(ns.status, LineStatus::kEvent) << ns.error;
  EXPECT_EQ(to_iso8601(ns.time, 7), "2024-01-01T18:04:05.1234567Z");
  EXPECT_EQ(ns.count("syslog_host"), 1U);
  EXPECT_EQ(ns.get("syslog_host"), "FGT-HQ");
  // The device's own zone (tz=, FortiOS 6.2+) when there is no eventtime.
  auto zoned = parse_with(logs::fortigate_format(),
                          R"(date=2024-01-02 time=03:04:05 tz="-0500" logid="0000000013" type="traffic" devname="x")");
  EXPECT_EQ(zoned.iso(), "2024-01-02T08:04:05Z");

  auto bad = parse_with(logs::fortigate_format(), R"(date=2024-01-02 time=03:04:05 devname="FGT unclosed)");
  EXPECT_EQ(bad.status, LineStatus::kError);
  auto no_time = parse_with(logs::fortigate_format(), R"(logid="0000000013" type="traffic" devname="x")");
  EXPECT_EQ(no_time.status, LineStatus::kError);
}

// --- Palo Alto: "PAN-OS Administrator's Guide › Syslog Field Descriptions" (Traffic Log Fields,
// Threat Log Fields, PAN-OS 10.x/11.x): FUTURE_USE, Receive Time, Serial Number, Type,
// Threat/Content Type, FUTURE_USE, Generated Time, Source Address, Destination Address, NAT Source
// IP, NAT Destination IP, Rule Name, Source User, Destination User, Application, Virtual System,
// Source Zone, Destination Zone, Inbound Interface, Outbound Interface, Log Action, FUTURE_USE,
// Session ID, Repeat Count, Source Port, Destination Port, NAT Source Port, NAT Destination Port,
// Flags, Protocol, Action, then per type (Traffic: Bytes, Bytes Sent, Bytes Received, Packets,
// Start Time, Elapsed Time, Category, ...; Threat: URL/Filename, Threat ID, Category, Severity,
// Direction, ...).
const std::string kPanTraffic =
    "Jan  2 03:04:06 pa-fw01 1,2024/01/02 03:04:06,012345678901,TRAFFIC,end,2561,2024/01/02 03:04:05,"
    "10.0.0.5,93.184.216.34,198.51.100.2,93.184.216.34,allow-web,corp\\alice,,ssl,vsys1,trust,untrust,"
    "ethernet1/2,ethernet1/1,fwd-profile,2024/01/02 03:04:05,123456,1,51234,443,40001,443,0x400053,tcp,allow,"
    "7312,2228,5084,22,2024/01/02 03:03:35,30,business-and-economy,,7253419119627122716,0x8000000000000000,"
    "10.0.0.0-10.255.255.255,United States,,12,10,tcp-fin,0,0,0,0,,pa-fw01,from-policy";
const std::string kPanThreatUrl =
    "1,2024/01/02 03:05:00,012345678901,THREAT,url,2561,2024/01/02 03:05:00,10.0.0.5,203.0.113.50,"
    "198.51.100.2,203.0.113.50,allow-web,corp\\alice,,web-browsing,vsys1,trust,untrust,ethernet1/2,"
    "ethernet1/1,fwd-profile,2024/01/02 03:05:00,123457,1,51235,80,40002,80,0x40b000,tcp,alert,"
    "\"evil.example.com/gate.php?id=7\",(9999),command-and-control,informational,client-to-server,"
    "7253419119627122717,0x8000000000000000,10.0.0.0-10.255.255.255,Japan,,text/html,0,,,1,"
    "\"Mozilla/5.0 (Windows NT 10.0)\",,,\"http://ref.example/\",,,,0,0,0,0,0,,pa-fw01,,,,get";

TEST(DeviceFormats, PaloAltoTraffic) {
  EXPECT_EQ(detected({kPanTraffic, kPanThreatUrl, kPanTraffic}), "paloalto");
  auto p = parse_with(logs::paloalto_format(), kPanTraffic);
  ASSERT_EQ(p.status, LineStatus::kEvent) << p.error;
  EXPECT_EQ(p.iso(), "2024-01-01T18:04:05Z");  // Generated Time at +09:00
  expect_fields(p,
                "log_type=TRAFFIC; src_ip=10.0.0.5; dst_ip=93.184.216.34; nat_src_ip=198.51.100.2; src_port=51234; "
                "dst_port=443; protocol=tcp; action=allow; user=corp\\alice; application=ssl; rule=allow-web; "
                "in_interface=ethernet1/2; cs-bytes=2228; sc-bytes=5084; duration=30; category=business-and-economy; "
                "session_end_reason=tcp-fin; syslog_host=pa-fw01");
}

TEST(DeviceFormats, PaloAltoThreatUrlAndErrors) {
  auto p = parse_with(logs::paloalto_format(), kPanThreatUrl);
  ASSERT_EQ(p.status, LineStatus::kEvent) << p.error;
  expect_fields(
      p,
      "log_subtype=url; c-uri=evil.example.com/gate.php?id=7; cs-host=evil.example.com; c-uri-stem=/gate.php; "
      "c-uri-query=id=7; category=command-and-control; direction=client-to-server; content_type=text/html; "
      "c-useragent=Mozilla/5.0 (Windows NT 10.0); cs-referrer=http://ref.example/; cs-method=get; syslog_host=pa-fw01");

  auto short_record = parse_with(logs::paloalto_format(),
                                 "1,2024/01/02 03:05:00,012345678901,TRAFFIC,end,2561,2024/01/02 03:05:00,10.0.0.5");
  EXPECT_EQ(short_record.status, LineStatus::kError);
  auto bad_time = parse_with(logs::paloalto_format(),
                             "1,2024/01/02 03:05:00,012345678901,TRAFFIC,end,2561,2024-01-02T03:05:00,10.0.0.5");
  EXPECT_EQ(bad_time.status, LineStatus::kError);
  auto not_pan = parse_with(logs::paloalto_format(), "hello, world");
  EXPECT_EQ(not_pan.status, LineStatus::kError);
}

// --- Cisco ASA: "Cisco Secure Firewall ASA Series Syslog Messages" and Cisco TAC document 116149
// ("How do you interpret the syslogs generated by the ASA when it builds or tears down connections?").
const std::vector<std::string> kAsa = {
    "Jan  2 03:04:05 asa01 %ASA-6-302013: Built outbound TCP connection 123 for outside:93.184.216.34/443 "
    "(93.184.216.34/443) to inside:10.0.0.5/51234 (198.51.100.2/51234)",
    "Jan  2 03:04:35 asa01 %ASA-6-302014: Teardown TCP connection 123 for outside:93.184.216.34/443 to "
    "inside:10.0.0.5/51234 duration 0:00:30 bytes 1234 TCP FINs",
    "<166>Jan 02 2024 03:04:06: %ASA-4-106023: Deny tcp src outside:203.0.113.9/40000 dst inside:10.0.0.1/3389 "
    "by access-group \"outside_in\" [0x0, 0x0]",
    "Jan  2 03:04:07 asa01 %ASA-6-106100: access-list outside_in denied udp outside/203.0.113.9(53) -> "
    "inside/10.0.0.1(5353) hit-cnt 1 first hit [0x1, 0x2]",
};

TEST(DeviceFormats, CiscoAsaConnections) {
  EXPECT_EQ(detected(kAsa), "cisco-asa");
  auto built = parse_with(logs::cisco_asa_format(), kAsa[0]);
  ASSERT_EQ(built.status, LineStatus::kEvent) << built.error;
  // Outbound: the inside host started it, so the second endpoint is the source.
  expect_fields(built,
                "src_ip=10.0.0.5; src_port=51234; dst_ip=93.184.216.34; dst_port=443; protocol=tcp; action=allow; "
                "connection_state=built; asa_message_id=302013; asa_severity=6; syslog_host=asa01");
  EXPECT_EQ(built.iso(), "2024-01-01T18:04:05Z");

  auto inbound =
      parse_with(logs::cisco_asa_format(),
                 "Jan  2 03:04:05 asa01 %ASA-6-302015: Built inbound UDP connection 9 for "
                 "outside:203.0.113.9/5060 (203.0.113.9/5060) to inside:10.0.0.7/5060 (192.0.2.7/5060) (bob)");
  expect_fields(inbound, "src_ip=203.0.113.9; dst_ip=10.0.0.7; protocol=udp; user=bob");

  auto teardown = parse_with(logs::cisco_asa_format(), kAsa[1]);
  ASSERT_EQ(teardown.status, LineStatus::kEvent);
  // src_ip: the lower port is the server's
  expect_fields(teardown,
                "src_ip=10.0.0.5; dst_ip=93.184.216.34; dst_port=443; duration=0:00:30; bytes=1234; "
                "teardown_reason=TCP FINs; connection_state=teardown");
}

TEST(DeviceFormats, CiscoAsaTeardownFollowsBuilt) {
  // Inbound to a high port: the port rule alone would guess wrong; the Built message decides.
  FileContext file = context();
  auto parser = logs::cisco_asa_format().make_parser(file);
  EventBatch batch;
  std::string error;
  const std::string lines[] = {
      "Jan  2 03:04:05 asa01 %ASA-6-302013: Built inbound TCP connection 77 for outside:203.0.113.9/443 "
      "(203.0.113.9/443) to inside:10.0.0.7/8443 (192.0.2.7/8443)",
      "Jan  2 03:04:09 asa01 %ASA-6-302014: Teardown TCP connection 77 for outside:203.0.113.9/443 to "
      "inside:10.0.0.7/8443 duration 0:00:04 bytes 10 TCP Reset-O"};
  for (const auto& line : lines) {
    batch.begin_event(Timestamp{}, SourceRef{});
    std::size_t at = batch.text_buffer().size();
    batch.text_buffer().append(line);
    logs::LineEvent event(batch, line, static_cast<std::uint32_t>(at));
    ASSERT_EQ(parser->parse(line, event, error), LineStatus::kEvent);
  }
  EXPECT_EQ(batch[1].get(intern_field("src_ip")), "203.0.113.9");
  EXPECT_EQ(batch[1].get(intern_field("dst_ip")), "10.0.0.7");
}

TEST(DeviceFormats, CiscoAsaDeniesAndOthers) {
  auto deny = parse_with(logs::cisco_asa_format(), kAsa[2]);
  ASSERT_EQ(deny.status, LineStatus::kEvent) << deny.error;
  EXPECT_EQ(deny.iso(), "2024-01-01T18:04:06Z");  // the ASA's own stamp, with its year
  expect_fields(deny,
                "action=deny; src_ip=203.0.113.9; dst_ip=10.0.0.1; dst_port=3389; acl=outside_in; asa_severity=4");

  auto acl = parse_with(logs::cisco_asa_format(), kAsa[3]);
  expect_fields(acl, "action=deny; src_port=53; dst_ip=10.0.0.1; dst_port=5353; protocol=udp");

  auto inbound_deny = parse_with(logs::cisco_asa_format(),
                                 "Jan  2 03:04:05 asa01 %ASA-2-106006: Deny inbound UDP from 203.0.113.9/137 to "
                                 "192.0.2.1/137 on interface outside");
  expect_fields(inbound_deny, "action=deny; src_ip=203.0.113.9; dst_port=137; in_interface=outside");

  // Device-id after the ASA's stamp; an unknown message id is still an event.
  auto other = parse_with(logs::cisco_asa_format(),
                          "Jan 02 2024 03:04:05 asa01 : %ASA-6-113004: AAA user authentication Successful : "
                          "server = 10.0.0.2 : user = alice");
  ASSERT_EQ(other.status, LineStatus::kEvent);
  expect_fields(other,
                "asa_message_id=113004; user=alice; syslog_host=asa01; message=AAA user authentication Successful : "
                "server = 10.0.0.2 : user = alice");

  EXPECT_EQ(parse_with(logs::cisco_asa_format(), "Jan  2 03:04:05 asa01 no asa message here").status,
            LineStatus::kError);
  EXPECT_EQ(parse_with(logs::cisco_asa_format(), "%ASA-6-302013: Built without a time").status, LineStatus::kError);
}

// --- BIND 9: ISC, "BIND 9 Administrator Reference Manual", logging category "queries".
const std::vector<std::string> kBind = {
    "02-Jan-2024 03:04:05.678 queries: info: client @0x7f3a2c0d1e20 192.0.2.10#53212 (www.example.com): "
    "query: www.example.com IN A +E(0)K (192.0.2.1)",
    "02-Jan-2024 03:04:06.001 queries: info: client @0x7f3a2c0d1e20 2001:db8::10#40001 (example.org): "
    "view internal: query: example.org IN AAAA -EDC (2001:db8::1)",
    "Jan  2 03:04:07 ns1 named[812]: client 192.0.2.11#1053: query: mail.example.com IN MX + (192.0.2.1)",
};

TEST(DeviceFormats, BindQueryLog) {
  EXPECT_EQ(detected(kBind), "bind-query");
  auto p = parse_with(logs::bind_query_format(), kBind[0]);
  ASSERT_EQ(p.status, LineStatus::kEvent) << p.error;
  expect_fields(p,
                "query=www.example.com; record_type=A; query_class=IN; query_flags=+E(0)K; src_ip=192.0.2.10; "
                "src_port=53212; dst_ip=192.0.2.1");
  EXPECT_EQ(to_iso8601(p.time, 3), "2024-01-01T18:04:05.678Z");

  auto v6 = parse_with(logs::bind_query_format(), kBind[1]);
  expect_fields(v6, "src_ip=2001:db8::10; dns_view=internal; record_type=AAAA");
  auto old = parse_with(logs::bind_query_format(), kBind[2]);
  ASSERT_EQ(old.status, LineStatus::kEvent) << old.error;
  expect_fields(old, "src_port=1053; query=mail.example.com; syslog_host=ns1");

  auto other =
      parse_with(logs::bind_query_format(), "02-Jan-2024 03:04:05.678 general: info: zone example.com/IN: loaded");
  EXPECT_EQ(other.status, LineStatus::kEvent);
  EXPECT_EQ(parse_with(logs::bind_query_format(), "02-Jan-2024 03:04:05.678 client garbage: query: x IN A").status,
            LineStatus::kError);
  EXPECT_EQ(parse_with(logs::bind_query_format(), "not a bind line").status, LineStatus::kError);
}

// --- Windows DNS debug log: the "Message logging key" dns.log starts with, and Microsoft, "DNS
// Logging and Diagnostics" (debug logging).
const std::vector<std::string> kWindowsDnsHeader = {
    "DNS Server log file creation at 1/2/2024 3:00:00 PM",
    "Log file wrap at 1/2/2024 3:00:00 PM",
    "Message logging key (for packets - other items use a subset of these fields):",
    "\tField #  Information         Values",
    "\t   1     Date",
};
const std::string kDnsQuery =
    "1/2/2024 3:04:05 PM 0E2C PACKET  000000C1D3F9A170 UDP Rcv 192.168.1.10    d3c5   Q [0001   D   NOERROR] A      "
    "(3)www(7)example(3)com(0)";
const std::string kDnsResponse =
    "1/2/2024 3:04:05 PM 0E2C PACKET  000000C1D3F9A170 UDP Snd 192.168.1.10    d3c5 R Q [8081   DR  NXDOMAIN] AAAA   "
    "(4)evil(7)example(3)net(0)";

TEST(DeviceFormats, WindowsDnsDebugLog) {
  auto lines = kWindowsDnsHeader;
  lines.push_back(kDnsQuery);
  EXPECT_EQ(detected(lines), "windows-dns");
  EXPECT_EQ(detected({kDnsQuery, kDnsResponse, kDnsQuery}), "windows-dns");

  auto q = parse_with(logs::windows_dns_format(), kDnsQuery);
  ASSERT_EQ(q.status, LineStatus::kEvent) << q.error;
  EXPECT_EQ(q.iso(), "2024-01-02T06:04:05Z");  // 3:04:05 PM at +09:00
  expect_fields(q,
                "query=www.example.com; record_type=A; src_ip=192.168.1.10; dns_direction=Rcv; dns_message_type=query; "
                "dns_opcode=Q; dns_flags=0001; dns_flag_chars=D; rcode=NOERROR; protocol=udp");

  auto r = parse_with(logs::windows_dns_format(), kDnsResponse);
  ASSERT_EQ(r.status, LineStatus::kEvent) << r.error;
  // src_ip: we answer the client: it is still the asker
  expect_fields(
      r, "dns_message_type=response; src_ip=192.168.1.10; rcode=NXDOMAIN; dns_flag_chars=DR; query=evil.example.net");

  // Forwarding: the server asks another server, which is the destination.
  auto fwd = parse_with(logs::windows_dns_format(),
                        "2024/01/02 15:04:05 0BE4 PACKET  000000149B80B390 UDP Snd 8.8.8.8         ccfb   Q "
                        "[0001   D   NOERROR] A      (6)google(3)com(0)");
  ASSERT_EQ(fwd.status, LineStatus::kEvent) << fwd.error;
  EXPECT_EQ(fwd.get("dst_ip"), "8.8.8.8");
  EXPECT_EQ(fwd.iso(), "2024-01-02T06:04:05Z");  // ja-JP layout, 24-hour
  auto h24 = parse_with(logs::windows_dns_format(), "1/2/2024 15:04:05 0E2C EVENT   The DNS server has started.");
  EXPECT_EQ(h24.iso(), "2024-01-02T06:04:05Z");
  EXPECT_EQ(h24.get("message"), "The DNS server has started.");
  auto midnight = parse_with(logs::windows_dns_format(), "1/2/2024 12:00:01 AM 0E2C EVENT x");
  EXPECT_EQ(midnight.iso(), "2024-01-01T15:00:01Z");

  for (const auto& header : kWindowsDnsHeader) {
    EXPECT_EQ(parse_with(logs::windows_dns_format(), header).status, LineStatus::kSkipped) << header;
  }
  EXPECT_EQ(parse_with(logs::windows_dns_format(), "1/2/2024 3:04:05 PM 0E2C PACKET  000000C1D3F9A170 UDP").status,
            LineStatus::kError);
  EXPECT_EQ(parse_with(logs::windows_dns_format(), "13/45/2024 3:04:05 PM 0E2C PACKET  0001 UDP Rcv").status,
            LineStatus::kError);
}

// --- dnsmasq: man page (--log-queries) and src/cache.c log_query().
const std::vector<std::string> kDnsmasq = {
    "Jan  2 03:04:05 router dnsmasq[1234]: query[A] www.example.com from 192.168.1.10",
    "Jan  2 03:04:05 router dnsmasq[1234]: forwarded www.example.com to 8.8.8.8",
    "Jan  2 03:04:05 router dnsmasq[1234]: reply www.example.com is 93.184.216.34",
    "Jan  2 03:04:06 router dnsmasq[1234]: cached www.example.com is 93.184.216.34",
    "Jan  2 03:04:07 router dnsmasq[1234]: config bad.example is NXDOMAIN",
};

TEST(DeviceFormats, Dnsmasq) {
  EXPECT_EQ(detected(kDnsmasq), "dnsmasq");
  auto q = parse_with(logs::dnsmasq_format(), kDnsmasq[0]);
  ASSERT_EQ(q.status, LineStatus::kEvent) << q.error;
  expect_fields(q, "action=query; record_type=A; query=www.example.com; src_ip=192.168.1.10; program=dnsmasq");
  EXPECT_EQ(q.iso(), "2024-01-01T18:04:05Z");
  auto fwd = parse_with(logs::dnsmasq_format(), kDnsmasq[1]);
  EXPECT_EQ(fwd.get("dst_ip"), "8.8.8.8");
  auto reply = parse_with(logs::dnsmasq_format(), kDnsmasq[2]);
  EXPECT_EQ(reply.get("action"), "reply");
  EXPECT_EQ(reply.get("answer"), "93.184.216.34");
  auto nx = parse_with(logs::dnsmasq_format(), kDnsmasq[4]);
  EXPECT_EQ(nx.get("answer"), "NXDOMAIN");
  EXPECT_EQ(nx.get("rcode"), "NXDOMAIN");
  // log-queries=extra, and dnsmasq's own log file (no host in the header).
  auto extra =
      parse_with(logs::dnsmasq_format(),
                 "Jan  2 03:04:05 dnsmasq[1234]: 17 192.168.1.10/53211 query[AAAA] a.example from 192.168.1.10");
  ASSERT_EQ(extra.status, LineStatus::kEvent);
  EXPECT_EQ(extra.count("src_ip"), 1U);
  EXPECT_EQ(extra.get("src_port"), "53211");
  EXPECT_EQ(extra.get("query_serial"), "17");
  EXPECT_EQ(extra.count("syslog_host"), 0U);
  EXPECT_EQ(extra.get("program"), "dnsmasq");
  auto dhcp = parse_with(logs::dnsmasq_format(),
                         "Jan  2 03:04:05 router dnsmasq-dhcp[1234]: DHCPACK(br0) 192.168.1.50 00:11:22:33:44:55 pc01");
  expect_fields(dhcp, "action=DHCPACK; src_ip=192.168.1.50; mac=00:11:22:33:44:55; hostname=pc01");
  auto other = parse_with(logs::dnsmasq_format(), "Jan  2 03:04:05 router dnsmasq[1234]: started, version 2.89");
  EXPECT_EQ(other.status, LineStatus::kEvent);
  EXPECT_EQ(other.get("message"), "started, version 2.89");
  EXPECT_EQ(parse_with(logs::dnsmasq_format(), "query[A] x from y").status, LineStatus::kError);
}

// --- ISC dhcpd: the messages of server/dhcp.c (dhcpdiscover, dhcprequest, dhcprelease, dhcpinform).
const std::vector<std::string> kDhcpd = {
    "Jan  2 03:04:05 dhcp1 dhcpd[987]: DHCPDISCOVER from 00:11:22:33:44:55 (pc01) via eth0",
    "Jan  2 03:04:05 dhcp1 dhcpd[987]: DHCPOFFER on 192.168.1.50 to 00:11:22:33:44:55 (pc01) via eth0",
    "Jan  2 03:04:05 dhcp1 dhcpd[987]: DHCPREQUEST for 192.168.1.50 (192.168.1.1) from 00:11:22:33:44:55 (pc01) via "
    "eth0",
    "Jan  2 03:04:05 dhcp1 dhcpd[987]: DHCPACK on 192.168.1.50 to 00:11:22:33:44:55 (pc01) via eth0",
};

TEST(DeviceFormats, IscDhcpd) {
  EXPECT_EQ(detected(kDhcpd), "isc-dhcpd");
  auto ack = parse_with(logs::isc_dhcpd_format(), kDhcpd[3]);
  ASSERT_EQ(ack.status, LineStatus::kEvent) << ack.error;
  expect_fields(ack, "action=DHCPACK; src_ip=192.168.1.50; mac=00:11:22:33:44:55; hostname=pc01; dhcp_via=eth0");
  EXPECT_EQ(ack.iso(), "2024-01-01T18:04:05Z");
  auto request = parse_with(logs::isc_dhcpd_format(), kDhcpd[2]);
  expect_fields(request, "src_ip=192.168.1.50; dhcp_server=192.168.1.1; hostname=pc01");
  auto discover = parse_with(logs::isc_dhcpd_format(), kDhcpd[0]);
  EXPECT_EQ(discover.count("src_ip"), 0U);
  EXPECT_EQ(discover.get("mac"), "00:11:22:33:44:55");
  auto release = parse_with(logs::isc_dhcpd_format(),
                            "Jan  2 03:04:05 dhcp1 dhcpd[987]: DHCPRELEASE of 192.168.1.50 from 00:11:22:33:44:55 "
                            "(pc01) via eth0 (found)");
  expect_fields(release, "action=DHCPRELEASE; src_ip=192.168.1.50; hostname=pc01");
  auto inform =
      parse_with(logs::isc_dhcpd_format(), "Jan  2 03:04:05 dhcp1 dhcpd[987]: DHCPINFORM from 192.168.1.60 via eth0");
  EXPECT_EQ(inform.get("src_ip"), "192.168.1.60");
  auto none = parse_with(logs::isc_dhcpd_format(),
                         "Jan  2 03:04:05 dhcp1 dhcpd[987]: DHCPDISCOVER from 00:11:22:33:44:66 via eth1: network "
                         "10.9.0.0/24: no free leases");
  EXPECT_EQ(none.get("dhcp_via"), "eth1");
  EXPECT_EQ(none.get("message"), "network 10.9.0.0/24: no free leases");
  auto other =
      parse_with(logs::isc_dhcpd_format(), "Jan  2 03:04:05 dhcp1 dhcpd[987]: Wrote 12 leases to leases file.");
  EXPECT_EQ(other.status, LineStatus::kEvent);
  EXPECT_EQ(other.get("message"), "Wrote 12 leases to leases file.");
  EXPECT_EQ(parse_with(logs::isc_dhcpd_format(), "DHCPACK on 1.2.3.4").status, LineStatus::kError);
}

// --- Windows DHCP audit log: Microsoft, "DHCP Audit Logging" and the header the server writes.
const std::vector<std::string> kWindowsDhcp = {
    "\t\tMicrosoft DHCP Service Activity Log",
    "Event ID  Meaning",
    "00\tThe log was started.",
    "10\tA new IP address was leased to a client.",
    "ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, QResult,Probationtime, "
    "CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),UserClass(ASCII),RelayAgentInformation,"
    "DnsRegError.",
    "00,01/02/24,03:00:00,Started,,,,,0,6,,,,,,,,,0",
    "10,01/02/24,03:04:05,Assign,192.168.1.50,pc01.corp.local,001122334455,,2836471234,0,,,,0x4D53465420352E30,"
    "MSFT 5.0,,,,0",
    "11,01/02/24,15:04:05,Renew,192.168.1.50,pc01.corp.local,001122334455,CORP\\alice,2836471299,0,,,,,,,,,0",
};

TEST(DeviceFormats, WindowsDhcpAuditLog) {
  EXPECT_EQ(detected(kWindowsDhcp), "windows-dhcp");
  EXPECT_EQ(detected({kWindowsDhcp[6], kWindowsDhcp[7], kWindowsDhcp[5]}), "windows-dhcp");
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(parse_with(logs::windows_dhcp_format(), kWindowsDhcp[i]).status, LineStatus::kSkipped) << i;
  }
  auto assign = parse_with(logs::windows_dhcp_format(), kWindowsDhcp[6]);
  ASSERT_EQ(assign.status, LineStatus::kEvent) << assign.error;
  EXPECT_EQ(assign.iso(), "2024-01-01T18:04:05Z");
  expect_fields(assign,
                "dhcp_event_id=10; action=Assign; src_ip=192.168.1.50; hostname=pc01.corp.local; "
                "mac=00:11:22:33:44:55; dhcp_vendor_class=MSFT 5.0; dhcp_transaction_id=2836471234");
  EXPECT_EQ(assign.count("user"), 0U);
  auto renew = parse_with(logs::windows_dhcp_format(), kWindowsDhcp[7]);
  EXPECT_EQ(renew.get("user"), "CORP\\alice");
  EXPECT_EQ(renew.iso(), "2024-01-02T06:04:05Z");
  EXPECT_EQ(parse_with(logs::windows_dhcp_format(), "10,01/02/24,25:04:05,Assign,192.168.1.50,pc,00").status,
            LineStatus::kError);
  EXPECT_EQ(parse_with(logs::windows_dhcp_format(), "10,garbage").status, LineStatus::kError);
}

// The device formats must not take each other's files, nor plain syslog.
TEST(DeviceFormats, DetectionDoesNotOverreach) {
  EXPECT_NE(detected({"Jan  2 03:04:05 host sshd[1]: Accepted password for bob from 10.0.0.1 port 22 ssh2",
                      "Jan  2 03:04:06 host CRON[2]: (root) CMD (true)",
                      "Jan  2 03:04:07 host systemd[1]: Started Session 1 of user bob."}),
            "iptables");
  const std::vector<std::vector<std::string>> samples = {kIptables, kFortigate, kAsa,        kBind,
                                                         kDnsmasq,  kDhcpd,     kWindowsDhcp};
  const std::vector<std::string> names = {"iptables", "fortigate", "cisco-asa",   "bind-query",
                                          "dnsmasq",  "isc-dhcpd", "windows-dhcp"};
  for (std::size_t i = 0; i < samples.size(); ++i) {
    std::vector<std::string_view> head(samples[i].begin(), samples[i].end());
    for (const logs::LogFormat* f :
         {&logs::iptables_format(), &logs::fortigate_format(), &logs::paloalto_format(), &logs::cisco_asa_format(),
          &logs::bind_query_format(), &logs::windows_dns_format(), &logs::dnsmasq_format(), &logs::isc_dhcpd_format(),
          &logs::windows_dhcp_format()}) {
      if (f->name() == names[i]) {
        EXPECT_GE(f->detect(head), 60) << names[i];
      } else {
        EXPECT_EQ(f->detect(head), 0) << f->name() << " claims " << names[i];
      }
    }
  }
}

}  // namespace
}  // namespace ashiato
