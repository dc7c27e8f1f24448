// Web requests of Example Corp's PCs as the proxies see them: ordinary browsing, Windows'
// connectivity checks and updates, the groupware's notification polls, and the C2 traffic planted
// in the organisation (to the C2 of the notice and to the second, unlisted one).
#pragma once
#include <string>
#include <vector>

#include "demo/organisation.h"

namespace ashiato::demo {

enum class CacheResult { kMiss, kHit, kDenied };

struct WebRequest {
  Timestamp time;  // when the proxy logged it: the end of the request
  int elapsed_ms = 0;
  int pc = 0;
  std::string client_ip;
  std::string method;  // GET, POST, CONNECT
  std::string host;
  int port = 80;
  std::string path;   // "/" for CONNECT
  std::string query;  // without the '?'; empty when none
  int status = 200;
  int reply_bytes = 0;
  int request_bytes = 0;
  std::string user_agent;
  std::string referer;  // empty when none
  std::string content_type;
  std::string category;  // the proxy's URL category
  std::string user;      // empty unless the client authenticated to the proxy
  CacheResult cache = CacheResult::kMiss;
  bool new_connection = false;   // the proxy opened a connection to the server (the firewall logs it)
  bool c2 = false;               // to the C2 host the notice names
  bool similar_c2 = false;       // to the second C2 (kSimilarC2Domain)
  bool implant = false;          // sent by an implant (C2 beacons and its connectivity check)
  bool similar_implant = false;  // sent by the implant build of the second C2
  bool poller = false;           // the groupware's notification poll (or the page that sends it)

  Timestamp started() const { return plus_millis(time, -elapsed_ms); }
};

// Every request of every PC, sorted by the time the proxy logged it.
std::vector<WebRequest> web_requests(const Organisation& org);

// The (documentation-range) address of a web server: 192.0.2.0/24, 198.51.100.0/24 or
// 203.0.113.0/24, derived from the host name; the C2's is kC2Ip. No other host of the demo's
// traffic gets the address of the second C2 or of the poller.
std::string server_address(const std::string& host);

}  // namespace ashiato::demo
