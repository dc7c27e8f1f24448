#include "analyze/beacon/connection_fields.h"

#include <vector>

#include "logs/canonical_fields.h"

namespace ashiato::analyze::beacon {
namespace {

constexpr std::uint8_t kNotWanted = 0xff;

// FieldId -> Field; ids interned after it was built (none of ours) are not wanted.
const std::vector<std::uint8_t>& wanted_fields() {
  static const std::vector<std::uint8_t> table = [] {
    const auto& f = logs::canonical();
    const std::pair<FieldId, ConnectionFields::Field> wanted[] = {
        {f.src_ip, ConnectionFields::kSrcIp},
        {f.dst_ip, ConnectionFields::kDstIp},
        {f.cs_host, ConnectionFields::kCsHost},
        {f.dst_host, ConnectionFields::kDstHost},
        {f.query, ConnectionFields::kQuery},
        {intern_field("_path"), ConnectionFields::kZeekPath},
        {f.channel, ConnectionFields::kChannel},
        {intern_field("conn_state"), ConnectionFields::kConnState},
        {intern_field("uid"), ConnectionFields::kUid},
        {intern_field("orig_ip_bytes"), ConnectionFields::kOrigIpBytes},
        {intern_field("resp_ip_bytes"), ConnectionFields::kRespIpBytes},
        {f.cs_bytes, ConnectionFields::kCsBytes},
        {f.sc_bytes, ConnectionFields::kScBytes},
        {f.cs_method, ConnectionFields::kMethod},
        {f.c_useragent, ConnectionFields::kUserAgent},
        {f.c_uri_stem, ConnectionFields::kUriStem},
        {f.c_uri, ConnectionFields::kUri},
        {f.c_uri_query, ConnectionFields::kUriQuery},
        {f.duration, ConnectionFields::kDuration},
    };
    std::vector<std::uint8_t> t;
    for (const auto& [id, field] : wanted) {
      if (id >= t.size()) t.resize(id + 1, kNotWanted);
      t[id] = field;
    }
    return t;
  }();
  return table;
}

}  // namespace

ConnectionFields::ConnectionFields(const Event& e) {
  const std::vector<std::uint8_t>& table = wanted_fields();
  const FieldValue* fields = e.fields();
  const std::uint32_t count = e.field_count();
  for (std::uint32_t i = 0; i < count; ++i) {
    const FieldId id = fields[i].id;
    if (id >= table.size() || table[id] == kNotWanted) continue;
    auto& value = values_[table[id]];
    if (!value) value = e.field_value(i);
  }
}

}  // namespace ashiato::analyze::beacon
