// Values whose type a file states: MISP attribute types ("ip-dst", "domain|ip", "filename|sha256"),
// STIX object paths, CSV type columns and typed column headers. Maps those type names onto
// indicator types, splitting MISP composite values into their parts.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "ioc/indicator.h"

namespace ashiato::ioc {

enum class TypedStatus { kOk, kUnsupportedType, kInvalidValue };

// Appends the indicators of `value` read as `type_name` to `out` (type and value set; source and
// label are the caller's). Names are case-insensitive, and '_' or ' ' count as '-'. Known:
//   our names (domain, url, ipv4, ipv6, cidr, host:port, md5, sha1, sha256, user-agent, email);
//   MISP's domain, hostname, url, uri, ip-dst, ip-src, md5, sha1, sha256, user-agent, email,
//   email-src, email-dst, email-reply-to, and the composites domain|ip, ip-dst|port, ip-src|port,
//   hostname|port, filename|md5, filename|sha1, filename|sha256, malware-sample;
//   common column names (ip, ip address, ipv4-addr, domain-name, fqdn, host, hash, filehash-md5...).
// A host type takes an IP literal as an IP indicator, an IP type takes "addr/len" as CIDR, "hash"
// takes MD5, SHA-1 or SHA-256 by length. A composite's filename part is stored in `*filename`
// when given. On kInvalidValue `why` says what is wrong and nothing is appended.
TypedStatus typed_indicators(std::string_view type_name, std::string_view value, std::vector<Indicator>& out,
                             std::string& why, std::string* filename = nullptr);

// Whether typed_indicators knows `type_name` (CSV headers naming a type are typed columns).
bool is_indicator_type_name(std::string_view type_name);

}  // namespace ashiato::ioc
