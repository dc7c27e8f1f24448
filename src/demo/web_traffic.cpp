// Ordinary web use of 2015 in a Japanese office: portals and news, train routes, shopping and
// restaurant sites at lunch, HTTPS sites as CONNECT tunnels, Windows' connectivity check at boot
// and Windows Update, the groupware's notification poll every 60 s while its page is open. Each
// PC's day is drawn from its own seed, so the traffic of one PC does not change when another's
// does; the polls from seeds of their own, so that the browsing does not depend on them.
#include "demo/web_traffic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <numeric>

namespace ashiato::demo {
namespace {

struct Site {
  const char* host;
  const char* category;
  bool https;
  bool blocked;  // refused by the proxy's policy
  int weight;
  std::vector<const char*> pages;  // '#' stands for a random digit
  const char* asset_host;          // nullptr: the site serves its own images and scripts
};

const std::vector<Site>& sites() {
  static const std::vector<Site> list{
      {"www.yahoo.co.jp", "Search Engines/Portals", false, false, 10, {"/"}, "s.yimg.jp"},
      {"news.yahoo.co.jp",
       "News/Media",
       false,
       false,
       8,
       {"/pickup/6163###", "/hl?a=2015060#-00000###-jij-pol", "/list/?c=economy"},
       "s.yimg.jp"},
      {"transit.yahoo.co.jp",
       "Travel",
       false,
       false,
       3,
       {"/search/result?from=%E6%9D%B1%E4%BA%AC&to=%E6%96%B0%E5%A4%A7%E9%98%AA&y=2015&m=06&d=0#"},
       "s.yimg.jp"},
      {"weather.yahoo.co.jp",
       "News/Media",
       false,
       false,
       3,
       {"/weather/jp/13/4410.html", "/weather/jp/27/6200.html"},
       "s.yimg.jp"},
      {"www.google.co.jp", "Search Engines/Portals", true, false, 10, {}, nullptr},
      {"www.nikkei.com",
       "News/Media",
       false,
       false,
       5,
       {"/article/DGXLASDF0#H0#_S5A600C1000000/", "/markets/kabu/"},
       nullptr},
      {"www3.nhk.or.jp", "News/Media", false, false, 4, {"/news/html/2015060#/k1001#######000.html"}, nullptr},
      {"www.asahi.com", "News/Media", false, false, 3, {"/articles/ASH6#####.html"}, nullptr},
      {"www.itmedia.co.jp",
       "Technology/Internet",
       false,
       false,
       3,
       {"/enterprise/articles/1506/0#/news0##.html"},
       nullptr},
      {"pc.watch.impress.co.jp", "Technology/Internet", false, false, 2, {"/docs/news/2015060#_7#####.html"}, nullptr},
      {"www.jpcert.or.jp", "Computers/Internet", false, false, 1, {"/at/2015/at150019.html", "/wr/"}, nullptr},
      {"www.ipa.go.jp", "Government/Legal", false, false, 1, {"/security/", "/security/announce/alert.html"}, nullptr},
      {"www.amazon.co.jp", "Shopping", true, false, 4, {}, nullptr},
      {"www.rakuten.co.jp", "Shopping", false, false, 2, {"/"}, nullptr},
      {"www.jreast.co.jp", "Travel", false, false, 1, {"/"}, nullptr},
      {"www.jalan.net", "Travel", false, false, 1, {"/yad3#####/"}, nullptr},
      {"tabelog.com", "Restaurants/Dining/Food", false, false, 3, {"/tokyo/A1301/A130101/13######/"}, nullptr},
      {"cookpad.com", "Restaurants/Dining/Food", false, false, 1, {"/recipe/3######"}, nullptr},
      {"www.facebook.com", "Social Networking", true, false, 2, {}, nullptr},
      {"twitter.com", "Social Networking", true, false, 2, {}, nullptr},
      {"www.youtube.com", "Audio/Video Clips", true, false, 2, {}, nullptr},
      {"ja.wikipedia.org", "Reference", true, false, 3, {}, nullptr},
      {"www.microsoft.com", "Computers/Internet", true, false, 1, {}, nullptr},
      {"www.dropbox.com", "Online Storage", true, true, 1, {}, nullptr},
      {"www.kantei.go.jp", "Government/Legal", false, false, 1, {"/"}, nullptr},
  };
  return list;
}

struct Tracker {
  const char* host;
  const char* path;
  const char* content_type;
};

const std::vector<Tracker>& trackers() {
  static const std::vector<Tracker> list{
      {"www.google-analytics.com", "/__utm.gif?utmwv=5.6.4&utmn=#########", "image/gif"},
      {"pagead2.googlesyndication.com", "/pagead/js/adsbygoogle.js", "application/javascript"},
      {"b.yjtag.jp", "/iframe?c=#####", "text/html"},
  };
  return list;
}

const std::vector<std::string>& asset_paths() {
  static const std::vector<std::string> list{"/css/common.css",  "/js/common.js",       "/images/logo.png",
                                             "/img/##/####.jpg", "/images/bnr_###.png", "/js/jquery.min.js"};
  return list;
}

std::string fill_digits(const std::string& pattern, Random& random) {
  std::string out = pattern;
  for (char& c : out) {
    if (c == '#') c = static_cast<char>('0' + random.between(0, 9));
  }
  return out;
}

std::string content_type_of(const std::string& path) {
  if (path.ends_with(".css")) return "text/css";
  if (path.ends_with(".js")) return "application/javascript";
  if (path.ends_with(".png")) return "image/png";
  if (path.ends_with(".jpg")) return "image/jpeg";
  return "text/html";
}

const Site& pick_site(Random& random, bool lunch) {
  int total = 0;
  for (const Site& s : sites())
    total += s.weight + (lunch && std::string(s.category).starts_with("Restaurants") ? 6 : 0);
  auto roll = random.between(0, total - 1);
  for (const Site& s : sites()) {
    roll -= s.weight + (lunch && std::string(s.category).starts_with("Restaurants") ? 6 : 0);
    if (roll < 0) return s;
  }
  return sites().front();
}

class DayTraffic {
 public:
  DayTraffic(const Organisation& org, const PcDay& day, std::vector<WebRequest>& out)
      : pc_(org.pcs[static_cast<std::size_t>(day.pc)]),
        day_(day),
        out_(out),
        random_(1'000'003ULL * static_cast<std::uint64_t>(day.pc + 1) + static_cast<std::uint64_t>(day.day)) {}

  void generate() {
    // Windows' network connectivity status indicator, a little after boot.
    Timestamp t = plus_seconds(day_.boot, random_.between(50, 90));
    add(t, "GET", "www.msftncsi.com", "/ncsi.txt", "", 200, 314, "text/plain", "Computers/Internet", "Microsoft NCSI",
        "", false, true);
    // Windows Update scan over HTTPS, sometimes a root-list refresh over HTTP.
    t = plus_seconds(day_.boot, random_.between(300, 2400));
    tunnel(t, "fe2.update.microsoft.com", "Software Downloads", "Windows-Update-Agent", false);
    if (random_.chance(30)) {
      add(plus_seconds(t, 40), "GET", "ctldl.windowsupdate.com",
          "/msdownload/update/v3/static/trustedr/en/authrootstl.cab", "", 200, 53144,
          "application/vnd.ms-cab-compressed", "Software Downloads", "Microsoft-CryptoAPI/6.1", "", false, true);
    }
    t = plus_seconds(day_.boot, random_.between(300, 1200));
    while (t < day_.shutdown) {
      const CivilTime local = local_civil(t);
      const bool lunch = local.hour == 12;
      page_view(t, pick_site(random_, lunch));
      t = plus_seconds(t, lunch ? random_.between(180, 600) : random_.between(1500, 4500));
    }
  }

 private:
  void add(Timestamp start, const std::string& method, const std::string& host, const std::string& path,
           const std::string& query, int status, int bytes, const std::string& content_type,
           const std::string& category, const std::string& agent, const std::string& referer, bool browser,
           bool new_connection, CacheResult cache = CacheResult::kMiss, int elapsed_ms = -1) {
    if (start >= day_.shutdown) return;
    WebRequest r;
    r.elapsed_ms = elapsed_ms >= 0              ? elapsed_ms
                   : cache == CacheResult::kHit ? static_cast<int>(random_.between(0, 4))
                                                : static_cast<int>(random_.between(40, 900));
    r.time = plus_millis(start, r.elapsed_ms);
    r.pc = day_.pc;
    r.client_ip = day_.ip;
    r.method = method;
    r.host = host;
    r.port = method == "CONNECT" ? 443 : 80;
    r.path = path;
    r.query = query;
    r.status = status;
    r.reply_bytes = bytes;
    r.request_bytes = static_cast<int>(random_.between(280, 760));
    r.user_agent = agent;
    r.referer = referer;
    r.content_type = content_type;
    r.category = category;
    if (browser && pc_.proxy_authenticates) r.user = pc_.user;
    r.cache = cache;
    r.new_connection = new_connection && cache == CacheResult::kMiss;
    out_.push_back(std::move(r));
  }

  void tunnel(Timestamp start, const std::string& host, const std::string& category, const std::string& agent,
              bool browser, bool blocked = false) {
    if (blocked) {
      add(start, "CONNECT", host, "/", "", 403, 3712, "text/html", category, agent, "", browser, false,
          CacheResult::kDenied, static_cast<int>(random_.between(1, 5)));
      return;
    }
    add(start, "CONNECT", host, "/", "", 200, static_cast<int>(random_.between(4000, 420000)), "", category, agent, "",
        browser, true, CacheResult::kMiss, static_cast<int>(random_.between(2000, 95000)));
  }

  void page_view(Timestamp t, const Site& site) {
    const std::string& agent = pc_.browser_agent;
    if (site.https) {
      tunnel(t, site.host, site.category, agent, true, site.blocked);
      if (!site.blocked && random_.chance(50)) tunnel(plus_millis(t, 400), site.host, site.category, agent, true);
      return;
    }
    std::string page = fill_digits(
        site.pages[static_cast<std::size_t>(random_.between(0, static_cast<std::int64_t>(site.pages.size()) - 1))],
        random_);
    std::string query;
    if (auto q = page.find('?'); q != std::string::npos) {
      query = page.substr(q + 1);
      page.resize(q);
    }
    const std::string url = "http://" + std::string(site.host) + page + (query.empty() ? "" : "?" + query);
    add(t, "GET", site.host, page, query, 200, static_cast<int>(random_.between(18000, 180000)), "text/html",
        site.category, agent, "", true, true);
    Timestamp at = plus_millis(t, random_.between(300, 1200));
    const std::string asset_host = site.asset_host != nullptr ? site.asset_host : site.host;
    const auto assets = random_.between(1, 4);
    for (int i = 0; i < assets; ++i) {
      const std::string path = fill_digits(random_.pick(asset_paths()), random_);
      const auto roll = random_.between(0, 99);
      const CacheResult cache = roll < 25 ? CacheResult::kHit : CacheResult::kMiss;
      const bool not_modified = roll >= 25 && roll < 35;
      add(at, "GET", asset_host, path, "", not_modified ? 304 : 200,
          not_modified ? 298 : static_cast<int>(random_.between(900, 64000)), content_type_of(path), site.category,
          agent, url, true, i == 0 && site.asset_host != nullptr, cache);
      at = plus_millis(at, random_.between(20, 400));
    }
    if (random_.chance(45)) {
      const Tracker& tracker = random_.pick(trackers());
      std::string path = fill_digits(tracker.path, random_);
      std::string tracker_query;
      if (auto q = path.find('?'); q != std::string::npos) {
        tracker_query = path.substr(q + 1);
        path.resize(q);
      }
      add(at, "GET", tracker.host, path, tracker_query, 200, static_cast<int>(random_.between(35, 30000)),
          tracker.content_type, "Web Ads/Analytics", agent, url, true, true);
    }
  }

  const Pc& pc_;
  const PcDay& day_;
  std::vector<WebRequest>& out_;
  Random random_;
};

// The groupware page, opened in the morning a little after boot and left open for an hour or
// so: its script asks for the number of new messages and schedule items every 60 s (the timer
// drifts by a few hundred milliseconds), a small JSON reply of nearly the same size each time. The
// proxy keeps its connection to the server open between polls, most of the time.
void groupware_polls(const Organisation& org, const PcDay& day, std::vector<WebRequest>& out) {
  const Pc& pc = org.pcs[static_cast<std::size_t>(day.pc)];
  if (!pc.groupware) return;
  Random random(2'000'029ULL * static_cast<std::uint64_t>(day.pc + 1) + static_cast<std::uint64_t>(day.day));
  const Timestamp opened = plus_seconds(day.boot, random.between(240, 1500));
  const Timestamp closed = std::min(day.shutdown, plus_seconds(opened, random.between(40, 80) * 60));
  auto request = [&](Timestamp start, int elapsed_ms) {
    WebRequest r;
    r.elapsed_ms = elapsed_ms;
    r.time = plus_millis(start, elapsed_ms);
    r.pc = day.pc;
    r.client_ip = day.ip;
    r.method = "GET";
    r.user_agent = pc.browser_agent;
    if (pc.proxy_authenticates) r.user = pc.user;
    r.category = "Business/Economy";
    r.poller = true;
    return r;
  };
  WebRequest page = request(opened, static_cast<int>(random.between(150, 600)));
  const std::string portal = kGroupwarePortal;
  page.host = portal.substr(7, portal.find('/', 7) - 7);
  page.path = portal.substr(portal.find('/', 7));
  page.reply_bytes = static_cast<int>(random.between(38000, 46000));
  page.request_bytes = static_cast<int>(random.between(560, 620));
  page.content_type = "text/html";
  page.new_connection = true;
  out.push_back(std::move(page));
  Timestamp t = plus_millis(opened, random.between(1500, 4000));
  for (bool first = true; t < closed; first = false) {
    WebRequest r = request(t, static_cast<int>(random.between(18, 70)));
    r.host = kPollerDomain;
    r.path = kPollerPath;
    r.query = fmt::format("_={}", unix_millis(t));  // jQuery's cache buster
    r.reply_bytes = static_cast<int>(random.between(402, 406));
    r.request_bytes = static_cast<int>(random.between(548, 552));
    r.content_type = "application/json";
    r.referer = kGroupwarePortal;
    r.new_connection = first || random.chance(8);
    out.push_back(std::move(r));
    t = plus_millis(t, std::int64_t{1000} * kPollerIntervalSeconds + random.between(0, 600));
  }
}

// A request of an implant to its C2 as the proxy logs it.
WebRequest c2_web_request(const Organisation& org, const C2Request& c2, const char* host, const char* category) {
  WebRequest r;
  r.time = c2.time;
  r.elapsed_ms = c2.elapsed_ms;
  r.pc = c2.pc;
  r.client_ip = org.ip_at(c2.pc, c2.time);
  r.method = c2.method;
  r.host = host;
  r.port = kC2Port;
  r.path = c2.path;
  r.query = c2.query;
  r.status = c2.status;
  r.reply_bytes = c2.reply_bytes;
  r.request_bytes = c2.request_bytes;
  r.user_agent = c2.user_agent;
  r.content_type = "text/html";
  r.category = category;    // what the compromised site is, to the proxy's URL database
  r.new_connection = true;  // the implant closes its connection after every request
  return r;
}

// The implant's own connectivity check before its first beacon of each run.
WebRequest connectivity_check(const Organisation& org, const ImplantStart& start, const char* user_agent) {
  WebRequest r;
  r.elapsed_ms = 96;
  r.time = plus_millis(start.time, 21'000 + r.elapsed_ms);
  r.pc = start.pc;
  r.client_ip = org.ip_at(start.pc, start.time);
  r.method = "GET";
  r.host = "www.msftncsi.com";
  r.path = "/ncsi.txt";
  r.reply_bytes = 314;
  r.request_bytes = 268;
  r.user_agent = user_agent;
  r.content_type = "text/plain";
  r.category = "Computers/Internet";
  r.new_connection = true;
  r.implant = true;
  if (org.pcs[static_cast<std::size_t>(start.pc)].office == Office::kBranch) {
    r.time = Timestamp{r.time.ticks - r.time.ticks % 10'000'000};
  }
  return r;
}

std::uint32_t fnv1a(const std::string& text) {
  std::uint32_t hash = 2166136261U;
  for (char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 16777619U;
  }
  return hash;
}

}  // namespace

std::string server_address(const std::string& host) {
  if (host == kC2Domain) return kC2Ip;
  static const char* nets[] = {"192.0.2", "198.51.100", "203.0.113"};
  const std::uint32_t hash = fnv1a(host);
  std::string address = fmt::format("{}.{}", nets[hash % 3], 1 + (hash >> 8) % 254);
  // Neither the organisation's own public address nor the C2's.
  if (address == kPublicIp || address == kC2Ip) address = fmt::format("{}.{}", nets[hash % 3], 250);
  return address;
}

std::vector<WebRequest> web_requests(const Organisation& org) {
  std::vector<WebRequest> out;
  for (const PcDay& day : org.days) DayTraffic(org, day, out).generate();
  for (const PcDay& day : org.days) groupware_polls(org, day, out);
  for (const C2Request& c2 : org.c2_requests) {
    WebRequest r = c2_web_request(org, c2, kC2Domain, "Travel");
    r.implant = c2.user_agent == kEmdiviUserAgent;
    const Pc& pc = org.pcs[static_cast<std::size_t>(c2.pc)];
    if (!r.implant && pc.proxy_authenticates) r.user = pc.user;
    r.c2 = true;
    out.push_back(std::move(r));
  }
  for (const C2Request& c2 : org.similar_requests) {
    WebRequest r = c2_web_request(org, c2, kSimilarC2Domain, "Travel");
    r.implant = true;
    r.similar_implant = true;
    r.similar_c2 = true;
    out.push_back(std::move(r));
  }
  for (const ImplantStart& start : org.implant_starts) out.push_back(connectivity_check(org, start, kEmdiviUserAgent));
  for (const ImplantStart& start : org.similar_starts) {
    WebRequest r = connectivity_check(org, start, kSimilarUserAgent);
    r.similar_implant = true;
    out.push_back(std::move(r));
  }
  // Sorted through their indices: moving the requests themselves while sorting costs more than
  // drawing them.
  std::vector<std::size_t> order(out.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&out](std::size_t x, std::size_t y) {
    const WebRequest& a = out[x];
    const WebRequest& b = out[y];
    return a.time != b.time ? a.time < b.time : a.pc < b.pc;
  });
  std::vector<WebRequest> sorted;
  sorted.reserve(out.size());
  for (std::size_t i : order) sorted.push_back(std::move(out[i]));
  return sorted;
}

}  // namespace ashiato::demo
