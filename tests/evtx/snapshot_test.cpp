// The evtx crate's snapshot renderings (XML and JSON) of chosen records must equal ours, modulo
// whitespace. Each snapshot is matched to its record by EventRecordID, Computer and Channel.
#include <gtest/gtest.h>

#include <regex>

#include "evtx/record_capture.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

namespace fs = std::filesystem;

std::string body_of_snapshot(const std::string& snap) {
  // insta snapshots: a YAML header between "---" lines, then the value.
  const auto second = snap.find("---", 3);
  return snap.substr(snap.find('\n', second) + 1);
}

// Removes whitespace between tags / JSON tokens and at line ends; keeps it inside text.
std::string squeeze(const std::string& s) {
  std::string out;
  std::istringstream in(s);
  std::string line;
  while (std::getline(in, line)) {
    const auto b = line.find_first_not_of(" \t\r");
    const auto e = line.find_last_not_of(" \t\r");
    if (b != std::string::npos) out += line.substr(b, e - b + 1);
  }
  return out;
}

std::string capture(const std::string& text, const std::string& pattern) {
  std::smatch m;
  return std::regex_search(text, m, std::regex(pattern)) ? m[1].str() : "";
}

struct Located {
  std::string file;
  CapturedRecord record;
};

// Finds the sample record with this id, computer and channel.
std::optional<Located> locate(const std::string& record_id, const std::string& computer, const std::string& channel,
                              const std::string& time) {
  for (const auto& path : files_under(corpus("evtx/omerbenamram/samples"), ".evtx")) {
    Diagnostics d;
    for (auto& r : capture_records(path.string(), d)) {
      // Forwarded events keep the source's EventRecordID, which differs from the record header's.
      if (field(r, "EventRecordID") == record_id && field(r, "Computer") == computer &&
          field(r, "Channel") == channel && field(r, "TimeCreated_SystemTime") == time) {
        return Located{path.filename().string(), std::move(r)};
      }
    }
  }
  return std::nullopt;
}

// Our GUID-typed values render as Event Viewer shows them, "{...}" in braces; the evtx crate
// prints them without. That is the one rendering difference we normalise (on both sides, since
// string values may hold braced GUIDs too).
std::string without_guid_braces(std::string s) {
  static const std::regex guid(R"(\{([0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12})\})");
  return std::regex_replace(s, guid, "$1");
}

TEST(Snapshots, XmlAndJsonRenderingsMatchTheEvtxCrate) {
  const auto snapshots = files_under(corpus("evtx/omerbenamram/tests/snapshots"), ".snap");
  ASSERT_GE(snapshots.size(), 18U);
  int compared = 0;
  std::vector<std::string> unlocated;
  int optional_layouts = 0;
  for (const auto& snap_path : snapshots) {
    SCOPED_TRACE(snap_path.filename().string());
    const std::string expected = body_of_snapshot(read_file(snap_path));
    const bool is_xml = expected.rfind("<?xml", 0) == 0;
    // Four JSON snapshots use evtx_dump's optional layout with separate "<Name>_attributes"
    // objects (its --separate-json-attributes), which ashiato does not offer.
    const bool separate_attributes = std::regex_search(expected, std::regex("[A-Za-z]_attributes\""));
    if (separate_attributes) {
      ++optional_layouts;
      continue;
    }
    const std::string id =
        is_xml ? capture(expected, "<EventRecordID>(\\d+)<") : capture(expected, "\"EventRecordID\": \"?(\\d+)");
    const std::string computer =
        is_xml ? capture(expected, "<Computer>([^<]*)<") : capture(expected, "\"Computer\": \"([^\"]*)\"");
    const std::string channel =
        is_xml ? capture(expected, "<Channel>([^<]*)<") : capture(expected, "\"Channel\": \"([^\"]*)\"");
    const std::string time =
        is_xml ? capture(expected, "SystemTime=\"([^\"]*)\"") : capture(expected, "\"SystemTime\": \"([^\"]*)\"");
    ASSERT_FALSE(id.empty());
    const auto found = locate(id, computer, channel, time);
    if (!found) {
      // The snapshot's source file is not in this copy of the samples (over 4 MiB upstream).
      unlocated.push_back(snap_path.filename().string());
      continue;
    }
    const std::string ours = is_xml ? found->record.xml : found->record.json;
    EXPECT_EQ(squeeze(without_guid_braces(ours)), squeeze(without_guid_braces(expected)))
        << "record " << id << " of " << found->file;
    ++compared;
  }
  EXPECT_EQ(optional_layouts, 4);
  EXPECT_EQ(compared, 12);
  // security.evtx's sibling from host WIN-LL0C19JS506 (two snapshots) is not in this copy.
  EXPECT_LE(unlocated.size(), 2U) << ::testing::PrintToString(unlocated);
}

}  // namespace
}  // namespace ashiato::test
