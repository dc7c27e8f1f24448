// Events built straight from compiled templates must equal the events built from each record's
// tree, field for field, on every real file (carved records included).
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "core/diagnostics.h"
#include "core/event.h"
#include "evtx/event_fields.h"
#include "evtx/parallel_reader.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

struct EventText {
  std::int64_t time;
  std::uint64_t record_id;
  std::uint64_t offset;
  std::vector<std::pair<FieldId, std::string>> fields;
  bool operator==(const EventText&) const = default;
};

void PrintTo(const EventText& e, std::ostream* os) {
  *os << "time " << e.time << ", record " << e.record_id << " at " << e.offset << ":";
  for (const auto& [id, value] : e.fields) *os << "\n  " << field_name(id) << " = " << value;
}

// What an event gate was asked about one event.
using GateQuestion = std::optional<std::pair<std::string, std::string>>;  // Channel, EventID

// Keeps every event as text; takes records from their bytes when `direct` is set. With `gate`
// (kAll or kNone), the builder's gate answers so and each event's question is kept.
enum class Gate { kOff, kAll, kNone };
class CollectingSink : public evtx::ChunkSink {
 public:
  explicit CollectingSink(bool direct, Gate gate = Gate::kOff) : direct_(direct) {
    if (gate == Gate::kOff) return;
    builder_.set_gate([this, gate](std::string_view channel, std::string_view event_id) {
      question_ = std::make_pair(std::string(channel), std::string(event_id));
      return gate == Gate::kAll;
    });
  }
  void begin_chunk() override {
    events.clear();
    questions.clear();
    direct_records = 0;
    builder_.begin_chunk();
  }
  bool record_bytes(const evtx::RecordInfo& info, evtx::Chunk& chunk, std::uint32_t begin, std::uint32_t end) override {
    if (!direct_) return false;
    EventBatch batch;
    if (!builder_.add_direct(chunk, begin, end, info, 0, batch)) {
      EXPECT_EQ(batch.size(), 0U) << "a record left to the tree path must leave nothing behind";
      return false;
    }
    keep(batch);
    ++direct_records;
    return true;
  }
  void record(const evtx::RecordInfo& info, const evtx::RecordTree& tree) override {
    EventBatch batch;
    builder_.add(tree, info, 0, batch);
    keep(batch);
  }

  std::vector<EventText> events;
  std::vector<GateQuestion> questions;  // per event
  std::uint64_t direct_records = 0;

 private:
  void keep(const EventBatch& batch) {
    questions.push_back(question_);
    question_.reset();
    const Event e = batch[0];
    EventText t{e.time().ticks, e.source().record_id, e.source().offset, {}};
    e.for_each_field([&](FieldId id, std::string_view v) { t.fields.emplace_back(id, std::string(v)); });
    events.push_back(std::move(t));
  }

  bool direct_;
  evtx::EventFieldBuilder builder_;
  GateQuestion question_;
};

struct FileRead {
  std::vector<EventText> events;
  std::vector<GateQuestion> questions;
  std::uint64_t direct_records = 0;
  std::size_t errors = 0;
  std::size_t warnings = 0;
};

FileRead read(const std::filesystem::path& path, bool direct, Gate gate = Gate::kOff) {
  FileRead r;
  Diagnostics diagnostics;
  evtx::read_evtx(
      path.string(), evtx::ReadOptions{true}, [&] { return std::make_unique<CollectingSink>(direct, gate); },
      [&](evtx::ChunkSink& s) {
        auto& sink = static_cast<CollectingSink&>(s);
        std::move(sink.events.begin(), sink.events.end(), std::back_inserter(r.events));
        std::move(sink.questions.begin(), sink.questions.end(), std::back_inserter(r.questions));
        r.direct_records += sink.direct_records;
      },
      diagnostics);
  r.errors = diagnostics.errors();
  r.warnings = diagnostics.warnings();
  return r;
}

TEST(TemplateFields, SameEventsAsTheTreeOnEveryCorpusFile) {
  const auto files = files_under(corpus("evtx"), ".evtx");
  ASSERT_GT(files.size(), 300U);
  std::uint64_t records = 0;
  std::uint64_t direct = 0;
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    const FileRead tree = read(path, false);
    const FileRead fast = read(path, true);
    EXPECT_EQ(tree.direct_records, 0U);
    ASSERT_EQ(fast.events.size(), tree.events.size());
    for (std::size_t i = 0; i < tree.events.size(); ++i) {
      ASSERT_EQ(fast.events[i], tree.events[i]) << "record " << tree.events[i].record_id;
    }
    EXPECT_EQ(fast.errors, tree.errors);
    EXPECT_EQ(fast.warnings, tree.warnings);
    records += tree.events.size();
    direct += fast.direct_records;
  }
  // Counted on this corpus: nearly every record is a plain template instance. A drop means the
  // direct path started refusing records it should take.
  EXPECT_GT(records, 34000U);
  EXPECT_GT(direct * 100, records * 97) << direct << " of " << records << " records built directly";
  std::printf("%llu of %llu records built from compiled templates\n", static_cast<unsigned long long>(direct),
              static_cast<unsigned long long>(records));
}

std::string value_of(const EventText& e, FieldId id) {
  for (const auto& [field, value] : e.fields) {
    if (field == id) return value;
  }
  return "<absent>";
}

// A gate is asked once per event with the event's own Channel and EventID (once its time is read
// too); saying yes changes nothing, saying no keeps the event as read so far: its time, and its
// fields up to the last of those, the rest left out.
TEST(TemplateFields, AGateIsAskedAboutEachEventAndTurnedAwayEventsKeepTheirFirstFields) {
  const FieldId channel = intern_field("Channel");
  const FieldId event_id = intern_field("EventID");
  const FieldId computer = intern_field("Computer");
  std::uint64_t records = 0, asked = 0, shortened = 0;
  for (const auto& path : files_under(corpus("evtx"), ".evtx")) {
    SCOPED_TRACE(path.string());
    const FileRead whole = read(path, true);
    const FileRead passed = read(path, true, Gate::kAll);
    const FileRead stopped = read(path, true, Gate::kNone);
    ASSERT_EQ(passed.events, whole.events);
    ASSERT_EQ(stopped.events.size(), whole.events.size());
    EXPECT_EQ(stopped.errors, whole.errors);
    for (std::size_t i = 0; i < whole.events.size(); ++i) {
      const EventText& full = whole.events[i];
      const EventText& cut = stopped.events[i];
      SCOPED_TRACE("record " + std::to_string(full.record_id));
      EXPECT_EQ(stopped.questions[i], passed.questions[i]);
      if (!stopped.questions[i]) {
        EXPECT_EQ(cut, full) << "an event the gate was not asked about is read whole";
        continue;
      }
      ++asked;
      EXPECT_EQ(stopped.questions[i]->first, value_of(full, channel));
      EXPECT_EQ(stopped.questions[i]->second, value_of(full, event_id));
      EXPECT_EQ(cut.time, full.time);
      EXPECT_EQ(cut.record_id, full.record_id);
      ASSERT_LE(cut.fields.size(), full.fields.size());
      EXPECT_TRUE(std::equal(cut.fields.begin(), cut.fields.end(), full.fields.begin()));
      EXPECT_EQ(value_of(cut, channel), value_of(full, channel));
      EXPECT_EQ(value_of(cut, event_id), value_of(full, event_id));
      EXPECT_EQ(value_of(cut, computer), "<absent>");
      if (cut.fields.size() < full.fields.size()) ++shortened;
    }
    records += whole.events.size();
  }
  // Counted on this corpus (carved records included): 37,059 of 39,236 events have a Channel, an
  // EventID and a time read straight from their template, and every such event has fields after
  // them (Computer at least). A drop means the gate stopped being asked.
  EXPECT_GT(asked * 100, records * 90) << asked << " of " << records;
  EXPECT_EQ(shortened, asked);
}

}  // namespace
}  // namespace ashiato::test
