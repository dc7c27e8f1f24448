#include "ioc/typed_value.h"

#include <utility>

#include "ioc/ip_address.h"
#include "ioc/text_util.h"

namespace ashiato::ioc {
namespace {

// What one part of a (possibly composite) type holds.
enum class Part {
  kUnsupported,
  kFilename,
  kPort,
  kHost,
  kIp,
  kUrl,
  kHostPort,
  kHash,
  kMd5,
  kSha1,
  kSha256,
  kUserAgent,
  kEmail
};

constexpr std::pair<std::string_view, Part> kParts[] = {
    {"domain", Part::kHost},
    {"hostname", Part::kHost},
    {"domain-name", Part::kHost},
    {"fqdn", Part::kHost},
    {"host", Part::kHost},
    {"url", Part::kUrl},
    {"uri", Part::kUrl},
    {"ip", Part::kIp},
    {"ipv4", Part::kIp},
    {"ipv6", Part::kIp},
    {"cidr", Part::kIp},
    {"ip-dst", Part::kIp},
    {"ip-src", Part::kIp},
    {"ip-address", Part::kIp},
    {"ipaddress", Part::kIp},
    {"ipv4-addr", Part::kIp},
    {"ipv6-addr", Part::kIp},
    {"ipv4-address", Part::kIp},
    {"ipv6-address", Part::kIp},
    {"host:port", Part::kHostPort},
    {"md5", Part::kMd5},
    {"sha1", Part::kSha1},
    {"sha-1", Part::kSha1},
    {"sha256", Part::kSha256},
    {"sha-256", Part::kSha256},
    {"filehash-md5", Part::kMd5},
    {"filehash-sha1", Part::kSha1},
    {"filehash-sha256", Part::kSha256},
    {"md5-hash", Part::kMd5},
    {"sha1-hash", Part::kSha1},
    {"sha256-hash", Part::kSha256},
    {"hash", Part::kHash},
    {"filehash", Part::kHash},
    {"file-hash", Part::kHash},
    {"user-agent", Part::kUserAgent},
    {"useragent", Part::kUserAgent},
    {"http-user-agent", Part::kUserAgent},
    {"email", Part::kEmail},
    {"e-mail", Part::kEmail},
    {"email-src", Part::kEmail},
    {"email-dst", Part::kEmail},
    {"email-reply-to", Part::kEmail},
    {"email-addr", Part::kEmail},
    {"email-address", Part::kEmail},
    {"filename", Part::kFilename},
    {"file-name", Part::kFilename},
    {"port", Part::kPort},
    {"dst-port", Part::kPort},
    {"src-port", Part::kPort},
};

std::string canonical_name(std::string_view name) {
  std::string out = lowercase(trim(name));
  for (char& c : out) {
    if (c == '_' || c == ' ') c = '-';
  }
  // MISP: a sample as "name|md5". (A copy of a static string: assigning the literal trips a
  // false -Wrestrict of g++ 12.)
  static const std::string kMalwareSample = "filename|md5";
  return out == "malware-sample" ? kMalwareSample : out;
}

Part part_of(std::string_view name) {
  for (const auto& [n, p] : kParts) {
    if (n == name) return p;
  }
  return Part::kUnsupported;
}

std::string_view part_name(Part p) {
  switch (p) {
    case Part::kHost: return "domain";
    case Part::kIp: return "IP address";
    case Part::kUrl: return "URL";
    case Part::kHostPort: return "host:port";
    case Part::kHash: return "MD5, SHA-1 or SHA-256 hash";
    case Part::kMd5: return "MD5 hash (32 hex digits)";
    case Part::kSha1: return "SHA-1 hash (40 hex digits)";
    case Part::kSha256: return "SHA-256 hash (64 hex digits)";
    case Part::kUserAgent: return "user-agent";
    case Part::kEmail: return "e-mail address";
    default: return "value";
  }
}

std::optional<Indicator> make(IndicatorType type, std::optional<std::string> value) {
  if (!value) return std::nullopt;
  Indicator indicator;
  indicator.type = type;
  indicator.value = std::move(*value);
  return indicator;
}

std::optional<Indicator> value_of(Part part, std::string_view raw) {
  const std::string text = part == Part::kUserAgent ? std::string(trim(raw)) : refang(trim(raw));
  const std::string_view v = text;
  switch (part) {
    case Part::kHost:
    case Part::kIp:
      if (auto a = parse_ip(v)) return make(a->v6 ? IndicatorType::kIpv6 : IndicatorType::kIpv4, format_ip(*a));
      if (part == Part::kIp) {
        if (auto n = parse_cidr(v)) return make(IndicatorType::kCidr, format_cidr(*n));
        return std::nullopt;
      }
      return make(IndicatorType::kDomain, normalise_domain(v));
    case Part::kUrl: return make(IndicatorType::kUrl, normalise_url(v));
    case Part::kHostPort: return make(IndicatorType::kHostPort, normalise_host_port(v));
    case Part::kMd5: return make(IndicatorType::kMd5, normalise_value(IndicatorType::kMd5, v));
    case Part::kSha1: return make(IndicatorType::kSha1, normalise_value(IndicatorType::kSha1, v));
    case Part::kSha256: return make(IndicatorType::kSha256, normalise_value(IndicatorType::kSha256, v));
    case Part::kHash:
      for (auto type : {IndicatorType::kMd5, IndicatorType::kSha1, IndicatorType::kSha256}) {
        if (auto h = normalise_value(type, v)) return make(type, std::move(h));
      }
      return std::nullopt;
    case Part::kUserAgent: return make(IndicatorType::kUserAgent, normalise_value(IndicatorType::kUserAgent, v));
    case Part::kEmail: return make(IndicatorType::kEmail, normalise_email(v));
    default: return std::nullopt;
  }
}

std::string invalid(Part part, std::string_view value) {
  std::string shown(value.substr(0, 200));
  return "not a valid " + std::string(part_name(part)) + ": '" + shown + "'";
}

}  // namespace

bool is_indicator_type_name(std::string_view type_name) {
  std::vector<Indicator> out;
  std::string why;
  return typed_indicators(type_name, "", out, why) != TypedStatus::kUnsupportedType;
}

TypedStatus typed_indicators(std::string_view type_name, std::string_view value, std::vector<Indicator>& out,
                             std::string& why, std::string* filename) {
  const std::string name = canonical_name(type_name);
  const auto bar = name.find('|');
  if (bar == std::string::npos) {
    const Part part = part_of(name);
    if (part == Part::kUnsupported || part == Part::kFilename || part == Part::kPort) {
      return TypedStatus::kUnsupportedType;
    }
    auto indicator = value_of(part, value);
    if (!indicator) {
      why = invalid(part, value);
      return TypedStatus::kInvalidValue;
    }
    out.push_back(std::move(*indicator));
    return TypedStatus::kOk;
  }

  // Composite: "first|second" in both the type and the value.
  const Part first = part_of(std::string_view(name).substr(0, bar));
  const Part second = part_of(std::string_view(name).substr(bar + 1));
  const bool host_port = (first == Part::kHost || first == Part::kIp) && second == Part::kPort;
  const bool named_hash = first == Part::kFilename && (second == Part::kMd5 || second == Part::kSha1 ||
                                                       second == Part::kSha256 || second == Part::kHash);
  const bool two = first != Part::kUnsupported && first != Part::kFilename && first != Part::kPort &&
                   second != Part::kUnsupported && second != Part::kFilename && second != Part::kPort;
  if (!host_port && !named_hash && !two) return TypedStatus::kUnsupportedType;
  // A file name may itself contain '|'; a hash never does: split file names at the last one.
  const auto split = named_hash ? value.rfind('|') : value.find('|');
  if (split == std::string_view::npos) {
    why = "composite type '" + name + "' without '|' in its value: '" + std::string(value.substr(0, 200)) + "'";
    return TypedStatus::kInvalidValue;
  }
  const auto left = trim(value.substr(0, split)), right = trim(value.substr(split + 1));
  if (host_port) {
    const std::string host(left);
    const std::string joined = host.find(':') != std::string::npos && host.front() != '['
                                   ? "[" + host + "]:" + std::string(right)
                                   : host + ":" + std::string(right);
    auto indicator = value_of(Part::kHostPort, joined);
    if (!indicator) {
      why = invalid(Part::kHostPort, value);
      return TypedStatus::kInvalidValue;
    }
    out.push_back(std::move(*indicator));
    return TypedStatus::kOk;
  }
  if (named_hash) {
    auto indicator = value_of(second, right);
    if (!indicator) {
      why = invalid(second, right);
      return TypedStatus::kInvalidValue;
    }
    if (filename != nullptr) *filename = std::string(left);
    out.push_back(std::move(*indicator));
    return TypedStatus::kOk;
  }
  auto a = value_of(first, left);
  auto b = value_of(second, right);
  if (!a || !b) {
    why = !a ? invalid(first, left) : invalid(second, right);
    return TypedStatus::kInvalidValue;
  }
  out.push_back(std::move(*a));
  out.push_back(std::move(*b));
  return TypedStatus::kOk;
}

}  // namespace ashiato::ioc
