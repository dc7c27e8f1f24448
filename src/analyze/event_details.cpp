#include "analyze/event_details.h"

#include <array>
#include <cstdint>
#include <vector>

namespace ashiato::analyze {
namespace {

constexpr std::size_t kMaxFields = 5;
constexpr std::size_t kMaxValue = 200;
constexpr std::uint32_t kNotPresent = 0xffffffffU;
constexpr std::uint8_t kNotKey = 0xFF;

// Ordered by usefulness in a timeline; the first kMaxFields present are shown.
constexpr std::array kKeyFields = {
    "CommandLine",
    "Image",
    "NewProcessName",
    "ParentImage",
    "ParentProcessName",
    "TargetUserName",
    "SubjectUserName",
    "User",
    "LogonType",
    "IpAddress",
    "WorkstationName",
    "ServiceName",
    "ImagePath",
    "TaskName",
    "TargetFilename",
    "TargetObject",
    "Details",
    "DestinationIp",
    "DestinationPort",
    "QueryName",
    "ScriptBlockText",
    "Payload",
    "ProcessName",
    "ObjectName",
    "ShareName",
    "RelativeTargetName",
    "PipeName",
    "GrantedAccess",
    "TargetImage",
    "ImageLoaded",
    "Data",
    // text logs (canonical names)
    "src_ip",
    "user",
    "cs-method",
    "c-uri",
    "cs-host",
    "query",
    "answer",
    "dst_ip",
    "dst_port",
    "action",
    "sc-status",
    "c-useragent",
    "message",
};

static_assert(kKeyFields.size() < kNotKey);

}  // namespace

std::string event_details(const Event& event) {
  // Key field id -> its rank in kKeyFields (kNotKey: none), so that one pass over the event's
  // values finds them all (a lookup per key field scanned the event 44 times).
  static const std::vector<std::uint8_t> rank_of = [] {
    std::vector<std::uint8_t> table;
    for (std::size_t i = 0; i < kKeyFields.size(); ++i) {
      const FieldId id = intern_field(kKeyFields[i]);
      if (id >= table.size()) table.resize(id + 1, kNotKey);
      table[id] = static_cast<std::uint8_t>(i);
    }
    return table;
  }();
  std::array<std::uint32_t, kKeyFields.size()> first_at;
  first_at.fill(kNotPresent);
  for (std::uint32_t i = 0; i < event.field_count(); ++i) {
    const FieldId id = event.field_id(i);
    if (id < rank_of.size() && rank_of[id] != kNotKey && first_at[rank_of[id]] == kNotPresent)
      first_at[rank_of[id]] = i;
  }
  std::string out;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < kKeyFields.size() && shown < kMaxFields; ++i) {
    if (first_at[i] == kNotPresent) continue;
    const std::string_view full = event.field_value(first_at[i]);
    if (full.empty() || full == "-") continue;
    if (!out.empty()) out += " ¦ ";
    out += kKeyFields[i];
    out += ": ";
    std::string_view value = full;
    if (value.size() > kMaxValue) {
      std::size_t cut = kMaxValue;
      while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
      value = value.substr(0, cut);
    }
    // Appended whole, then line breaks and tabs blanked in place (a push_back per byte cost most
    // of building the details of a detection).
    const std::size_t from = out.size();
    out += value;
    for (std::size_t k = from; k < out.size(); ++k) {
      if (out[k] == '\n' || out[k] == '\r' || out[k] == '\t') out[k] = ' ';
    }
    if (full.size() > kMaxValue) out += "…";
    ++shown;
  }
  return out;
}

}  // namespace ashiato::analyze
