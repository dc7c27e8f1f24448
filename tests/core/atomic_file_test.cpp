// Output files appear whole or not at all: a write that fails half-way (a full disk, here a file
// size limit that fails the same way) leaves the earlier file as it was and no partial file.
#include "core/atomic_file.h"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "test_support.h"

namespace ashiato {
namespace {

namespace fs = std::filesystem;

std::size_t entries_in(const fs::path& dir) {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++n;
  return n;
}

TEST(AtomicFile, TheFileAppearsOnlyWhenCommitted) {
  const fs::path dir = test::temp_dir();
  {
    AtomicFile file(dir / "report.html");
    file.write("<html>");
    EXPECT_FALSE(fs::exists(dir / "report.html"));
    file.commit();
  }
  EXPECT_EQ(test::read_file(dir / "report.html"), "<html>");
  {
    AtomicFile abandoned(dir / "report.html");
    abandoned.write("<html>half");
  }  // no commit: an error on the way
  EXPECT_EQ(test::read_file(dir / "report.html"), "<html>");
  EXPECT_EQ(entries_in(dir), 1U);
}

TEST(AtomicFile, AWriteThatFailsHalfWayLeavesTheEarlierFileWhole) {
  const fs::path dir = test::temp_dir();
  write_file_atomically(dir / "report.html", "the earlier report");
  // A full disk fails writes part-way; a file size limit of 64 KB does the same (EFBIG).
  rlimit before{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &before), 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = before;
  small.rlim_cur = 64 * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  const std::string big(4 << 20, 'x');
  EXPECT_THROW(write_file_atomically(dir / "report.html", big), std::runtime_error);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &before), 0);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_EQ(test::read_file(dir / "report.html"), "the earlier report");
  EXPECT_EQ(entries_in(dir), 1U) << "the partial file is removed";
}

}  // namespace
}  // namespace ashiato
