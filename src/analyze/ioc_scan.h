// Indicator lookups in events: each indicator type is looked up only in the fields where it can
// occur (a domain in the request host, the DNS query or answer, Sysmon's QueryName; an IP in the
// destination or source address or a DNS answer; a URL in the request URL; a User-Agent in the
// User-Agent), never anywhere in the line, so "evil.com" does not match a URL's query string that
// merely mentions it, nor "notevil.com".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/event.h"
#include "ioc/indicator_matcher.h"

namespace ashiato::analyze {

// One event that matched one indicator, with the request's key facts for the sweep timeline.
struct IocHit {
  Timestamp time;
  SourceRef source;             // file id, line (or record id), byte offset
  std::uint32_t indicator = 0;  // index into IndicatorMatcher::indicators()
  std::string field;            // where it matched (e.g. cs-host, query, dst_ip)
  std::string log_format;       // squid, zeek, evtx, ...
  std::string category;         // the event's Channel: proxy, firewall, dns, zeek, or the EVTX channel
  std::string src_ip, user, host, dst, dst_port, method, url, status;
  std::uint64_t bytes = 0;     // sent + received, where the log has them
  std::uint64_t sequence = 0;  // input order, for stable sorting
};

class IocScanner {
 public:
  explicit IocScanner(const ioc::IndicatorMatcher& matcher);
  // Appends one hit per distinct indicator that matches the event.
  void scan(const Event& event, std::vector<IocHit>& hits) const;
  const ioc::IndicatorMatcher& matcher() const { return matcher_; }

 private:
  enum Lookup : std::uint8_t { kNone, kHostOrIp, kIp, kUrl, kUserAgent, kHash, kSysmonHashes, kEmail };
  void look_up(FieldId field, Lookup kind);
  void add_hit(const Event& event, int indicator, FieldId field, std::vector<IocHit>& hits) const;

  const ioc::IndicatorMatcher& matcher_;
  std::vector<Lookup> lookup_by_field_;  // indexed by FieldId: what to look up in that field
};

}  // namespace ashiato::analyze
