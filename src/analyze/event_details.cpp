#include "analyze/event_details.h"

#include <array>

namespace ashiato::analyze {
namespace {

constexpr std::size_t kMaxFields = 5;
constexpr std::size_t kMaxValue = 200;

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

}  // namespace

std::string event_details(const Event& event) {
  static const auto ids = [] {
    std::array<FieldId, kKeyFields.size()> a{};
    for (std::size_t i = 0; i < kKeyFields.size(); ++i) a[i] = intern_field(kKeyFields[i]);
    return a;
  }();
  std::string out;
  std::size_t shown = 0;
  for (std::size_t i = 0; i < ids.size() && shown < kMaxFields; ++i) {
    const auto v = event.get(ids[i]);
    if (!v || v->empty() || *v == "-") continue;
    if (!out.empty()) out += " ¦ ";
    out += kKeyFields[i];
    out += ": ";
    std::string_view value = *v;
    if (value.size() > kMaxValue) {
      std::size_t cut = kMaxValue;
      while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
      value = value.substr(0, cut);
    }
    for (char c : value) out.push_back(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    if (v->size() > kMaxValue) out += "…";
    ++shown;
  }
  return out;
}

}  // namespace ashiato::analyze
