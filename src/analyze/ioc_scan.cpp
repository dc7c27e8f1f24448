#include "analyze/ioc_scan.h"

#include <charconv>

#include "logs/canonical_fields.h"

namespace ashiato::analyze {
namespace {

using ioc::IndicatorType;

bool is_ip_text(std::string_view s) {
  if (s.empty()) return false;
  bool colon = false;
  for (char c : s) {
    bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (c == ':') colon = true;
    if (!hex && c != '.' && c != ':') return false;
  }
  return colon || s.find('.') != std::string_view::npos;
}

std::uint64_t to_number(std::optional<std::string_view> v) {
  std::uint64_t n = 0;
  if (v) std::from_chars(v->data(), v->data() + v->size(), n);
  return n;
}

struct ScanFields {
  FieldId evtx_computer = intern_field("Computer");
  FieldId query_name = intern_field("QueryName");                      // Sysmon 22
  FieldId destination_hostname = intern_field("DestinationHostname");  // Sysmon 3
  FieldId destination_ip = intern_field("DestinationIp");
  FieldId source_ip = intern_field("SourceIp");
  FieldId ip_address = intern_field("IpAddress");  // Security 4624/4625/4648
  FieldId hashes = intern_field("Hashes");         // Sysmon "SHA1=...,MD5=...,SHA256=..."
  FieldId r_dns = intern_field("r-dns");
  FieldId mailfrom = intern_field("mailfrom");  // Zeek smtp
  FieldId rcptto = intern_field("rcptto");
  FieldId from = intern_field("from");
  FieldId to = intern_field("to");
};
const ScanFields& scan_fields() {
  static const ScanFields f;
  return f;
}

}  // namespace

IocScanner::IocScanner(const ioc::IndicatorMatcher& matcher) : matcher_(matcher) {
  const auto& c = logs::canonical();
  const auto& s = scan_fields();
  const bool names = matcher.has(IndicatorType::kDomain) || matcher.has(IndicatorType::kHostPort);
  const bool ips = matcher.has(IndicatorType::kIpv4) || matcher.has(IndicatorType::kIpv6) ||
                   matcher.has(IndicatorType::kCidr) || matcher.has(IndicatorType::kHostPort);
  if (names || ips) {
    for (FieldId f : {c.cs_host, c.dst_host, c.query, s.query_name, s.destination_hostname, s.r_dns}) {
      look_up(f, kHostOrIp);
    }
    look_up(c.answer, kHostOrIp);
  }
  if (ips) {
    for (FieldId f : {c.dst_ip, c.src_ip, s.destination_ip, s.source_ip, s.ip_address}) {
      look_up(f, kIp);
    }
  }
  if (matcher.has(IndicatorType::kUrl)) look_up(c.c_uri, kUrl);
  if (matcher.has(IndicatorType::kUserAgent)) look_up(c.c_useragent, kUserAgent);
  if (matcher.has(IndicatorType::kMd5) || matcher.has(IndicatorType::kSha1) || matcher.has(IndicatorType::kSha256)) {
    for (FieldId f : {c.md5, c.sha1, c.sha256}) look_up(f, kHash);
    look_up(s.hashes, kSysmonHashes);
  }
  if (matcher.has(IndicatorType::kEmail)) {
    for (FieldId f : {s.mailfrom, s.rcptto, s.from, s.to}) look_up(f, kEmail);
  }
}

void IocScanner::look_up(FieldId field, Lookup kind) {
  if (lookup_by_field_.size() <= field) lookup_by_field_.resize(field + 1, kNone);
  lookup_by_field_[field] = kind;
}

void IocScanner::scan(const Event& event, std::vector<IocHit>& hits) const {
  if (lookup_by_field_.empty()) return;
  const auto& c = logs::canonical();
  const std::size_t first_hit = hits.size();
  std::optional<std::uint16_t> port;
  bool port_read = false;
  auto dst_port = [&]() -> std::optional<std::uint16_t> {
    if (!port_read) {
      port_read = true;
      if (auto p = event.get(c.dst_port)) {
        unsigned v = 0;
        auto r = std::from_chars(p->data(), p->data() + p->size(), v);
        if (r.ec == std::errc() && v <= 65535) port = static_cast<std::uint16_t>(v);
      }
    }
    return port;
  };
  auto seen = [&](int indicator) {
    for (std::size_t i = first_hit; i < hits.size(); ++i) {
      if (hits[i].indicator == static_cast<std::uint32_t>(indicator)) return true;
    }
    return false;
  };
  auto report = [&](int indicator, FieldId field) {
    if (indicator >= 0 && !seen(indicator)) add_hit(event, indicator, field, hits);
  };
  const std::uint32_t n = event.field_count();
  for (std::uint32_t i = 0; i < n; ++i) {
    const FieldId id = event.field_id(i);
    const Lookup kind = id < lookup_by_field_.size() ? lookup_by_field_[id] : kNone;
    if (kind == kNone) continue;
    std::string_view v = event.field_value(i);
    if (v.empty()) continue;
    switch (kind) {
      case kHostOrIp:
        if (is_ip_text(v)) {
          report(matcher_.match_ip(v), id);
        } else {
          report(matcher_.match_host(v), id);
        }
        if (auto p = dst_port()) report(matcher_.match_host_port(v, *p), id);
        break;
      case kIp:
        report(matcher_.match_ip(v), id);
        if (id == c.dst_ip) {
          if (auto p = dst_port()) report(matcher_.match_host_port(v, *p), id);
        }
        break;
      case kUrl:
        if (v.find("://") != std::string_view::npos) {
          report(matcher_.match_url(v), id);
        } else if (auto host = event.get(c.cs_host); host && !v.empty() && v[0] == '/') {
          // Web servers and Zeek log the path only: the URL is the Host header plus it.
          std::string url = (dst_port() == 443 ? "https://" : "http://") + std::string(*host) + std::string(v);
          report(matcher_.match_url(url), id);
        }
        break;
      case kUserAgent: report(matcher_.match_user_agent(v), id); break;
      case kHash: report(matcher_.match_hash(v), id); break;
      case kSysmonHashes: {
        std::size_t pos = 0;
        while (pos < v.size()) {
          std::size_t comma = v.find(',', pos);
          std::string_view part = v.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
          std::size_t eq = part.find('=');
          if (eq != std::string_view::npos) report(matcher_.match_hash(part.substr(eq + 1)), id);
          if (comma == std::string_view::npos) break;
          pos = comma + 1;
        }
        break;
      }
      case kEmail: report(matcher_.match_email(v), id); break;
      case kNone: break;
    }
  }
}

void IocScanner::add_hit(const Event& event, int indicator, FieldId field, std::vector<IocHit>& hits) const {
  const auto& c = logs::canonical();
  const auto& s = scan_fields();
  auto text = [&](FieldId id) { return std::string(event.get(id).value_or("")); };
  IocHit h;
  h.time = event.time();
  h.source = event.source();
  h.indicator = static_cast<std::uint32_t>(indicator);
  h.field = std::string(field_name(field));
  h.log_format = event.get(c.log_format) ? text(c.log_format) : "evtx";
  h.category = text(c.channel);
  h.src_ip = text(c.src_ip);
  if (h.src_ip.empty()) h.src_ip = text(s.source_ip);
  if (h.src_ip.empty()) h.src_ip = text(s.ip_address);
  h.user = text(c.user);
  h.host = text(s.evtx_computer);
  if (h.host.empty()) h.host = text(c.device);
  for (FieldId id : {c.cs_host, c.dst_host, c.query, s.query_name, s.destination_hostname}) {
    if (h.dst.empty()) h.dst = text(id);
  }
  if (h.dst.empty()) h.dst = text(c.dst_ip);
  if (h.dst.empty()) h.dst = text(s.destination_ip);
  h.dst_port = text(c.dst_port);
  h.method = text(c.cs_method);
  h.url = text(c.c_uri);
  h.status = text(c.sc_status);
  h.bytes = to_number(event.get(c.sc_bytes)) + to_number(event.get(c.cs_bytes));
  hits.push_back(std::move(h));
}

}  // namespace ashiato::analyze
