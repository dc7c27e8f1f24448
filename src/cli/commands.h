// Subcommands. Each registers itself on the root app; its callback stores the exit code.
#pragma once
#include <CLI/CLI.hpp>

namespace ashiato::cli {

void register_dump(CLI::App& root, int& exit_code);
void register_stats(CLI::App& root, int& exit_code);
void register_simulate(CLI::App& root, int& exit_code);
void register_hunt(CLI::App& root, int& exit_code);
void register_rules(CLI::App& root, int& exit_code);
void register_sweep(CLI::App& root, int& exit_code);
void register_preserve(CLI::App& root, int& exit_code);
void register_blocklist(CLI::App& root, int& exit_code);
void register_investigate(CLI::App& root, int& exit_code);
void register_case(CLI::App& root, int& exit_code);
void register_beacons(CLI::App& root, int& exit_code);

}  // namespace ashiato::cli
