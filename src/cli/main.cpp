// ashiato: find the footprints of a targeted attack in logs and event records.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/huge_pages.h"

int main(int argc, char** argv) try {
  ashiato::cli::restart_with_huge_page_heap(argc, argv);
  CLI::App app{"ashiato: fast incident response for targeted attacks (Windows event logs, Sigma, IOC sweeps)",
               "ashiato"};
  app.set_version_flag("-V,--version", std::string("ashiato ") + ASHIATO_VERSION);
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 success; 1 runtime error; 2 usage error; 3 input errors (only with --strict).\n"
      "Run 'ashiato COMMAND --help' for a command's options and examples.");
  int exit_code = ashiato::cli::kSuccess;
  ashiato::cli::register_dump(app, exit_code);
  ashiato::cli::register_stats(app, exit_code);
  ashiato::cli::register_simulate(app, exit_code);
  ashiato::cli::register_hunt(app, exit_code);
  ashiato::cli::register_rules(app, exit_code);
  ashiato::cli::register_sweep(app, exit_code);
  ashiato::cli::register_preserve(app, exit_code);
  ashiato::cli::register_blocklist(app, exit_code);
  ashiato::cli::register_investigate(app, exit_code);
  ashiato::cli::register_case(app, exit_code);
  ashiato::cli::register_beacons(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : ashiato::cli::kUsageError;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "ashiato: %s\n", e.what());
    return ashiato::cli::kRuntimeError;
  }
  return exit_code;
} catch (...) {  // nothing may escape main: report and exit with the runtime-error code
  std::fprintf(stderr, "ashiato: unexpected internal error\n");
  return ashiato::cli::kRuntimeError;
}
