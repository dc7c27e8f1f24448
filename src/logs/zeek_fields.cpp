#include "logs/zeek_fields.h"

#include <unordered_map>

#include "logs/canonical_fields.h"
#include "logs/line_tokens.h"

namespace ashiato::logs {

std::vector<FieldId> zeek_aliases(std::string_view column) {
  static const std::unordered_map<std::string_view, std::vector<std::string_view>> table = {
      {"id.orig_h", {"src_ip"}},
      {"id.orig_p", {"src_port"}},
      {"id.resp_h", {"dst_ip"}},
      {"id.resp_p", {"dst_port"}},
      {"proto", {"protocol"}},
      {"host", {"cs-host"}},
      {"uri", {"c-uri"}},
      {"method", {"cs-method"}},
      {"user_agent", {"c-useragent"}},
      {"status_code", {"sc-status"}},
      {"referrer", {"cs-referrer"}},
      {"version", {"cs-version"}},
      {"request_body_len", {"cs-bytes"}},
      {"response_body_len", {"sc-bytes"}},
      {"orig_bytes", {"cs-bytes"}},
      {"resp_bytes", {"sc-bytes"}},
      {"username", {"user"}},
      {"answers", {"answer"}},
      {"qtype_name", {"record_type"}},
      {"rcode_name", {"rcode"}},
      {"server_name", {"dst_host"}},
      {"duration", {"duration"}},
  };
  std::vector<FieldId> ids;
  if (auto it = table.find(column); it != table.end()) {
    for (auto alias : it->second) {
      if (alias != column) ids.push_back(intern_field(alias));
    }
  }
  return ids;
}

std::optional<Timestamp> zeek_time(std::string_view ts) {
  if (ts.find('T') != std::string_view::npos) return parse_iso8601(ts);
  if (ts.find('.') == std::string_view::npos && ts.size() >= 12 && all_digits(ts)) {  // milliseconds
    auto ms = parse_uint(ts);
    if (!ms || *ms >= 32503680000000ULL) return std::nullopt;  // after the year 3000: not a time
    return Timestamp::from_unix_seconds(static_cast<std::int64_t>(*ms / 1000),
                                        static_cast<std::int64_t>(*ms % 1000) * 1'000'000);
  }
  return parse_epoch(ts);
}

void add_zeek_uri_parts(LineEvent& event, std::string_view uri) {
  const auto& f = canonical();
  UrlParts p = split_url(uri);
  if (!p.path.empty()) event.value(f.c_uri_stem, p.path);
  if (!p.query.empty()) event.value(f.c_uri_query, p.query);
  if (!p.extension.empty()) event.value(f.c_uri_extension, p.extension);
}

}  // namespace ashiato::logs
