// Shared helpers for tests: where the corpora are, temporary folders, reading whole files.
#pragma once
#include <filesystem>
#include <string>
#include <vector>

namespace ashiato::test {

// The corpora root (ASHIATO_CORPORA env var, else the build-time default). Fails the calling
// test loudly (never skips) if it is missing.
std::filesystem::path corpora();
std::filesystem::path corpus(const std::string& relative);
// Regular files under `dir` (recursively, sorted) with the extension; an empty extension takes all.
std::vector<std::filesystem::path> files_under(const std::filesystem::path& dir, const std::string& extension);
std::string read_file(const std::filesystem::path& path);
// RITA's "missing_host" sensor logs: its conn, http and ssl logs, as RITA imports them (its other
// logs are not connections; conn-summary is a text report).
std::vector<std::string> rita_missing_host_connection_logs();
// A fresh empty folder under the system temp dir, named after the current test.
std::filesystem::path temp_dir();
// Runs a shell command, returns its exit status and captures stdout.
int run_command(const std::string& command, std::string& output);

}  // namespace ashiato::test
