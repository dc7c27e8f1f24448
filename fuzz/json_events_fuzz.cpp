// Fuzzes the JSON event reader (evtx_dump, Winlogbeat, NXLog layouts), and checks that it
// resynchronises: whatever comes before it, a good event on a line of its own is still read (one
// bad object must not hide the events after it).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "logs/json_events.h"

namespace {

std::uint64_t events_in(std::string_view text) {
  ashiato::EventBatch batch;
  ashiato::Diagnostics diagnostics(10);
  return ashiato::logs::parse_json_events(text, "fuzz.json", 0, batch, diagnostics).events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::uint64_t events = events_in(input);
  // A JSON array is one document: nothing after it is a line of its own.
  const std::size_t first = input.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && input[first] == '[') return 0;
  std::string more(input);
  more += "\n{\"Channel\":\"Security\",\"EventID\":4624,\"Computer\":\"PC-017\"}\n";
  if (events_in(more) != events + 1) std::abort();  // the good line after the input was lost
  return 0;
}
