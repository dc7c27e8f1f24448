// Damaged files: every problem is reported with its position and the rest is still read.
#include <gtest/gtest.h>

#include <fstream>
#include <random>

#include "evtx/file_summary.h"
#include "evtx/record_capture.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
  std::ofstream(p, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

const std::string kSample = "evtx/omerbenamram/samples/security.evtx";  // 2261 records, 33 chunks

TEST(Robustness, TruncatedFileReadsWhatIsThereAndSaysSo) {
  const std::string bytes = read_file(corpus(kSample));
  const auto path = temp_dir() / "truncated.evtx";
  write_bytes(path, bytes.substr(0, 4096 + 3 * 65536 + 30000));  // 3 chunks and part of a 4th
  Diagnostics d;
  const auto s = evtx::summarize_file(path.string(), evtx::ReadOptions{}, d);
  Diagnostics full_d;
  const auto full = evtx::summarize_file(corpus(kSample).string(), evtx::ReadOptions{}, full_d);
  EXPECT_GT(s.stats.records, 0U);
  EXPECT_LT(s.stats.records, full.stats.records);
  bool said_truncated = false;
  for (const auto& p : d.kept()) said_truncated = said_truncated || p.reason.find("truncated") != std::string::npos;
  EXPECT_TRUE(said_truncated);
}

TEST(Robustness, ZeroedAndCorruptChunksAreSkippedOthersRead) {
  std::string bytes = read_file(corpus(kSample));
  const auto chunk = [](int i) { return static_cast<std::size_t>(4096 + i * 65536); };
  std::fill(bytes.begin() + static_cast<std::ptrdiff_t>(chunk(2)),
            bytes.begin() + static_cast<std::ptrdiff_t>(chunk(3)), '\0');
  bytes[chunk(5)] = 'X';  // bad chunk magic
  const auto path = temp_dir() / "damaged.evtx";
  write_bytes(path, bytes);
  Diagnostics d;
  const auto s = evtx::summarize_file(path.string(), evtx::ReadOptions{}, d);
  Diagnostics full_d;
  const auto full = evtx::summarize_file(corpus(kSample).string(), evtx::ReadOptions{}, full_d);
  EXPECT_EQ(s.stats.bad_chunks, 1U);
  EXPECT_GT(s.stats.records, full.stats.records - 200);
  EXPECT_LT(s.stats.records, full.stats.records);
  bool reported = false;
  for (const auto& p : d.kept()) {
    if (p.reason.find("bad chunk signature") != std::string::npos) {
      reported = true;
      EXPECT_EQ(p.offset, chunk(5));
      EXPECT_EQ(p.where, "chunk 5");
    }
  }
  EXPECT_TRUE(reported);
  // --carve recovers the records of the chunk with the damaged signature.
  Diagnostics carve_d;
  const auto carved = evtx::summarize_file(path.string(), evtx::ReadOptions{true}, carve_d);
  EXPECT_GT(carved.stats.carved, 50U);
  EXPECT_EQ(carved.stats.records, s.stats.records + carved.stats.carved);
}

TEST(Robustness, RandomByteDamageNeverCrashesAndIsReported) {
  const std::string original = read_file(corpus(kSample));
  std::mt19937 rng(42);
  const auto dir = temp_dir();
  for (int round = 0; round < 30; ++round) {
    std::string bytes = original;
    for (int k = 0; k < 200; ++k) bytes[4096 + rng() % (bytes.size() - 4096)] = static_cast<char>(rng());
    const auto path = dir / ("random-" + std::to_string(round) + ".evtx");
    write_bytes(path, bytes);
    Diagnostics d;
    const auto records = capture_records(path.string(), d);
    EXPECT_GT(records.size(), 0U);
    EXPECT_GT(d.errors() + d.warnings(), 0U) << "damage must be reported (checksums at least)";
    for (const auto& p : d.kept()) {
      EXPECT_EQ(p.file, path.string());
      EXPECT_FALSE(p.reason.empty());
    }
  }
}

TEST(Robustness, NotAnEvtxFileIsAnErrorNotACrash) {
  const auto path = temp_dir() / "text.evtx";
  write_bytes(path, std::string(10000, 'a'));
  Diagnostics d;
  const auto s = evtx::summarize_file(path.string(), evtx::ReadOptions{}, d);
  EXPECT_EQ(s.stats.records, 0U);
  EXPECT_GT(d.errors(), 0U);
  EXPECT_THROW(evtx::summarize_file((temp_dir() / "missing.evtx").string(), evtx::ReadOptions{}, d),
               std::runtime_error);
}

}  // namespace
}  // namespace ashiato::test

namespace ashiato::test {
namespace {

// Inputs the fuzzer once crashed on: read with errors reported, without crash.
TEST(Robustness, RecordedFuzzInputs) {
  const auto dir = std::filesystem::path(ASHIATO_SOURCE_DIR) / "tests/evtx/fuzz_regressions";
  const auto files = files_under(dir, ".evtx");
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    Diagnostics d;
    capture_records(f.string(), d, true);
    EXPECT_GT(d.errors() + d.warnings(), 0U);
  }
}

}  // namespace
}  // namespace ashiato::test
