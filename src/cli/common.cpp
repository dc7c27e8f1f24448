#include "cli/common.h"

#include <fmt/format.h>
#include <tbb/global_control.h>
#include <tbb/info.h>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>

namespace ashiato::cli {

void add_common_options(CLI::App& app, CommonOptions& options) {
  app.add_option("-j,--threads", options.threads, "Worker threads (default: all cores)")->check(CLI::Range(0U, 1024U));
  app.add_flag("--strict", options.strict, "Exit with code 3 when any input was unreadable or corrupt");
  app.add_flag("-q,--quiet", options.quiet, "Do not print input problems and progress on stderr");
}

std::shared_ptr<void> apply_threads(const CommonOptions& options) {
  const std::size_t n =
      options.threads == 0 ? static_cast<std::size_t>(tbb::info::default_concurrency()) : options.threads;
  return std::make_shared<tbb::global_control>(tbb::global_control::max_allowed_parallelism, n);
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths, const std::string& extension,
                                       Diagnostics& diagnostics) {
  return expand_inputs(paths, std::vector<std::string>{extension}, diagnostics);
}

std::vector<std::string> expand_inputs(const std::vector<std::string>& paths,
                                       const std::vector<std::string>& extensions, Diagnostics& diagnostics) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  auto has_extension = [&](const fs::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    return extensions.empty() || std::find(extensions.begin(), extensions.end(), ext) != extensions.end();
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) {
      diagnostics.report(Problem{path, 0, "", "no such file or folder", false});
      continue;
    }
    if (!fs::is_directory(st)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file() && has_extension(it->path())) found.push_back(it->path().string());
    }
    if (ec) diagnostics.report(Problem{path, 0, "", "cannot list folder: " + ec.message(), false});
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

std::uint64_t total_size(const std::vector<std::string>& files) {
  std::uint64_t total = 0;
  for (const auto& f : files) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(f, ec);
    if (!ec) total += n;
  }
  return total;
}

bool progress_wanted(const CommonOptions& options) {
  return !options.quiet && ::isatty(STDERR_FILENO) != 0;
}

void print_problems_to_stderr(Diagnostics& diagnostics, bool quiet) {
  if (quiet) return;
  // On a terminal, clear a progress line first so the problem starts a clean line.
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  diagnostics.on_report(
      [tty](const Problem& p) { std::fprintf(stderr, "%sashiato: %s\n", tty ? "\r\x1b[K" : "", describe(p).c_str()); });
}

int finish(const Diagnostics& diagnostics, const CommonOptions& options) {
  if (diagnostics.errors() > 0 && !options.quiet) {
    std::fprintf(stderr, "ashiato: %zu input error(s), %zu warning(s)\n", diagnostics.errors(), diagnostics.warnings());
  }
  return options.strict && diagnostics.errors() > 0 ? kInputErrors : kSuccess;
}

std::optional<Timestamp> parse_time_option(const std::string& text, const std::string& option) {
  if (text.empty()) return std::nullopt;
  auto t = parse_iso8601(text);
  if (!t) {
    throw CLI::ValidationError(option, "expected an ISO 8601 time such as 2015-05-01 or 2015-05-01T09:30:00+09:00");
  }
  return t;
}

LogInputs log_inputs(const std::vector<std::string>& inputs, Diagnostics& diagnostics) {
  LogInputs in;
  std::vector<std::string> named;
  for (const auto& path : inputs) (path == "-" ? in.files : named).push_back(path);
  const std::vector<std::string> expanded = expand_inputs(named, std::vector<std::string>{}, diagnostics);
  in.bytes = total_size(expanded);
  in.files.insert(in.files.end(), expanded.begin(), expanded.end());
  return in;
}

void add_csv_raw_flag(CLI::App& app, bool& raw) {
  app.add_flag("--csv-raw", raw,
               "Write CSV cells exactly as read: do not neutralise cells a spreadsheet would run as formulas "
               "(starting with =, +, -, @; see docs/security.md)");
}

report::CsvCells csv_cells(bool raw) {
  return raw ? report::CsvCells::kRaw : report::CsvCells::kNeutralised;
}

void add_log_inputs(CLI::App& app, std::vector<std::string>& inputs) {
  app.add_option("inputs", inputs,
                 "Log files or folders (recursively; .gz .zst .bz2 read transparently), '-' for standard input")
      ->required();
}

}  // namespace ashiato::cli
