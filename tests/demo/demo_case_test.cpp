// The demo case against its own ground truth, read here without ashiato's log readers: proxy,
// firewall and DHCP lines are split with plain string operations, ground-truth.json with simdjson.
// Checks that every file it lists exists, that the C2 requests per host in the proxy logs are the
// ones it states, that each request's source address belongs (by the DHCP lease valid at that
// time) to the host it names, and that two runs write the same bytes.
#include <gtest/gtest.h>
#include <simdjson.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "core/timestamp.h"
#include "demo/demo_case.h"
#include "test_support.h"

namespace ashiato {
namespace {

namespace fs = std::filesystem;

struct Request {
  Timestamp time;
  std::string client_ip;
  std::string proxy;
};

struct Lease {
  Timestamp acked;
  std::string host;
};

std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// Space-separated fields; a field in double quotes keeps its spaces (W3C and Squid's User-Agent).
std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == ' ') ++i;
    if (i >= line.size()) break;
    if (line[i] == '"') {
      const std::size_t close = line.find('"', i + 1);
      out.push_back(line.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const std::size_t end = std::min(line.find(' ', i), line.size());
      out.push_back(line.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

std::string url_host(const std::string& url) {
  std::string rest = url.starts_with("http://") ? url.substr(7) : url;
  return rest.substr(0, rest.find_first_of("/:"));
}

std::string value_after(const std::string& line, const std::string& key) {
  const std::size_t at = line.find(key);
  if (at == std::string::npos) return {};
  const std::size_t start = at + key.size();
  return line.substr(start, line.find(' ', start) - start);
}

std::string text(simdjson::dom::element e, const char* key) {
  std::string_view v;
  EXPECT_EQ(e[key].get_string().get(v), simdjson::SUCCESS) << key;
  return std::string(v);
}

std::int64_t number(simdjson::dom::element e, const char* key) {
  std::int64_t v = 0;
  EXPECT_EQ(e[key].get_int64().get(v), simdjson::SUCCESS) << key;
  return v;
}

class DemoCase : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    // One folder per process: ctest runs the tests of this suite side by side.
    dir_ = new fs::path(fs::temp_directory_path() / ("ashiato-test-DemoCase-" + std::to_string(::getpid())));
    fs::remove_all(*dir_);
    demo::write_demo_case(dir_->string());
    truth_text_ = new simdjson::padded_string(test::read_file(*dir_ / "ground-truth.json"));
    parser_ = new simdjson::dom::parser();
    ASSERT_EQ(parser_->parse(*truth_text_).get(truth_), simdjson::SUCCESS);
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete parser_;
    delete truth_text_;
    delete dir_;
  }

  static std::vector<std::string> files(const char* kind) {
    std::vector<std::string> out;
    for (simdjson::dom::element f : simdjson::dom::array(truth_["files"][kind])) {
      std::string_view path;
      EXPECT_EQ(f.get_string().get(path), simdjson::SUCCESS);
      out.emplace_back(path);
    }
    return out;
  }

  // Every request to the C2 host in both proxies' logs.
  static std::vector<Request> c2_requests() {
    const std::string c2 = text(truth_["c2"], "domain");
    std::vector<Request> out;
    for (const std::string& path : files("proxy")) {
      std::vector<std::string> columns;  // W3C: from #Fields
      for (const std::string& line : lines_of(*dir_ / path)) {
        if (line.starts_with("#Fields: ")) {
          columns = fields_of(line.substr(9));
          continue;
        }
        if (line.empty() || line[0] == '#') continue;
        const auto f = fields_of(line);
        if (columns.empty()) {  // Squid: time elapsed client code/status bytes method URL ...
          EXPECT_GE(f.size(), 10U) << line;
          if (url_host(f[6]) != c2) continue;
          const std::size_t dot = f[0].find('.');
          const Timestamp t = Timestamp::from_unix_seconds(std::stoll(f[0].substr(0, dot)),
                                                           std::stoll(f[0].substr(dot + 1)) * 1'000'000);
          out.push_back({t, f[2], "squid"});
        } else {
          EXPECT_EQ(f.size(), columns.size()) << line;
          std::map<std::string, std::string> row;
          for (std::size_t i = 0; i < columns.size() && i < f.size(); ++i) row[columns[i]] = f[i];
          if (row["cs-host"] != c2) continue;
          out.push_back({*parse_iso8601(row["date"] + "T" + row["time"] + "Z"), row["c-ip"], "w3c"});
        }
      }
    }
    return out;
  }

  // DHCPACKs by address, in time order.
  static std::map<std::string, std::vector<Lease>> leases() {
    std::map<std::string, std::vector<Lease>> out;
    for (const std::string& path : files("dhcp")) {
      for (const std::string& line : lines_of(*dir_ / path)) {
        const std::size_t at = line.find(" DHCPACK on ");
        if (at == std::string::npos) continue;
        const auto f = fields_of(line.substr(at + 1));  // DHCPACK on IP to MAC (NAME) via RELAY
        EXPECT_EQ(f.size(), 8U) << line;
        const auto time = parse_iso8601(line.substr(0, line.find(' ')));
        EXPECT_TRUE(time.has_value()) << line;
        out[f[2]].push_back({*time, f[5].substr(1, f[5].size() - 2)});
      }
    }
    return out;
  }

  // The host that held `ip` at `t`: the last DHCPACK before it, if its lease has not run out.
  static std::string holder(const std::map<std::string, std::vector<Lease>>& leases, const std::string& ip,
                            Timestamp t) {
    const std::int64_t lease_ticks = number(truth_["organisation"]["dhcp"], "lease_seconds") * 10'000'000;
    auto it = leases.find(ip);
    if (it == leases.end()) return "(no lease)";
    const Lease* last = nullptr;
    for (const Lease& l : it->second) {
      if (l.acked <= t) last = &l;
    }
    if (last == nullptr || t.ticks - last->acked.ticks >= lease_ticks) return "(no valid lease)";
    return last->host;
  }

  static fs::path* dir_;
  static simdjson::padded_string* truth_text_;
  static simdjson::dom::parser* parser_;
  static simdjson::dom::element truth_;
};

fs::path* DemoCase::dir_ = nullptr;
simdjson::padded_string* DemoCase::truth_text_ = nullptr;
simdjson::dom::parser* DemoCase::parser_ = nullptr;
simdjson::dom::element DemoCase::truth_;

TEST_F(DemoCase, ListedFilesExistWithTheirSizes) {
  for (const char* kind : {"proxy", "firewall", "dhcp", "evtx", "notice"}) {
    EXPECT_FALSE(files(kind).empty()) << kind;
    for (const std::string& path : files(kind)) EXPECT_TRUE(fs::is_regular_file(*dir_ / path)) << path;
  }
  std::uint64_t proxy_lines = 0;
  for (simdjson::dom::element f : simdjson::dom::array(truth_["file_details"])) {
    const std::string path = text(f, "path");
    EXPECT_EQ(fs::file_size(*dir_ / path), static_cast<std::uintmax_t>(number(f, "bytes"))) << path;
    if (text(f, "kind") != "evtx") {
      EXPECT_EQ(lines_of(*dir_ / path).size(), static_cast<std::size_t>(number(f, "lines"))) << path;
    }
    if (text(f, "kind") == "proxy") proxy_lines += lines_of(*dir_ / path).size();
  }
  // Thousands of lines of ordinary traffic around the attack, and not more than a demo needs.
  EXPECT_GT(proxy_lines, 5000U);
  std::uintmax_t total = 0;
  for (const auto& p : test::files_under(*dir_, "")) total += fs::file_size(p);
  EXPECT_LT(total, 20U * 1024 * 1024);
}

TEST_F(DemoCase, C2RequestsPerHostAreTheGroundTruthsAndAttributedByTheLeaseOfTheirTime) {
  const auto requests = c2_requests();
  const auto by_ip = leases();
  EXPECT_EQ(static_cast<std::int64_t>(requests.size()), number(truth_["c2"], "requests"));
  std::map<std::string, int> per_host;
  std::map<std::string, std::set<std::string>> ips_per_host;
  std::map<std::string, std::set<std::string>> proxies_per_host;
  std::map<std::string, std::pair<Timestamp, Timestamp>> span;
  for (const Request& r : requests) {
    const std::string host = holder(by_ip, r.client_ip, r.time);
    ++per_host[host];
    ips_per_host[host].insert(r.client_ip);
    proxies_per_host[host].insert(r.proxy);
    auto [it, fresh] = span.try_emplace(host, r.time, r.time);
    if (!fresh) {
      it->second.first = std::min(it->second.first, r.time);
      it->second.second = std::max(it->second.second, r.time);
    }
  }
  std::set<std::string> expected_hosts;
  for (simdjson::dom::element h : simdjson::dom::array(truth_["infected_hosts"])) {
    const std::string host = text(h, "hostname");
    expected_hosts.insert(host);
    EXPECT_EQ(per_host[host], number(h, "c2_requests")) << host;
    EXPECT_EQ(to_iso8601(span[host].first, 3), text(h, "first_c2_contact")) << host;
    EXPECT_EQ(to_iso8601(span[host].second, 3), text(h, "last_c2_contact")) << host;
    std::set<std::string> ips;
    for (simdjson::dom::element ip : simdjson::dom::array(h["ips"])) ips.insert(text(ip, "ip"));
    EXPECT_EQ(ips_per_host[host], ips) << host;
    EXPECT_EQ(proxies_per_host[host].size(), 1U) << host;
  }
  for (simdjson::dom::element h : simdjson::dom::array(truth_["suspect_hosts"])) {
    const std::string host = text(h, "hostname");
    expected_hosts.insert(host);
    EXPECT_EQ(per_host[host], number(h, "c2_requests")) << host;
    EXPECT_EQ(*ips_per_host[host].begin(), text(h, "ip")) << host;
  }
  std::set<std::string> found;
  for (const auto& [host, count] : per_host) found.insert(host);
  EXPECT_EQ(found, expected_hosts);
  // One beacon goes through the branch's W3C proxy, the others through Squid.
  std::set<std::string> proxies;
  for (const auto& [host, kinds] : proxies_per_host) proxies.insert(kinds.begin(), kinds.end());
  EXPECT_EQ(proxies, (std::set<std::string>{"squid", "w3c"}));
}

TEST_F(DemoCase, AnInfectedHostsAddressBelongsToAnotherPcOnAnotherDay) {
  const auto by_ip = leases();
  int traps = 0;
  for (simdjson::dom::element h : simdjson::dom::array(truth_["infected_hosts"])) {
    const std::string host = text(h, "hostname");
    for (simdjson::dom::element ip : simdjson::dom::array(h["ips"])) {
      std::set<std::string> others;
      for (const Lease& l : by_ip.at(text(ip, "ip"))) {
        if (l.host != host) others.insert(l.host);
      }
      std::set<std::string> stated;
      for (simdjson::dom::element o : simdjson::dom::array(ip["also_leased_to"])) stated.insert(text(o, "hostname"));
      EXPECT_EQ(others, stated) << host << " " << text(ip, "ip");
      traps += others.empty() ? 0 : 1;
    }
  }
  EXPECT_GE(traps, 1);
}

TEST_F(DemoCase, FirewallShowsTheProxiesReachingTheC2AndTheImplantsBlocked) {
  const std::string c2_ip = text(truth_["c2"], "ip");
  const auto by_ip = leases();
  std::int64_t allowed = 0;
  std::map<std::string, std::int64_t> blocked;
  for (const std::string& path : files("firewall")) {
    for (const std::string& line : lines_of(*dir_ / path)) {
      if (value_after(line, " DST=") != c2_ip) continue;
      if (line.find("FW-ALLOW-OUT: ") != std::string::npos) {
        const std::string src = value_after(line, " SRC=");
        EXPECT_TRUE(src == "10.1.0.8" || src == "10.1.20.8") << line;  // only the proxies may go out
        ++allowed;
      } else if (line.find("FW-DROP-OUT: ") != std::string::npos) {
        ++blocked[holder(by_ip, value_after(line, " SRC="), *parse_iso8601(line.substr(0, line.find(' '))))];
      }
    }
  }
  EXPECT_EQ(allowed, number(truth_["c2"], "requests"));
  std::int64_t expected_blocked = 0;
  for (simdjson::dom::element h : simdjson::dom::array(truth_["infected_hosts"])) {
    EXPECT_EQ(blocked[text(h, "hostname")], number(h, "firewall_blocked_direct_attempts")) << text(h, "hostname");
    expected_blocked += number(h, "firewall_blocked_direct_attempts");
  }
  std::int64_t total_blocked = 0;
  for (const auto& [host, n] : blocked) total_blocked += n;
  EXPECT_EQ(total_blocked, expected_blocked);
}

TEST_F(DemoCase, NoticeNamesTheC2DefangedAndTheWindowInJapanTime) {
  const std::string ja = test::read_file(*dir_ / "notice.txt");
  const std::string en = test::read_file(*dir_ / "notice-en.txt");
  for (const std::string* notice : {&ja, &en}) {
    EXPECT_NE(notice->find("hxxp://www.tabi-navi.example[.]jp/"), std::string::npos);
    EXPECT_NE(notice->find("203.0.113[.]45"), std::string::npos);
    EXPECT_NE(notice->find("198.51.100[.]23"), std::string::npos);
    EXPECT_EQ(notice->find("www.tabi-navi.example.jp"), std::string::npos) << "not defanged";
    EXPECT_NE(notice->find("+09:00"), std::string::npos);
  }
  EXPECT_NE(ja.find("貴組織"), std::string::npos);
  // The window stated is the one in the ground truth, in local time.
  const auto from = parse_iso8601(text(truth_["notice"], "observed_from"));
  ASSERT_TRUE(from.has_value());
  std::string local = to_iso8601(Timestamp{from->ticks + 9LL * 3600 * 10'000'000}, 0);
  local.pop_back();
  EXPECT_NE(ja.find(local + "+09:00"), std::string::npos) << local;
}

TEST_F(DemoCase, TwoRunsWriteTheSameBytes) {
  const fs::path second = test::temp_dir() / "demo";
  std::string output;
  ASSERT_EQ(test::run_command(std::string(ASHIATO_BINARY) + " simulate --out " + second.string(), output), 0) << output;
  const auto first_files = test::files_under(*dir_, "");
  const auto second_files = test::files_under(second, "");
  ASSERT_EQ(first_files.size(), second_files.size());
  for (std::size_t i = 0; i < first_files.size(); ++i) {
    EXPECT_EQ(fs::relative(first_files[i], *dir_), fs::relative(second_files[i], second));
    EXPECT_TRUE(test::read_file(first_files[i]) == test::read_file(second_files[i])) << first_files[i];
  }
  fs::remove_all(second.parent_path());
}

}  // namespace
}  // namespace ashiato
