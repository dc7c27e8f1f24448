// Events built straight from compiled templates must equal the events built from each record's
// tree, field for field, on every real file (carved records included).
#include <gtest/gtest.h>

#include <memory>

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

// Keeps every event as text; takes records from their bytes when `direct` is set.
class CollectingSink : public evtx::ChunkSink {
 public:
  explicit CollectingSink(bool direct) : direct_(direct) {}
  void begin_chunk() override {
    events.clear();
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
  std::uint64_t direct_records = 0;

 private:
  void keep(const EventBatch& batch) {
    const Event e = batch[0];
    EventText t{e.time().ticks, e.source().record_id, e.source().offset, {}};
    e.for_each_field([&](FieldId id, std::string_view v) { t.fields.emplace_back(id, std::string(v)); });
    events.push_back(std::move(t));
  }

  bool direct_;
  evtx::EventFieldBuilder builder_;
};

struct FileRead {
  std::vector<EventText> events;
  std::uint64_t direct_records = 0;
  std::size_t errors = 0;
  std::size_t warnings = 0;
};

FileRead read(const std::filesystem::path& path, bool direct) {
  FileRead r;
  Diagnostics diagnostics;
  evtx::read_evtx(
      path.string(), evtx::ReadOptions{true}, [&] { return std::make_unique<CollectingSink>(direct); },
      [&](evtx::ChunkSink& s) {
        auto& sink = static_cast<CollectingSink&>(s);
        std::move(sink.events.begin(), sink.events.end(), std::back_inserter(r.events));
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

}  // namespace
}  // namespace ashiato::test
