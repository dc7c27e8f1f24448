// What every subcommand shares: exit codes, thread setup, input expansion, diagnostics printing.
#pragma once
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.h"
#include "core/timestamp.h"
#include "report/record_table.h"

namespace ashiato::cli {

enum ExitCode : int {
  kSuccess = 0,
  kRuntimeError = 1,  // the command could not do its work (e.g. output not writable)
  kUsageError = 2,    // bad options or arguments
  kInputErrors = 3,   // with --strict: some input was unreadable or corrupt (reported on stderr)
};

struct CommonOptions {
  unsigned threads = 0;  // 0: all cores
  bool strict = false;
  bool quiet = false;
};

// Adds -j/--threads, --strict and -q/--quiet to a subcommand.
void add_common_options(CLI::App& app, CommonOptions& options);
// Applies the thread limit for the life of the returned object.
std::shared_ptr<void> apply_threads(const CommonOptions& options);

// Expands files and folders (recursively, sorted) into the files to read; with `extension`
// only files ending in it (case-insensitive) are taken from folders. Missing paths are reported.
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths, const std::string& extension,
                                       Diagnostics& diagnostics);
std::vector<std::string> expand_inputs(const std::vector<std::string>& paths,
                                       const std::vector<std::string>& extensions, Diagnostics& diagnostics);

// Total size of the files (for progress).
std::uint64_t total_size(const std::vector<std::string>& files);

// Log inputs as the log commands take them: '-' (standard input) first, then files and folders
// expanded (recursively, sorted, any extension); `bytes` is the size of the named files.
struct LogInputs {
  std::vector<std::string> files;
  std::uint64_t bytes = 0;
};
LogInputs log_inputs(const std::vector<std::string>& inputs, Diagnostics& diagnostics);
// Progress is shown on a terminal unless quiet.
bool progress_wanted(const CommonOptions& options);

// Prints problems as they are reported (unless quiet) to stderr.
void print_problems_to_stderr(Diagnostics& diagnostics, bool quiet);
// Exit code for a finished run: input errors count only with --strict.
int finish(const Diagnostics& diagnostics, const CommonOptions& options);

// --csv-raw, for commands that write CSV; what it asks of the CSV writers.
void add_csv_raw_flag(CLI::App& app, bool& raw);
report::CsvCells csv_cells(bool raw);

// The positional log inputs of the log commands (files, folders, '-'), required.
void add_log_inputs(CLI::App& app, std::vector<std::string>& inputs);

// Parses --from/--to values; throws CLI::ValidationError on bad input.
std::optional<Timestamp> parse_time_option(const std::string& text, const std::string& option);

}  // namespace ashiato::cli
