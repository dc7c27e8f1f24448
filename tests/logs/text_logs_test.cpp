// Text log readers on real data: Squid samples, Zeek TSV vs JSON of the same capture, syslog year
// inference, compression, and the documented W3C / Apache layouts.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>

#include <fstream>
#include <sstream>

#include "logs/text_log_reader.h"
#include "test_support.h"
#include "text_log_capture.h"

namespace ashiato {
namespace {

using test::capture_text_log;
using test::CapturedLog;

std::vector<std::string> split_ws(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> t;
  for (std::string s; in >> s;) t.push_back(s);
  return t;
}

std::vector<std::string> nonempty_lines(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) {
    if (!l.empty()) lines.push_back(l);
  }
  return lines;
}

TEST(TextLogs, SquidSamplesReadCompletely) {
  const auto dir = test::corpus("network/squid");
  int files = 0;
  for (const auto& p : test::files_under(dir, ".log")) {
    SCOPED_TRACE(p.string());
    CapturedLog log;
    capture_text_log(p.string(), log);
    EXPECT_EQ(log.stats.format, "squid");
    EXPECT_EQ(log.stats.bad_lines, 0U);
    const auto lines = nonempty_lines(p);
    ASSERT_EQ(log.events.size(), lines.size());
    // Every line's client, status and method, split here by whitespace (no quoting in these columns).
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const auto t = split_ws(lines[i]);
      const std::size_t k = t[3].find('/') != std::string::npos ? 3 : 4;  // extended layouts add the client port
      EXPECT_EQ(log.events[i].get("src_ip"), t[2]);
      EXPECT_EQ(log.events[i].get("sc-status"), t[k].substr(t[k].find('/') + 1));
      EXPECT_EQ(log.events[i].get("sc-bytes"), t[k + 1]);
      if (HasFailure()) return;
    }
    ++files;
  }
  EXPECT_GE(files, 3);
}

TEST(TextLogs, SquidFieldsOfTheFirstLine) {
  CapturedLog log;
  capture_text_log(test::corpus("network/squid/access1_secrepo_first100.log").string(), log);
  ASSERT_FALSE(log.events.empty());
  const auto& e = log.events[0];
  // 1157689312.049   5006 10.105.21.199 TCP_MISS/200 19763 CONNECT login.yahoo.com:443 badeyek DIRECT/209.73.177.115 -
  EXPECT_EQ(to_iso8601(e.time, 3), "2006-09-08T04:21:52.049Z");
  EXPECT_EQ(e.get("cs-method"), "CONNECT");
  EXPECT_EQ(e.get("cs-host"), "login.yahoo.com");
  EXPECT_EQ(e.get("dst_port"), "443");
  EXPECT_EQ(e.get("user"), "badeyek");
  EXPECT_EQ(e.get("dst_ip"), "209.73.177.115");
  EXPECT_EQ(e.get("Channel"), "proxy");
  EXPECT_EQ(e.get("_raw").substr(0, 14), "1157689312.049");
}

TEST(TextLogs, SquidExtendedLayoutQuotedHeaders) {
  CapturedLog log;
  capture_text_log(test::corpus("network/squid/test-access-extensive.log").string(), log);
  ASSERT_FALSE(log.events.empty());
  const auto& e = log.events[0];
  EXPECT_EQ(e.get("src_port"), "58938");
  EXPECT_EQ(e.get("c-uri"), "http://example.com/");
  EXPECT_EQ(e.get("cs-host"), "example.com");
  EXPECT_EQ(e.get("cs-version"), "1.1");
  EXPECT_EQ(e.get("user"), "badeyek");
  EXPECT_EQ(e.get("dst_ip"), "203.0.113.10");
  EXPECT_EQ(e.get("c-useragent"), "curl/8.14.1");
}

// The same capture written by Zeek as TSV and as JSON must give the same events.
TEST(TextLogs, ZeekTsvAndJsonGiveTheSameEvents) {
  const auto tsv_dir = test::corpus("network/zed-sample-data/zeek-default");
  const auto json_dir = test::corpus("network/zed-sample-data/zeek-json");
  int compared = 0;
  std::uint64_t events = 0;
  for (const auto& tsv : test::files_under(tsv_dir, ".gz")) {
    const std::string type = tsv.filename().string().substr(0, tsv.filename().string().find('.'));
    const auto json = json_dir / (type + ".json.gz");
    if (!std::filesystem::exists(json)) continue;
    SCOPED_TRACE(type);
    CapturedLog a, b;
    capture_text_log(tsv.string(), a);
    capture_text_log(json.string(), b);
    EXPECT_EQ(a.stats.format, "zeek");
    EXPECT_EQ(b.stats.format, "zeek-json");
    EXPECT_EQ(a.stats.bad_lines, 0U);
    EXPECT_EQ(b.stats.bad_lines, 0U);
    ASSERT_EQ(a.events.size(), b.events.size());
    for (std::size_t i = 0; i < a.events.size(); ++i) {
      const auto& x = a.events[i];
      const auto& y = b.events[i];
      EXPECT_EQ(x.time, y.time) << "event " << i;
      for (const char* f :
           {"uid", "src_ip", "src_port", "dst_ip", "dst_port", "query", "cs-host", "c-uri", "c-useragent", "_path"}) {
        EXPECT_EQ(x.all(f), y.all(f)) << "event " << i << " field " << f;
      }
      EXPECT_EQ(x.all("answer"), y.all("answer")) << "event " << i;
      if (HasFailure()) return;
    }
    events += a.events.size();
    ++compared;
  }
  EXPECT_GE(compared, 25);
  EXPECT_GT(events, 100000U);
}

void write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

void set_mtime(const std::filesystem::path& p, std::int64_t unix_seconds) {
  struct utimbuf t {
    static_cast<time_t>(unix_seconds), static_cast<time_t>(unix_seconds)
  };
  ASSERT_EQ(utime(p.c_str(), &t), 0);
}

TEST(TextLogs, SyslogYearComesFromTheFileAndWrapsAtNewYear) {
  const auto dir = test::temp_dir();
  const auto p = dir / "messages";
  write_file(p,
             "Dec 31 23:59:58 gw kernel: first\n"
             "Jan  1 00:00:02 gw kernel: second\n");
  set_mtime(p, 1735776000);  // 2025-01-02T00:00:00Z
  const auto clock = logs::LogClock::utc();
  logs::TextReadOptions options;
  options.clock = &clock;
  CapturedLog log;
  capture_text_log(p.string(), log, options);
  ASSERT_EQ(log.events.size(), 2U);
  EXPECT_EQ(to_iso8601(log.events[0].time, 0), "2024-12-31T23:59:58Z");
  EXPECT_EQ(to_iso8601(log.events[1].time, 0), "2025-01-01T00:00:02Z");
  EXPECT_EQ(log.events[0].get("syslog_host"), "gw");
  EXPECT_EQ(log.events[0].get("program"), "kernel");
}

TEST(TextLogs, LocalTimesUseTheNamedZone) {
  const auto dir = test::temp_dir();
  const auto p = dir / "messages";
  write_file(p, "Jun 14 15:16:01 combo sshd[19939]: hello\n");
  set_mtime(p, 1718409600);  // 2024-06-15
  const auto clock = logs::LogClock::parse("+09:00");
  logs::TextReadOptions options;
  options.clock = &clock;
  CapturedLog log;
  capture_text_log(p.string(), log, options);
  ASSERT_EQ(log.events.size(), 1U);
  EXPECT_EQ(to_iso8601(log.events[0].time, 0), "2024-06-14T06:16:01Z");
  EXPECT_EQ(log.events[0].get("pid"), "19939");
}

TEST(TextLogs, CompressedFilesReadLikePlainOnes) {
  const auto dir = test::temp_dir();
  const auto src = test::corpus("network/squid/access1_secrepo_first100.log");
  const auto plain = dir / "access.log";
  std::filesystem::copy_file(src, plain);
  std::string out;
  ASSERT_EQ(test::run_command("cd '" + dir.string() + "' && gzip -k access.log && bzip2 -k access.log && " +
                                  "zstd -q -k access.log && cat access.log.gz access.log.gz > twice.log.gz",
                              out),
            0);
  CapturedLog reference;
  capture_text_log(plain.string(), reference);
  ASSERT_EQ(reference.events.size(), 100U);
  for (const char* name : {"access.log.gz", "access.log.bz2", "access.log.zst"}) {
    SCOPED_TRACE(name);
    CapturedLog log;
    capture_text_log((dir / name).string(), log);
    EXPECT_EQ(log.stats.format, "squid");
    ASSERT_EQ(log.events.size(), reference.events.size());
    EXPECT_EQ(log.events.back().fields, reference.events.back().fields);
    EXPECT_EQ(log.diagnostics.errors(), 0U);
  }
  CapturedLog twice;  // concatenated gzip members are one stream
  capture_text_log((dir / "twice.log.gz").string(), twice);
  EXPECT_EQ(twice.events.size(), 200U);
  // A truncated compressed file: what was read stays, and the truncation is reported.
  const std::string gz = test::read_file(dir / "access.log.gz");
  write_file(dir / "cut.log.gz", gz.substr(0, gz.size() / 2));
  CapturedLog cut;
  capture_text_log((dir / "cut.log.gz").string(), cut);
  EXPECT_GT(cut.events.size(), 10U);
  EXPECT_LT(cut.events.size(), 100U);
  EXPECT_EQ(cut.diagnostics.errors(), 1U);
  const auto cut_problems = cut.diagnostics.kept();
  ASSERT_FALSE(cut_problems.empty());
  EXPECT_NE(cut_problems[0].reason.find("truncated"), std::string::npos);
}

// Compressed data that breaks before its first line is an input error (it once passed as an
// "empty file" warning and exit status 0, even with --strict).
TEST(TextLogs, CompressedInputThatFailsBeforeItsFirstByteIsAnError) {
  const auto dir = test::temp_dir();
  std::filesystem::copy_file(test::corpus("network/squid/access1_secrepo_first100.log"), dir / "access.log");
  std::string out;
  ASSERT_EQ(test::run_command("cd '" + dir.string() + "' && gzip -k access.log && bzip2 -k access.log", out), 0);
  write_file(dir / "cut20.log.gz", test::read_file(dir / "access.log.gz").substr(0, 20));
  std::string bz2 = test::read_file(dir / "access.log.bz2");
  bz2[bz2.size() / 2] = static_cast<char>(bz2[bz2.size() / 2] ^ 0x55);  // inside the one block
  write_file(dir / "broken.log.bz2", bz2);
  for (const char* name : {"cut20.log.gz", "broken.log.bz2"}) {
    SCOPED_TRACE(name);
    CapturedLog log;
    capture_text_log((dir / name).string(), log);
    EXPECT_TRUE(log.events.empty());
    EXPECT_EQ(log.diagnostics.errors(), 1U);
    const auto problems = log.diagnostics.kept();
    ASSERT_EQ(problems.size(), 1U);
    EXPECT_FALSE(problems[0].warning);
    EXPECT_EQ(problems[0].reason.find("empty"), std::string::npos) << problems[0].reason;
    EXPECT_NE(problems[0].reason.find(std::string(name).ends_with(".gz") ? "gzip" : "bzip2"), std::string::npos)
        << problems[0].reason;
  }
}

// Blue Coat ProxySG's default ELFF layout ("bcreportermain_v1", ProxySG Log Formats reference).
TEST(TextLogs, ProxySgElffLayout) {
  const auto dir = test::temp_dir();
  const auto p = dir / "SG_main.log";
  write_file(p,
             "#Software: SGOS 6.7.4.1\n"
             "#Version: 1.0\n"
             "#Date: 2024-01-02 03:04:05\n"
             "#Fields: date time time-taken c-ip cs-username cs-auth-group x-exception-id sc-filter-result "
             "cs-categories cs(Referer) sc-status s-action cs-method rs(Content-Type) cs-uri-scheme cs-host "
             "cs-uri-port cs-uri-path cs-uri-query cs-uri-extension cs(User-Agent) s-ip sc-bytes cs-bytes "
             "x-virus-id\n"
             "2024-01-02 03:04:05 120 10.1.2.3 CORP\\alice - - OBSERVED \"Technology/Internet\" - 200 TCP_NC_MISS "
             "GET text/html http www.evil.example 80 /index.php ?id=1 php \"Mozilla/4.0 (compatible; MSIE 7.0)\" "
             "10.0.0.1 5120 320 -\n");
  CapturedLog log;
  capture_text_log(p.string(), log);
  EXPECT_EQ(log.stats.format, "w3c");
  ASSERT_EQ(log.events.size(), 1U);
  const auto& e = log.events[0];
  EXPECT_EQ(to_iso8601(e.time, 0), "2024-01-02T03:04:05Z");
  EXPECT_EQ(e.get("src_ip"), "10.1.2.3");
  EXPECT_EQ(e.get("user"), "CORP\\alice");
  EXPECT_EQ(e.get("cs-host"), "www.evil.example");
  EXPECT_EQ(e.get("c-uri-stem"), "/index.php");
  EXPECT_EQ(e.get("c-uri-query"), "id=1");
  EXPECT_EQ(e.get("c-uri"), "/index.php?id=1");
  EXPECT_EQ(e.get("c-useragent"), "Mozilla/4.0 (compatible; MSIE 7.0)");
  EXPECT_EQ(e.get("sc-status"), "200");
  EXPECT_EQ(e.get("action"), "OBSERVED");
  EXPECT_EQ(e.get("Channel"), "proxy");
}

// IIS's W3C layout, with a #Fields change in the middle as after a restart.
TEST(TextLogs, IisFieldsMayChangeMidFile) {
  const auto dir = test::temp_dir();
  const auto p = dir / "u_ex240102.log";
  write_file(p,
             "#Software: Microsoft Internet Information Services 10.0\n"
             "#Version: 1.0\n"
             "#Date: 2024-01-02 00:00:00\n"
             "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username c-ip cs(User-Agent) "
             "sc-status\n"
             "2024-01-02 00:00:01 192.0.2.5 GET /owa/auth.owa - 443 - 198.51.100.7 Mozilla/5.0+(Windows+NT) 200\n"
             "#Fields: date time c-ip cs-method cs-uri-stem sc-status\n"
             "2024-01-02 00:00:02 198.51.100.8 POST /aspnet_client/shell.aspx 200\n");
  CapturedLog log;
  capture_text_log(p.string(), log);
  EXPECT_EQ(log.stats.format, "iis");
  ASSERT_EQ(log.events.size(), 2U);
  EXPECT_EQ(log.events[0].get("cs-uri-stem"), "/owa/auth.owa");
  EXPECT_EQ(log.events[0].get("dst_ip"), "192.0.2.5");
  EXPECT_EQ(log.events[0].get("cs-user-agent"), "Mozilla/5.0+(Windows+NT)");
  EXPECT_EQ(log.events[1].get("c-ip"), "198.51.100.8");
  EXPECT_EQ(log.events[1].get("cs-method"), "POST");
  EXPECT_EQ(log.events[1].get("Channel"), "webserver");
}

// The example line of Apache's "Log Files" documentation (combined format).
TEST(TextLogs, ApacheCombinedDocumentationExample) {
  const auto dir = test::temp_dir();
  const auto p = dir / "access_log";
  write_file(p,
             "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif?a=1 HTTP/1.0\" 200 2326 "
             "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"\n");
  CapturedLog log;
  capture_text_log(p.string(), log);
  EXPECT_EQ(log.stats.format, "apache");
  ASSERT_EQ(log.events.size(), 1U);
  const auto& e = log.events[0];
  EXPECT_EQ(to_iso8601(e.time, 0), "2000-10-10T20:55:36Z");
  EXPECT_EQ(e.get("user"), "frank");
  EXPECT_EQ(e.get("cs-uri-stem"), "/apache_pb.gif");
  EXPECT_EQ(e.get("cs-uri-query"), "a=1");
  EXPECT_EQ(e.get("cs-user-agent"), "Mozilla/4.08 [en] (Win98; I ;Nav)");
  EXPECT_EQ(e.get("cs-referer"), "http://www.example.com/start.html");
}

TEST(TextLogs, UnknownFormatNamesTheFileAndTheFormatsTried) {
  CapturedLog log;
  capture_text_log(test::corpus("network/zed-sample-data/README.md").string(), log);
  EXPECT_EQ(log.stats.format, "");
  ASSERT_EQ(log.diagnostics.errors(), 1U);
  const auto kept = log.diagnostics.kept();
  const auto& p = kept[0];
  EXPECT_NE(p.file.find("README.md"), std::string::npos);
  EXPECT_NE(p.reason.find("unknown log format"), std::string::npos);
  EXPECT_NE(p.reason.find("squid"), std::string::npos);
}

TEST(TextLogs, BadLinesAreCountedAndTheFirstReported) {
  const auto dir = test::temp_dir();
  const auto p = dir / "access.log";
  std::string text;
  for (int i = 0; i < 20; ++i)
    text += "1157689312.049 5006 10.105.21.199 TCP_MISS/200 19763 GET http://a.example/ - DIRECT/1.2.3.4 -\n";
  for (int i = 0; i < 8; ++i) text += "garbage line " + std::to_string(i) + "\n";
  write_file(p, text);
  CapturedLog log;
  capture_text_log(p.string(), log);
  EXPECT_EQ(log.stats.events, 20U);
  EXPECT_EQ(log.stats.bad_lines, 8U);
  const auto kept = log.diagnostics.kept();
  ASSERT_EQ(kept.size(), 6U);  // five examples and the count of the rest
  EXPECT_EQ(kept[0].where, "line 21");
  EXPECT_NE(kept[5].reason.find("8 in all"), std::string::npos);
}

// Found by fuzzing: an empty "#set_separator" split every set value at each byte, without end.
// Zeek's default (",") stands instead: a real dns.log reads the same with that line emptied.
TEST(TextLogs, ZeekEmptySetSeparatorKeepsTheDefault) {
  const auto dir = test::temp_dir();
  const auto src = test::corpus("network/zed-sample-data/zeek-default/dns.log.gz");
  std::string out;
  ASSERT_EQ(test::run_command("zcat '" + src.string() + "' | head -200 > '" + (dir / "dns.log").string() +
                                  "' && sed 's/^#set_separator\t,$/#set_separator\t/' '" + (dir / "dns.log").string() +
                                  "' > '" + (dir / "dns-empty-set-separator.log").string() + "'",
                              out),
            0);
  CapturedLog reference, emptied;
  capture_text_log((dir / "dns.log").string(), reference);
  capture_text_log((dir / "dns-empty-set-separator.log").string(), emptied);
  ASSERT_GT(reference.events.size(), 150U);
  EXPECT_EQ(emptied.stats.format, "zeek");
  EXPECT_EQ(emptied.diagnostics.errors(), 0U);
  ASSERT_EQ(emptied.events.size(), reference.events.size());
  std::size_t split_sets = 0;
  for (std::size_t i = 0; i < reference.events.size(); ++i) {
    EXPECT_EQ(emptied.events[i].fields, reference.events[i].fields) << "event " << i;
    split_sets += reference.events[i].all("answers").size() > 1 ? 1 : 0;
  }
  EXPECT_GT(split_sets, 0U);  // the sample has answers with several values
}

}  // namespace
}  // namespace ashiato
