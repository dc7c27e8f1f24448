// The "details" column of timelines: the first few key fields of an event, by a priority list,
// on one line and of bounded length.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "analyze/event_details.h"
#include "core/event.h"

namespace ashiato::test {
namespace {

std::string details_of(const std::vector<std::pair<std::string, std::string>>& fields) {
  EventBatch batch;
  batch.begin_event(Timestamp{}, SourceRef{});
  for (const auto& [name, value] : fields) batch.add_field(intern_field(name), value);
  return analyze::event_details(batch[0]);
}

TEST(EventDetails, KeyFieldsInPriorityOrderNotEventOrder) {
  EXPECT_EQ(details_of({{"TargetUserName", "adm-tanaka"},
                        {"Channel", "Security"},
                        {"NewProcessName", "C:\\Windows\\System32\\at.exe"},
                        {"CommandLine", "at \\\\FS01 10:00 C:\\Windows\\Temp\\x.exe"}}),
            "CommandLine: at \\\\FS01 10:00 C:\\Windows\\Temp\\x.exe ¦ NewProcessName: "
            "C:\\Windows\\System32\\at.exe ¦ TargetUserName: adm-tanaka");
}

TEST(EventDetails, EmptyAndDashValuesAreLeftOutAndFiveAreShownAtMost) {
  EXPECT_EQ(details_of({{"CommandLine", ""},
                        {"Image", "-"},
                        {"ParentImage", "p.exe"},
                        {"TargetUserName", "u"},
                        {"SubjectUserName", "s"},
                        {"User", "x"},
                        {"LogonType", "3"},
                        {"IpAddress", "10.1.0.17"}}),
            "ParentImage: p.exe ¦ TargetUserName: u ¦ SubjectUserName: s ¦ User: x ¦ LogonType: 3");
  EXPECT_EQ(details_of({{"Channel", "System"}}), "");
}

TEST(EventDetails, LineBreaksAndTabsBecomeSpaces) {
  EXPECT_EQ(details_of({{"ScriptBlockText", "a\r\nb\tc\nd"}}), "ScriptBlockText: a  b c d");
}

TEST(EventDetails, LongValuesAreCutAtTwoHundredBytesWithoutSplittingACharacter) {
  EXPECT_EQ(details_of({{"CommandLine", std::string(250, 'x')}}), "CommandLine: " + std::string(200, 'x') + "…");
  // 199 ASCII bytes, then a three-byte character across the 200-byte mark: cut before it.
  EXPECT_EQ(details_of({{"CommandLine", std::string(199, 'x') + "足跡"}}),
            "CommandLine: " + std::string(199, 'x') + "…");
  EXPECT_EQ(details_of({{"CommandLine", std::string(200, 'x')}}), "CommandLine: " + std::string(200, 'x'));
}

}  // namespace
}  // namespace ashiato::test
