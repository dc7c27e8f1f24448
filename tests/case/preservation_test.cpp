// Evidence preservation: copies are exact (SHA-256 checked with sha256sum, not with our code),
// read-only and recorded in a hash-chained custody log; verify notices every kind of tampering.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "case/evidence_preservation.h"
#include "test_support.h"

namespace ashiato::cases {
namespace {

namespace fs = std::filesystem;
using test::corpus;
using test::run_command;

// test::temp_dir() after making an earlier run's read-only copies and folders writable again, so
// that it can remove them also when the tests do not run as root. Links are left alone.
fs::path temp_dir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir =
      fs::temp_directory_path() / ("ashiato-test-" + std::string(info->test_suite_name()) + "-" + info->name());
  std::error_code ec, ignored;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_symlink(ignored)) fs::permissions(it->path(), fs::perms::owner_write, fs::perm_options::add, ignored);
  }
  return test::temp_dir();
}

const CustodyIdentity kWho{"examiner", "ir-laptop", "ashiato test", "INC-2015-042"};

std::string sha256sum(const fs::path& path) {
  std::string out;
  EXPECT_EQ(run_command("sha256sum '" + path.string() + "'", out), 0) << path;
  return out.substr(0, 64);
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void write_lines(const fs::path& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::trunc);
  for (const auto& l : lines) out << l << '\n';
}

bool has_problem(const VerifyResult& r, CustodyProblem kind, std::int64_t entry = -1, const std::string& path = "") {
  return std::any_of(r.problems.begin(), r.problems.end(), [&](const CustodyFinding& f) {
    return f.problem == kind && (entry < 0 || f.entry == entry) && (path.empty() || f.path == path);
  });
}

std::string problems_text(const VerifyResult& r) {
  std::string s;
  for (const auto& f : r.problems) s += std::string(problem_name(f.problem)) + ": " + f.message + "\n";
  return s;
}

// A case with the Squid corpus folder and one EVTX preserved; the head as the case would keep it.
struct PreservedCase {
  fs::path dir;
  PreserveResult result;
  std::vector<fs::path> originals;
};

PreservedCase preserve_sample() {
  PreservedCase c;
  c.dir = temp_dir() / "case";
  const fs::path squid = corpus("network/squid");
  const fs::path evtx = corpus("evtx/omerbenamram/samples/security.evtx");
  c.originals = test::files_under(squid, "");
  c.originals.push_back(evtx);
  Diagnostics diagnostics;
  c.result = preserve_evidence(c.dir.string(), {squid.string(), evtx.string()}, kWho, std::nullopt, diagnostics);
  EXPECT_EQ(diagnostics.errors(), 0u);
  return c;
}

TEST(Preservation, CopiesAreExactReadOnlyAndRecorded) {
  const PreservedCase c = preserve_sample();
  ASSERT_EQ(c.result.copied, c.originals.size());
  ASSERT_GE(c.originals.size(), 3u);
  EXPECT_EQ(c.result.duplicates, 0u);
  EXPECT_FALSE(c.result.run.empty());
  const auto log = lines_of(c.dir / kCustodyLogName);
  ASSERT_EQ(log.size(), c.originals.size());
  EXPECT_EQ(c.result.head.entries, static_cast<std::int64_t>(log.size()));
  for (std::size_t i = 0; i < c.result.files.size(); ++i) {
    const PreservedFile& f = c.result.files[i];
    SCOPED_TRACE(f.source);
    EXPECT_EQ(f.source, fs::absolute(c.originals[i]).lexically_normal().string());  // input order, folders sorted
    const fs::path copy = c.dir / f.destination;
    EXPECT_EQ(f.destination.rfind("evidence/" + c.result.run + "/", 0), 0u);
    EXPECT_EQ(f.sha256, sha256sum(c.originals[i]));
    EXPECT_EQ(sha256sum(copy), f.sha256);
    EXPECT_EQ(f.size, fs::file_size(c.originals[i]));
    EXPECT_EQ(fs::status(copy).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    EXPECT_EQ(fs::status(copy.parent_path()).permissions() & fs::perms::all,
              fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read | fs::perms::group_exec |
                  fs::perms::others_read | fs::perms::others_exec);
    EXPECT_EQ(fs::last_write_time(copy), fs::last_write_time(c.originals[i]));
    const std::string& line = log[i];
    EXPECT_NE(line.find("\"type\":\"preserve\""), std::string::npos);
    EXPECT_NE(line.find("\"sha256\":\"" + f.sha256 + "\""), std::string::npos);
    EXPECT_NE(line.find("\"user\":\"examiner\""), std::string::npos);
    EXPECT_NE(line.find("\"note\":\"INC-2015-042\""), std::string::npos);
    EXPECT_NE(line.find("\"source_mtime\":\""), std::string::npos);
  }
  EXPECT_NE(c.result.files[0].destination.find("/squid/"), std::string::npos);
  EXPECT_EQ(fs::path(c.result.files.back().destination).filename(), "security.evtx");
}

// The chain recomputed from the documented definition with sha256sum: SHA-256(prev + the line cut
// at its last ,"prev":" and closed with }).
TEST(Preservation, ChainMatchesTheDocumentedDefinition) {
  const PreservedCase c = preserve_sample();
  std::string prev(64, '0');
  const fs::path scratch = c.dir.parent_path() / "chained-bytes";
  for (const std::string& line : lines_of(c.dir / kCustodyLogName)) {
    const std::size_t cut = line.rfind(",\"prev\":\"");
    ASSERT_NE(cut, std::string::npos);
    EXPECT_EQ(line.substr(cut + 9, 64), prev);
    std::ofstream(scratch, std::ios::binary | std::ios::trunc) << prev << line.substr(0, cut) << '}';
    const std::string hash = sha256sum(scratch);
    EXPECT_EQ(line.substr(cut + 9 + 64, 10 + 64 + 2), "\",\"hash\":\"" + hash + "\"}");
    prev = hash;
  }
  EXPECT_EQ(prev, c.result.head.hash);
}

TEST(Preservation, VerifyPassesAndIsRecorded) {
  const PreservedCase c = preserve_sample();
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_TRUE(r.intact()) << problems_text(r);
  EXPECT_EQ(r.files, c.originals.size());
  EXPECT_EQ(r.entries, static_cast<std::int64_t>(c.originals.size()));
  const auto log = lines_of(c.dir / kCustodyLogName);
  ASSERT_EQ(log.size(), c.originals.size() + 1);
  EXPECT_NE(log.back().find("\"type\":\"verify\""), std::string::npos);
  EXPECT_NE(log.back().find("\"result\":\"intact\""), std::string::npos);
  EXPECT_EQ(r.head.entries, static_cast<std::int64_t>(log.size()));
  // A second verify chains on the first.
  EXPECT_TRUE(verify_evidence(c.dir.string(), kWho, r.head).intact());
}

TEST(Preservation, IdenticalFileFromTheSamePathIsNotCopiedAgain) {
  const PreservedCase c = preserve_sample();
  Diagnostics diagnostics;
  const fs::path evtx = corpus("evtx/omerbenamram/samples/security.evtx");
  const PreserveResult again = preserve_evidence(c.dir.string(), {evtx.string()}, kWho, c.result.head, diagnostics);
  EXPECT_EQ(again.copied, 0u);
  ASSERT_EQ(again.duplicates, 1u);
  EXPECT_TRUE(again.files[0].duplicate);
  EXPECT_EQ(again.files[0].destination, c.result.files.back().destination);
  EXPECT_EQ(again.files[0].entry, c.result.files.back().entry);
  EXPECT_TRUE(again.run.empty());  // the empty run folder was removed again
  EXPECT_EQ(lines_of(c.dir / kCustodyLogName).size(), c.originals.size());
  EXPECT_EQ(test::files_under(c.dir / kEvidenceFolderName, "").size(), c.originals.size());
  EXPECT_TRUE(verify_evidence(c.dir.string(), kWho, again.head).intact());
}

TEST(Preservation, UnreadableSourcesAreCountedAndTheRestGoesOn) {
  const fs::path dir = temp_dir();
  const fs::path src = dir / "src";
  fs::create_directories(src / "sub");
  std::ofstream(src / "a.log") << "first\n";
  std::ofstream(src / "sub" / "b.log") << "second\n";
  std::ofstream(src / std::string("\xff\xfe-latin1.log")) << "name not in UTF-8\n";
  fs::create_symlink("/etc/passwd", src / "link");
  Diagnostics diagnostics;
  const fs::path c = dir / "case";
  const PreserveResult r =
      preserve_evidence(c.string(), {(dir / "missing.log").string(), src.string()}, kWho, std::nullopt, diagnostics);
  EXPECT_EQ(diagnostics.errors(), 1u);    // the missing file
  EXPECT_EQ(diagnostics.warnings(), 1u);  // the symbolic link, not followed
  EXPECT_EQ(r.copied, 3u);
  std::vector<std::string> names;
  for (const auto& f : r.files) names.push_back(fs::path(f.destination).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"a.log", "b.log", "%FF%FE-latin1.log"}));
  EXPECT_TRUE(verify_evidence(c.string(), kWho, r.head).intact());
}

TEST(Preservation, TheCaseFolderItselfIsNotPreserved) {
  const fs::path dir = temp_dir();
  std::ofstream(dir / "evidence.log") << "x\n";
  Diagnostics diagnostics;
  const PreserveResult r = preserve_evidence((dir / "case").string(), {dir.string()}, kWho, std::nullopt, diagnostics);
  EXPECT_EQ(r.copied, 1u);
  EXPECT_EQ(diagnostics.warnings(), 1u);
}

TEST(Preservation, VerifyDetectsAModifiedCopy) {
  const PreservedCase c = preserve_sample();
  const PreservedFile& f = c.result.files[1];
  const fs::path copy = c.dir / f.destination;
  fs::permissions(copy, fs::perms::owner_write, fs::perm_options::add);
  {
    std::fstream io(copy, std::ios::in | std::ios::out | std::ios::binary);
    io.seekp(10);
    io.put('#');
  }
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_FALSE(r.intact());
  ASSERT_EQ(r.problems.size(), 1u) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kContentChanged, f.entry, f.destination)) << problems_text(r);
  EXPECT_NE(r.problems[0].message.find("recorded " + f.sha256), std::string::npos);
  EXPECT_NE(lines_of(c.dir / kCustodyLogName).back().find("\"result\":\"failed\""), std::string::npos);

  // Appending changes the size too.
  std::ofstream(copy, std::ios::app) << "more";
  const VerifyResult sized = verify_evidence(c.dir.string(), kWho, r.head);
  ASSERT_TRUE(has_problem(sized, CustodyProblem::kContentChanged, f.entry));
  EXPECT_NE(sized.problems[0].message.find("size " + std::to_string(f.size + 4)), std::string::npos);
}

TEST(Preservation, VerifyDetectsDeletedAndPlantedFiles) {
  const PreservedCase c = preserve_sample();
  const PreservedFile& f = c.result.files[0];
  const fs::path copy = c.dir / f.destination;
  fs::permissions(copy.parent_path(), fs::perms::owner_write, fs::perm_options::add);
  fs::remove(copy);
  std::ofstream(copy.parent_path() / "planted.log") << "x";
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_EQ(r.problems.size(), 2u) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kMissing, f.entry, f.destination)) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kUnrecorded, 0,
                          (fs::path(f.destination).parent_path() / "planted.log").generic_string()));
}

TEST(Preservation, VerifyDetectsAnEditedEntry) {
  const PreservedCase c = preserve_sample();
  auto log = lines_of(c.dir / kCustodyLogName);
  const std::size_t at = log[1].find("\"note\":\"INC");
  ASSERT_NE(at, std::string::npos);
  log[1].replace(at, 11, "\"note\":\"XYZ");
  write_lines(c.dir / kCustodyLogName, log);
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  ASSERT_EQ(r.problems.size(), 1u) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kEntryAltered, 2)) << problems_text(r);
}

TEST(Preservation, VerifyDetectsARemovedEntry) {
  const PreservedCase c = preserve_sample();
  auto log = lines_of(c.dir / kCustodyLogName);
  const std::string dropped_destination = c.result.files[1].destination;
  log.erase(log.begin() + 1);
  write_lines(c.dir / kCustodyLogName, log);
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kChainBroken, 2)) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kLogTruncated)) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kUnrecorded, 0, dropped_destination)) << problems_text(r);
}

TEST(Preservation, VerifyDetectsReorderedEntries) {
  const PreservedCase c = preserve_sample();
  auto log = lines_of(c.dir / kCustodyLogName);
  std::swap(log[1], log[2]);
  write_lines(c.dir / kCustodyLogName, log);
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kChainBroken, 2)) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kChainBroken, 3)) << problems_text(r);
  EXPECT_FALSE(has_problem(r, CustodyProblem::kEntryAltered)) << problems_text(r);
}

// Cutting entries off the end leaves a valid chain: only the head kept by the case shows it.
TEST(Preservation, TruncationIsCaughtByTheRecordedHead) {
  const PreservedCase c = preserve_sample();
  auto log = lines_of(c.dir / kCustodyLogName);
  const PreservedFile& last = c.result.files.back();
  log.pop_back();
  write_lines(c.dir / kCustodyLogName, log);
  Diagnostics diagnostics;
  EXPECT_THROW(preserve_evidence(c.dir.string(), {corpus("evtx/omerbenamram/samples/system.evtx").string()}, kWho,
                                 c.result.head, diagnostics),
               std::runtime_error);
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kLogTruncated, c.result.head.entries)) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kUnrecorded, 0, last.destination)) << problems_text(r);
  // After the verify recorded the state, preserving goes on from the new head.
  const PreserveResult more = preserve_evidence(
      c.dir.string(), {corpus("evtx/omerbenamram/samples/system.evtx").string()}, kWho, r.head, diagnostics);
  EXPECT_EQ(more.copied, 1u);
}

TEST(Preservation, RewrittenHistoryIsCaught) {
  const PreservedCase c = preserve_sample();
  // A forger edits entry 1 and recomputes every hash after it: the chain is valid again, but the
  // head the case recorded no longer matches.
  auto log = lines_of(c.dir / kCustodyLogName);
  std::string prev(64, '0');
  for (std::size_t i = 0; i < log.size(); ++i) {
    std::string content = log[i].substr(0, log[i].rfind(",\"prev\":\"")) + "}";
    if (i == 0) content.replace(content.find("examiner"), 8, "somebody");
    const std::string hash = custody_entry_hash(prev, content);
    log[i] = content.substr(0, content.size() - 1);
    log[i] += ",\"prev\":\"" + prev + "\",\"hash\":\"";
    log[i] += hash + "\"}";
    prev = hash;
  }
  write_lines(c.dir / kCustodyLogName, log);
  const VerifyResult without_head = verify_evidence(c.dir.string(), kWho, std::nullopt);
  EXPECT_TRUE(without_head.intact()) << problems_text(without_head);
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kLogRewritten, c.result.head.entries)) << problems_text(r);
}

// A copy replaced by a symbolic link: to /dev/zero verify read forever, to an identical file
// outside the case it said "intact". Anything but the regular file ashiato wrote is tampering.
TEST(Preservation, VerifyTreatsALinkOrDeviceInPlaceOfACopyAsTampering) {
  const PreservedCase c = preserve_sample();
  const PreservedFile& identical = c.result.files[0];
  const PreservedFile& to_zero = c.result.files[1];
  const fs::path outside = c.dir.parent_path() / "outside-copy";
  fs::copy_file(c.dir / identical.destination, outside);
  for (const PreservedFile* f : {&identical, &to_zero}) {
    fs::permissions((c.dir / f->destination).parent_path(), fs::perms::owner_write, fs::perm_options::add);
    fs::remove(c.dir / f->destination);
  }
  fs::create_symlink(outside, c.dir / identical.destination);
  fs::create_symlink("/dev/zero", c.dir / to_zero.destination);
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_FALSE(r.intact());
  EXPECT_TRUE(has_problem(r, CustodyProblem::kReplaced, identical.entry, identical.destination)) << problems_text(r);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kReplaced, to_zero.entry, to_zero.destination)) << problems_text(r);
}

TEST(Preservation, VerifyDoesNotFollowALinkedFolderAboveTheCopies) {
  const PreservedCase c = preserve_sample();
  const fs::path destination(c.result.files[0].destination);  // evidence/<run>/...
  const fs::path run = c.dir / *destination.begin() / *std::next(destination.begin());
  const fs::path elsewhere = c.dir.parent_path() / "elsewhere";
  fs::permissions(run.parent_path(), fs::perms::owner_write, fs::perm_options::add);
  fs::rename(run, elsewhere);  // the copies themselves are intact, only reached through a link now
  fs::create_directory_symlink(elsewhere, run);
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head);
  EXPECT_TRUE(has_problem(r, CustodyProblem::kReplaced, c.result.files[0].entry)) << problems_text(r);
}

// An entry appended with a correctly recomputed chain (the algorithm is documented) is a valid
// chain: it is reported as unconfirmed against the head the case recorded, preserving refuses to
// chain on it, and a head the user kept elsewhere must still be in the log.
TEST(Preservation, AppendedEntriesAreUnconfirmedAndTheUsersAnchorIsChecked) {
  const PreservedCase c = preserve_sample();
  auto log = lines_of(c.dir / kCustodyLogName);
  const std::string planted_destination = "evidence/planted/tool.exe";
  fs::create_directories(c.dir / "evidence/planted");
  std::ofstream(c.dir / planted_destination) << "MZ";
  std::string content = "{\"seq\":" + std::to_string(log.size() + 1) +
                        ",\"type\":\"preserve\",\"run\":\"planted\",\"destination\":\"" + planted_destination +
                        "\",\"sha256\":\"" + sha256_hex("MZ") + "\",\"size\":2}";
  const std::string hash = custody_entry_hash(c.result.head.hash, content);
  log.push_back(content.substr(0, content.size() - 1) + ",\"prev\":\"" + c.result.head.hash + "\",\"hash\":\"" + hash +
                "\"}");
  write_lines(c.dir / kCustodyLogName, log);

  const VerifyResult unanchored = verify_evidence(c.dir.string(), kWho, std::nullopt);
  EXPECT_TRUE(unanchored.intact()) << "without any head the appended entry is a valid chain";
  Diagnostics diagnostics;
  EXPECT_THROW(preserve_evidence(c.dir.string(), {corpus("evtx/omerbenamram/samples/system.evtx").string()}, kWho,
                                 c.result.head, diagnostics),
               std::runtime_error);
  const VerifyResult r = verify_evidence(c.dir.string(), kWho, c.result.head, c.result.head.hash);
  EXPECT_FALSE(r.intact());
  EXPECT_TRUE(has_problem(r, CustodyProblem::kUnconfirmed, c.result.head.entries + 1, planted_destination))
      << problems_text(r);
  EXPECT_EQ(r.anchor_entry, c.result.head.entries);
  const VerifyResult wrong_anchor = verify_evidence(c.dir.string(), kWho, r.head, std::string(64, 'a'));
  EXPECT_TRUE(has_problem(wrong_anchor, CustodyProblem::kAnchorMissing)) << problems_text(wrong_anchor);
}

TEST(Preservation, ASymlinkedEvidenceFolderIsRefused) {
  const fs::path dir = temp_dir() / "case";
  const fs::path outside = dir.parent_path() / "outside";
  fs::create_directories(dir);
  fs::create_directories(outside);
  fs::create_directory_symlink(outside, dir / kEvidenceFolderName);
  Diagnostics diagnostics;
  EXPECT_THROW(preserve_evidence(dir.string(), {corpus("evtx/omerbenamram/samples/system.evtx").string()}, kWho,
                                 std::nullopt, diagnostics),
               std::runtime_error);
  EXPECT_TRUE(fs::is_empty(outside));
}

TEST(Preservation, EntryHashIsSha256OfPrevAndContent) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(custody_entry_hash("a", "bc"), sha256_hex("abc"));
}

}  // namespace
}  // namespace ashiato::cases
