// Zeek's column names (conn, http, dns, ssl, files, ...) and the canonical names they also go by,
// shared by the TSV and JSON readers so both give the same events for the same capture.
#pragma once
#include <string_view>
#include <vector>

#include "core/field_id.h"
#include "logs/line_format.h"

namespace ashiato::logs {

// Canonical aliases of a Zeek column (e.g. id.orig_h → src_ip, host → cs-host, answers → answer).
std::vector<FieldId> zeek_aliases(std::string_view column);
// Zeek "ts": epoch seconds with fraction, epoch milliseconds, or ISO 8601.
std::optional<Timestamp> zeek_time(std::string_view ts);
// After the columns are added: URL parts of http's uri (c-uri-stem, c-uri-query, c-uri-extension).
void add_zeek_uri_parts(LineEvent& event, std::string_view uri);

}  // namespace ashiato::logs
