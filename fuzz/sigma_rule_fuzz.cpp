// Fuzzes Sigma rule loading and compilation (YAML, modifiers, conditions, correlations), then
// matches the compiled rules against a fixed event, three times: the second and third matches
// answer from the value memo (value_memo.h) and must give the first one's rules.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

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
    ashiato::sigma::MatchScratch scratch;
    const std::vector<std::uint32_t> first = set.match(batch[0], scratch);
    for (int again = 0; again < 2; ++again) {
      const std::vector<std::uint32_t>& later = set.match(batch[0], scratch);
      if (later != first) std::abort();  // a remembered answer differs from the worked-out one
    }
  } catch (const std::runtime_error&) {  // e.g. a literal Hyperscan refuses: reported, not a crash
  }
  return 0;
}
