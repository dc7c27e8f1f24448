// Windows events from JSON exports: OTRF/NXLog zips, evtx_dump JSON, Winlogbeat/ECS lines.
#include "logs/json_events.h"

#include <gtest/gtest.h>

#include <map>

#include "evtx/record_capture.h"
#include "pipeline/hunt.h"
#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

std::vector<std::map<std::string, std::string>> read_all(const std::string& path, Diagnostics& d) {
  std::vector<std::map<std::string, std::string>> events;
  logs::read_json_events(
      path, 0,
      [&](const EventBatch& batch, const std::string&) {
        for (std::size_t i = 0; i < batch.size(); ++i) {
          std::map<std::string, std::string> fields;
          batch[i].for_each_field(
              [&](FieldId id, std::string_view v) { fields.emplace(std::string(field_name(id)), v); });
          events.push_back(std::move(fields));
        }
      },
      d);
  return events;
}

TEST(JsonEvents, EveryOtrfZipReadsCompletely) {
  const auto zips = files_under(corpus("json-events/otrf"), ".zip");
  ASSERT_GE(zips.size(), 80U);
  std::size_t windows = 0;
  for (const auto& zip : zips) {
    SCOPED_TRACE(zip.string());
    Diagnostics d;
    const auto events = read_all(zip.string(), d);
    EXPECT_EQ(d.errors(), 0U);
    // Independently of our reader: Python's json module over the archive's JSON entries.
    std::string out;
    ASSERT_EQ(run_command("/usr/bin/python3 -c \"import json,sys,zipfile\n"
                          "n=0\n"
                          "z=zipfile.ZipFile(sys.argv[1])\n"
                          "for i in z.infolist():\n"
                          "  if i.filename.startswith('__MACOSX/') or not i.filename.endswith('.json'): continue\n"
                          "  t=z.read(i).decode('utf-8','replace').strip()\n"
                          "  try:\n"
                          "    d=json.loads(t); n+=len(d) if isinstance(d,list) else 1\n"
                          "  except ValueError:\n"
                          "    n+=sum(1 for l in t.splitlines() if l.strip())\n"
                          "print(n)\" '" +
                              zip.string() + "'",
                          out),
              0);
    EXPECT_EQ(events.size(), std::stoul(out));
    if (zip.string().find("/windows/") != std::string::npos) {
      ++windows;
      std::size_t with_channel = 0;
      for (const auto& e : events) with_channel += e.count("Channel") != 0 && e.count("EventID") != 0 ? 1 : 0;
      EXPECT_GT(with_channel, events.size() / 2) << "NXLog events carry Channel and EventID";
    }
  }
  EXPECT_GE(windows, 60U);
}

TEST(JsonEvents, EvtxDumpJsonGivesTheSameFieldsAsTheEvtxReader) {
  const std::string evtx_path = corpus("evtx/omerbenamram/samples/security.evtx").string();
  const auto dir = temp_dir();
  const std::string jsonl = (dir / "security.jsonl").string();
  const std::string pretty = (dir / "security.json").string();
  std::string out;
  ASSERT_EQ(run_command(std::string(ASHIATO_BINARY) + " dump -q -f jsonl -o " + jsonl + " " + evtx_path, out), 0);
  ASSERT_EQ(run_command(std::string(ASHIATO_BINARY) + " dump -q -f json -o " + pretty + " " + evtx_path, out), 0);
  Diagnostics d;
  const auto records = capture_records(evtx_path, d);
  for (const std::string& path : {jsonl, pretty}) {
    SCOPED_TRACE(path);
    Diagnostics dj;
    const auto events = read_all(path, dj);
    EXPECT_EQ(dj.errors(), 0U);
    ASSERT_EQ(events.size(), records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
      for (const auto& [name, value] : records[i].fields) {
        if (name == "Data" || name.find('.') != std::string::npos) continue;
        auto it = events[i].find(name);
        ASSERT_NE(it, events[i].end()) << name << " in record " << i;
        EXPECT_EQ(it->second, value) << name << " in record " << i;
      }
    }
  }
}

TEST(JsonEvents, WinlogbeatEcsLayout) {
  // Field names as Winlogbeat documents them (winlog.*), one event per line.
  const std::string line =
      R"({"@timestamp":"2015-06-03T01:13:06.000Z","event":{"code":"4698"},"winlog":{"channel":"Security",)"
      R"("event_id":4698,"computer_name":"DC01.example.co.jp","provider_name":"Microsoft-Windows-Security-Auditing",)"
      R"("record_id":2003,"event_data":{"SubjectUserName":"adm-tanaka","TaskName":"\\At1"}}})";
  EventBatch batch;
  Diagnostics d;
  const auto stats = logs::parse_json_events(line + "\n" + line + "\n", "inline", 0, batch, d);
  ASSERT_EQ(stats.events, 2U);
  EXPECT_EQ(d.errors(), 0U);
  const Event e = batch[0];
  EXPECT_EQ(e.get(intern_field("Channel")).value_or(""), "Security");
  EXPECT_EQ(e.get(intern_field("EventID")).value_or(""), "4698");
  EXPECT_EQ(e.get(intern_field("Computer")).value_or(""), "DC01.example.co.jp");
  EXPECT_EQ(e.get(intern_field("TaskName")).value_or(""), "\\At1");
  EXPECT_EQ(to_iso8601(e.time(), 0), "2015-06-03T01:13:06Z");
}

TEST(JsonEvents, BrokenJsonIsReportedWithPosition) {
  EventBatch batch;
  Diagnostics d;
  const auto stats = logs::parse_json_events("{\"Channel\":\"Security\",\"EventID\":1}\n{\"Channel\": broken\n",
                                             "bad.jsonl", 0, batch, d);
  EXPECT_EQ(stats.events, 1U);
  EXPECT_GE(stats.errors, 1U);
  ASSERT_FALSE(d.kept().empty());
  EXPECT_EQ(d.kept()[0].file, "bad.jsonl");
  EXPECT_NE(d.kept()[0].reason.find("JSON"), std::string::npos);
}

// An attacker who can write one line into an export must not hide the lines after it: each bad
// object is reported with its line and offset, and the reading goes on at the next object.
TEST(JsonEvents, ABadLineIsReportedAndTheLinesAfterItAreStillRead) {
  const std::string good = R"({"Channel":"Security","EventID":4624,"TargetUserName":"u1"})";
  const std::string broken = R"({"Event": broken})";
  const std::string control = "{\"Channel\":\"Security\",\"EventID\":4625,\"TargetUserName\":\"a\x1b[2Jb\"}";
  const std::string text = good + "\n" + broken + "\n" + good + "\n" + control + "\n" + good + "\n";
  EventBatch batch;
  Diagnostics d;
  const auto stats = logs::parse_json_events(text, "export.jsonl", 0, batch, d);
  EXPECT_EQ(stats.events, 3U);
  EXPECT_EQ(stats.errors, 2U);
  const auto problems = d.kept();
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_EQ(problems[0].where, "line 2");
  EXPECT_EQ(problems[0].offset, good.size() + 1);
  EXPECT_EQ(problems[1].where, "line 4");
  EXPECT_EQ(problems[1].offset, 2 * (good.size() + 1) + broken.size() + 1);
  for (std::size_t i = 0; i < batch.size(); ++i) EXPECT_EQ(batch[i].get(intern_field("EventID")).value_or(""), "4624");
}

TEST(JsonEvents, ABrokenPrettyObjectIsSkippedAndTheNextOneRead) {
  // evtx_dump -o json: "Record N" lines, then an object over several indented lines.
  const std::string object =
      "{\n  \"Event\": {\n    \"System\": {\n      \"Channel\": \"Security\",\n      \"EventID\": 4624\n    }\n  "
      "}\n}\n";
  const std::string damaged = "{\n  \"Event\": {\n    \"System\": {\n      \"Channel\": \"Sec";
  const std::string text = "Record 1\n" + object + "Record 2\n" + damaged + "\nRecord 3\n" + object;
  EventBatch batch;
  Diagnostics d;
  const auto stats = logs::parse_json_events(text, "dump.json", 0, batch, d);
  EXPECT_EQ(stats.events, 2U);
  EXPECT_EQ(stats.errors, 1U);
  ASSERT_EQ(d.kept().size(), 1U);
  EXPECT_EQ(d.kept()[0].where, "line 11");
  EXPECT_EQ(d.kept()[0].offset, std::string("Record 1\n").size() + object.size() + std::string("Record 2\n").size());
}

TEST(JsonEvents, HuntingJsonAndEvtxOfTheSameEventsFindsTheSame) {
  const std::string evtx_path =
      corpus("evtx/evtx-attack-samples/Lateral Movement/LM_ScheduledTask_ATSVC_target_host.evtx").string();
  const auto dir = temp_dir();
  const std::string jsonl = (dir / "events.jsonl").string();
  std::string out;
  ASSERT_EQ(run_command(std::string(ASHIATO_BINARY) + " dump -q -f jsonl -o " + jsonl + " '" + evtx_path + "'", out),
            0);
  sigma::LoadResult loaded;
  sigma::load_rule_paths({std::string(ASHIATO_SOURCE_DIR) + "/rules", corpus("sigma/rules/windows").string()}, loaded);
  const auto set = sigma::RuleSet::compile(loaded, sigma::RuleSelection{}, {});
  auto hits = [&](const std::string& path) {
    Diagnostics d;
    std::multiset<std::pair<std::string, std::uint64_t>> s;
    for (const auto& f : pipeline::hunt({path}, set, d)) s.emplace(f.rule_id, f.primary().record);
    return s;
  };
  const auto from_evtx = hits(evtx_path);
  EXPECT_FALSE(from_evtx.empty());
  EXPECT_EQ(hits(jsonl), from_evtx);
}

}  // namespace
}  // namespace ashiato::test
