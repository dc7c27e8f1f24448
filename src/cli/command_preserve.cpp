// ashiato preserve: copies evidence into the case with hashes and a chain of custody, and verifies
// later that nothing preserved has changed. The chain's head is also kept in case.sqlite so that
// entries cut off the end of the log are noticed.
#include <cstdio>
#include <filesystem>
#include <memory>

#include "case/case_store.h"
#include "case/evidence_preservation.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "core/visible_text.h"

namespace ashiato::cli {
namespace {

constexpr const char* kHeadEntriesKey = "custody_entries";
constexpr const char* kHeadHashKey = "custody_head";

struct PreserveOptions {
  std::vector<std::string> sources;
  std::string case_dir;
  std::string note;
  std::string head;  // --head: a head hash kept outside the case
  bool verify = false;
  bool strict = false;
  bool quiet = false;
};

std::optional<cases::CustodyHead> recorded_head(cases::CaseStore& store) {
  const std::string entries = store.meta(kHeadEntriesKey);
  if (entries.empty()) return std::nullopt;
  return cases::CustodyHead{std::stoll(entries), store.meta(kHeadHashKey)};
}

void record_head(cases::CaseStore& store, const cases::CustodyHead& head) {
  store.set_meta(kHeadEntriesKey, std::to_string(head.entries));
  store.set_meta(kHeadHashKey, head.hash);
}

// The chain proves nothing against someone who can rewrite both the log and case.sqlite: a head
// hash kept elsewhere (a ticket, a notebook, a mail to oneself) is the anchor they cannot move.
void print_anchor_hint(const std::string& case_dir, const cases::CustodyHead& head) {
  std::fprintf(stderr,
               "ashiato: keep the custody head outside the case to check it later:\n"
               "  ashiato preserve --verify --case %s --head %s\n",
               case_dir.c_str(), head.hash.c_str());
}

std::string tool_name() {
  return std::string("ashiato ") + ASHIATO_VERSION;
}

int run_verify(const PreserveOptions& o) {
  if (!std::filesystem::is_directory(o.case_dir)) {
    std::fprintf(stderr, "ashiato: %s: no case folder\n", o.case_dir.c_str());
    return kRuntimeError;
  }
  cases::CaseStore store(o.case_dir);
  const std::int64_t run = store.begin_run("preserve --verify");
  const std::optional<std::string> anchor = o.head.empty() ? std::nullopt : std::optional<std::string>(o.head);
  const cases::VerifyResult result =
      cases::verify_evidence(o.case_dir, cases::current_identity(tool_name(), o.note), recorded_head(store), anchor);
  if (result.head.entries > 0) record_head(store, result.head);
  store.finish_run(run, result.intact() ? "intact" : "failed");
  for (const cases::CustodyFinding& f : result.problems) {
    std::fprintf(stderr, "ashiato: %s: %s\n", std::string(cases::problem_name(f.problem)).c_str(),
                 visible(f.message).c_str());
  }
  if (result.head.entries == 0) {
    std::printf("nothing preserved in %s yet\n", o.case_dir.c_str());
    return kSuccess;
  }
  std::printf("%s: %zu preserved files, %lld custody entries checked; %zu problem(s); custody head: entry %lld, %s\n",
              result.intact() ? "intact" : "FAILED", result.files, static_cast<long long>(result.entries),
              result.problems.size(), static_cast<long long>(result.head.entries), result.head.hash.c_str());
  if (result.anchor_entry > 0) {
    std::printf("the head you kept is entry %lld; %lld entries were written after it (see %s)\n",
                static_cast<long long>(result.anchor_entry),
                static_cast<long long>(result.entries - result.anchor_entry), cases::kCustodyLogName);
  }
  if (!o.quiet) print_anchor_hint(o.case_dir, result.head);
  return result.intact() ? kSuccess : kInputErrors;
}

int run_preserve(const PreserveOptions& o) {
  Diagnostics diagnostics;
  print_problems_to_stderr(diagnostics, o.quiet);
  cases::CaseStore store(o.case_dir);
  const std::int64_t run = store.begin_run("preserve");
  cases::PreserveResult result;
  try {
    result = cases::preserve_evidence(o.case_dir, o.sources, cases::current_identity(tool_name(), o.note),
                                      recorded_head(store), diagnostics);
  } catch (const std::exception&) {
    store.finish_run(run, "failed");
    throw;
  }
  record_head(store, result.head);
  store.finish_run(run, "done");
  // sha256sum's format, relative to the case folder: `cd CASE && sha256sum -c` checks the copies.
  for (const cases::PreservedFile& f : result.files) {
    if (f.duplicate) {
      if (!o.quiet) {
        std::fprintf(stderr, "ashiato: %s: already preserved as %s (custody entry %lld): skipped\n",
                     visible(f.source).c_str(), f.destination.c_str(), static_cast<long long>(f.entry));
      }
    } else {
      std::printf("%s  %s\n", f.sha256.c_str(), f.destination.c_str());
    }
  }
  if (!o.quiet) {
    std::fprintf(stderr,
                 "ashiato: preserved %zu file(s)%s%s, %zu already preserved, %zu input error(s); custody head: entry "
                 "%lld, %s\n",
                 result.copied, result.run.empty() ? "" : " into evidence/", result.run.c_str(), result.duplicates,
                 diagnostics.errors(), static_cast<long long>(result.head.entries), result.head.hash.c_str());
    print_anchor_hint(o.case_dir, result.head);
  }
  return o.strict && diagnostics.errors() > 0 ? kInputErrors : kSuccess;
}

}  // namespace

void register_preserve(CLI::App& root, int& exit_code) {
  auto o = std::make_shared<PreserveOptions>();
  CLI::App* cmd = root.add_subcommand(
      "preserve", "Copy evidence into the case with SHA-256 and a chain of custody; --verify checks it later");
  cmd->add_option("sources", o->sources, "Files or folders (recursively) to preserve");
  cmd->add_option("--case", o->case_dir, "The case folder (created when new); copies go to CASE/evidence/")->required();
  cmd->add_option("--note", o->note, "Operator note recorded with every entry, e.g. a ticket number");
  cmd->add_flag("--verify", o->verify,
                "Re-hash every preserved copy and re-compute the chain of custody instead of preserving");
  cmd->add_option("--head", o->head,
                  "With --verify: a custody head hash printed by an earlier run and kept outside the case; the log "
                  "must still hold it")
      ->check([](const std::string& h) {
        return h.size() == 64 && h.find_first_not_of("0123456789abcdef") == std::string::npos
                   ? std::string()
                   : std::string("a head hash is 64 lowercase hex characters");
      });
  cmd->add_flag("--strict", o->strict, "Exit with code 3 when any source was unreadable");
  cmd->add_flag("-q,--quiet", o->quiet, "Do not print skipped duplicates, problems and the summary on stderr");
  cmd->footer(
      "Each file is read once: copied to CASE/evidence/<UTC time of the run>/<name>/..., hashed while\n"
      "copying, made read-only (files 0444, folders 0555), and recorded in CASE/custody.jsonl with its\n"
      "source path and modification time, copy time (UTC), user, host, tool version and --note. Each\n"
      "entry carries the hash of the one before (docs/preservation.md), so edits show. A file with the\n"
      "same SHA-256 from the same path is not copied twice. Standard output lists the copies in\n"
      "sha256sum format, relative to the case folder.\n"
      "--verify reports every copy that changed, is missing or unreadable, every file nobody recorded,\n"
      "and every entry altered, removed or reordered, every entry after the head the case recorded\n"
      "(unconfirmed) and every copy replaced by a link, device or FIFO (one line each on stderr), then\n"
      "records the verification in the log. The chain cannot tell a log rewritten together with\n"
      "case.sqlite: keep the printed head hash elsewhere and give it to --head (docs/preservation.md).\n"
      "Exit codes: 0 done (verify: all intact); 1 the case could not be written (or its custody log no\n"
      "longer matches the case: run --verify first); 2 usage error; 3 verify found a problem, or with\n"
      "--strict a source was unreadable.\n"
      "Examples:\n"
      "  ashiato preserve --case case-2015-042 --note INC-2015-042 /mnt/pc17/Windows/System32/winevt/Logs\n"
      "  ashiato preserve --case case-2015-042 /var/log/squid/access.log* fw-export.csv\n"
      "  ashiato preserve --verify --case case-2015-042 --note 'before handover to the police'\n"
      "  ashiato preserve --verify --case case-2015-042 --head 3f1c...e9 (the hash you kept)\n"
      "  cd case-2015-042 && ashiato preserve --case . /evidence/mail.eml > run.sha256 && sha256sum -c run.sha256");
  cmd->callback([o, &exit_code] {
    if (o->verify && !o->sources.empty()) throw CLI::ValidationError("--verify", "takes no sources");
    if (!o->verify && !o->head.empty()) throw CLI::ValidationError("--head", "goes with --verify");
    if (!o->verify && o->sources.empty()) throw CLI::ValidationError("sources", "name files or folders to preserve");
    exit_code = o->verify ? run_verify(*o) : run_preserve(*o);
  });
}

}  // namespace ashiato::cli
