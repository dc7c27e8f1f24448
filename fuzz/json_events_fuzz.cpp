// Fuzzes the JSON event reader (evtx_dump, Winlogbeat, NXLog layouts).
#include <cstdint>
#include <string_view>

#include "logs/json_events.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ashiato::EventBatch batch;
  ashiato::Diagnostics diagnostics(10);
  ashiato::logs::parse_json_events(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json", 0, batch,
                                   diagnostics);
  return 0;
}
