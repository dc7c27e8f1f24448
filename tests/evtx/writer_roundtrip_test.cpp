// The EVTX writer's files read back with identical fields, in ashiato and in two independent
// readers: libevtx's evtxexport and python-evtx.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "evtx/evtx_writer.h"
#include "evtx/record_capture.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

std::vector<evtx::WriterEvent> sample_events(int count) {
  std::vector<evtx::WriterEvent> events;
  Timestamp t = *parse_iso8601("2015-06-01T09:00:00.1234567Z");
  for (int i = 0; i < count; ++i) {
    evtx::WriterEvent e;
    e.provider_name = "Microsoft-Windows-Security-Auditing";
    e.provider_guid = "{54849625-5478-4994-A5BA-3E3B0328C30D}";
    e.event_id = static_cast<std::uint16_t>(i % 3 == 0 ? 4624 : i % 3 == 1 ? 4688 : 4698);
    e.level = static_cast<std::uint8_t>(i % 5);
    e.task = static_cast<std::uint16_t>(12544 + i % 7);
    e.time = t;
    t.ticks += 12'345'678LL * (i + 1);
    e.process_id = 600 + static_cast<std::uint32_t>(i);
    e.thread_id = 700 + static_cast<std::uint32_t>(i);
    e.channel = "Security";
    e.computer = "PC" + std::to_string(i % 17) + ".example.co.jp";
    if (i % 2 == 0) e.user_sid = "S-1-5-21-3623811015-3361044348-30300820-" + std::to_string(1000 + i);
    e.data = {
        {"SubjectUserName", "user" + std::to_string(i)},
        {"CommandLine", "cmd.exe /c \"echo <a&b> 'q'\" 日本語 " + std::string(static_cast<std::size_t>(i % 300), 'x')},
        {"Empty", ""}};
    if (i % 3 == 2) e.data.emplace_back("TaskName", "\\At" + std::to_string(i));
    events.push_back(std::move(e));
  }
  return events;
}

class WriterRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (temp_dir() / "written.evtx").string();
    events_ = sample_events(700);  // several chunks
    evtx::EvtxWriter w(path_);
    for (const auto& e : events_) w.write(e);
    w.close();
  }
  std::string path_;
  std::vector<evtx::WriterEvent> events_;
};

TEST_F(WriterRoundTrip, AshiatoReadsBackIdenticalFieldsWithValidChecksums) {
  Diagnostics d;
  const auto records = capture_records(path_, d);
  EXPECT_EQ(d.errors(), 0U);
  EXPECT_EQ(d.warnings(), 0U) << "checksums and header must be valid";
  ASSERT_EQ(records.size(), events_.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& r = records[i];
    const auto& e = events_[i];
    SCOPED_TRACE(i);
    EXPECT_EQ(r.record_id, i + 1);
    EXPECT_EQ(field(r, "EventRecordID"), std::to_string(i + 1));
    EXPECT_EQ(field(r, "EventID"), std::to_string(e.event_id));
    EXPECT_EQ(field(r, "Level"), std::to_string(e.level));
    EXPECT_EQ(field(r, "Task"), std::to_string(e.task));
    EXPECT_EQ(field(r, "Provider_Name"), e.provider_name);
    EXPECT_EQ(field(r, "Provider_Guid"), e.provider_guid);
    EXPECT_EQ(field(r, "TimeCreated_SystemTime"), to_iso8601(e.time, 6));
    EXPECT_EQ(field(r, "Execution_ProcessID"), std::to_string(e.process_id));
    EXPECT_EQ(field(r, "Computer"), e.computer);
    EXPECT_EQ(field(r, "Security_UserID"), e.user_sid.empty() ? "<absent>" : e.user_sid);
    for (const auto& [name, value] : e.data) EXPECT_EQ(field(r, name), value) << name;
  }
}

TEST_F(WriterRoundTrip, LibevtxEvtxexportReadsTheSameEvents) {
  std::string out;
  ASSERT_EQ(run_command("evtxexport -f text " + path_ + " 2>&1", out), 0) << out;
  std::istringstream in(out);
  std::string line;
  std::vector<std::string> ids;
  std::vector<std::vector<std::string>> strings;
  while (std::getline(in, line)) {
    if (line.rfind("Event identifier", 0) == 0) {
      ids.push_back(line.substr(line.find('(') + 1, line.find(')') - line.find('(') - 1));
      strings.emplace_back();
    } else if (line.rfind("String: ", 0) == 0 && !strings.empty()) {
      const auto colon = line.find(": ", 8);
      strings.back().push_back(colon == std::string::npos ? "" : line.substr(colon + 2));
    }
  }
  ASSERT_EQ(ids.size(), events_.size());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(ids[i], std::to_string(events_[i].event_id));
    ASSERT_EQ(strings[i].size(), events_[i].data.size());
    for (std::size_t k = 0; k < strings[i].size(); ++k) {
      if (events_[i].data[k].second.empty()) continue;  // evtxexport prints nothing after "String: N"
      EXPECT_EQ(strings[i][k], events_[i].data[k].second);
    }
  }
}

TEST_F(WriterRoundTrip, PythonEvtxReadsTheSameEvents) {
  const std::string script = std::filesystem::path(path_).parent_path().string() + "/read.py";
  {
    std::ofstream py(script);
    py << "import sys, Evtx.Evtx as E, xml.etree.ElementTree as ET\n"
          "ns = {'e': 'http://schemas.microsoft.com/win/2004/08/events/event'}\n"
          "with E.Evtx(sys.argv[1]) as log:\n"
          "    for r in log.records():\n"
          "        root = ET.fromstring(r.xml())\n"
          "        cells = [root.find('e:System/e:EventID', ns).text, root.find('e:System/e:Computer', ns).text]\n"
          "        cells += [d.text or '' for d in root.findall('e:EventData/e:Data', ns)]\n"
          "        sys.stdout.buffer.write(('\\x1f'.join(cells) + '\\x1e').encode('utf-8'))\n";
  }
  std::string out;
  ASSERT_EQ(run_command("/usr/bin/python3 " + script + " " + path_, out), 0) << out;
  std::vector<std::string> rows;
  std::size_t start = 0;
  for (std::size_t end; (end = out.find('\x1e', start)) != std::string::npos; start = end + 1) {
    rows.push_back(out.substr(start, end - start));
  }
  ASSERT_EQ(rows.size(), events_.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    std::string expected = std::to_string(events_[i].event_id) + '\x1f' + events_[i].computer;
    for (const auto& [name, value] : events_[i].data) expected += '\x1f' + value;
    EXPECT_EQ(rows[i], expected) << i;
  }
}

}  // namespace
}  // namespace ashiato::test
