// Fuzzes Sigma rule loading and compilation (YAML, modifiers, conditions, correlations), then
// matches the compiled rules against a fixed event.
#include <cstdint>
#include <string>

#include "core/event.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ashiato::sigma::LoadResult loaded;
  ashiato::sigma::load_rule_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yml", loaded);
  try {
    const auto set = ashiato::sigma::RuleSet::compile(loaded, ashiato::sigma::RuleSelection{}, {});
    ashiato::EventBatch batch;
    batch.begin_event(ashiato::Timestamp{}, ashiato::SourceRef{});
    batch.add_field(ashiato::intern_field("Channel"), "Security");
    batch.add_field(ashiato::intern_field("EventID"), "4688");
    batch.add_field(ashiato::intern_field("CommandLine"), "cmd.exe /c at \\\\dc01 10:00 x.exe");
    batch.add_field(ashiato::intern_field("NewProcessName"), "C:\\Windows\\System32\\at.exe");
    set.match(batch[0], [](std::uint32_t) {});
  } catch (const std::runtime_error&) {  // e.g. a literal Hyperscan refuses: reported, not a crash
  }
  return 0;
}
