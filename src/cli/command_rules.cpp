// ashiato rules lint: loads and compiles Sigma rules and explains every rejection.
#include <cstdio>
#include <map>
#include <memory>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/rule_options.h"

namespace ashiato::cli {
namespace {

struct LintOptions {
  std::vector<std::string> paths;
  std::string placeholders;
  bool quiet = false;
};

int run_lint(const LintOptions& o) {
  RuleOptions ro;
  ro.paths = o.paths;
  ro.no_default_rules = true;
  ro.placeholders_file = o.placeholders;
  const LoadedRules loaded = load_selected_rules(ro, true);
  std::map<std::string, std::size_t> by_reason;
  for (const auto& r : loaded.load.rejected) {
    std::printf("%s:%d: %s%s%s\n", r.file.c_str(), r.line, r.reason.c_str(), r.title.empty() ? "" : " — ",
                r.title.c_str());
    std::string reason = r.reason;
    if (auto colon = reason.find(": "); colon != std::string::npos && reason.rfind("search identifier", 0) == 0) {
      reason = reason.substr(colon + 2);  // group "search identifier 'x': <why>" by <why>
    }
    by_reason[reason]++;
  }
  const auto& s = loaded.set.summary();
  if (!o.quiet) {
    std::printf(
        "\n%zu files: %zu rules loaded (%zu usable on Windows event logs or network logs, %zu on neither), %zu "
        "filters, "
        "%zu correlations, %zu rejected\n",
        loaded.load.files, s.loaded, s.compiled, s.not_applicable, s.filters, s.correlations,
        loaded.load.rejected.size());
    for (const auto& [reason, n] : by_reason) std::printf("  %5zu  %s\n", n, reason.c_str());
  }
  return loaded.load.rejected.empty() ? kSuccess : kInputErrors;
}

}  // namespace

void register_rules(CLI::App& root, int& exit_code) {
  CLI::App* rules = root.add_subcommand("rules", "Work with Sigma rules");
  rules->require_subcommand(1);
  auto o = std::make_shared<LintOptions>();
  CLI::App* lint = rules->add_subcommand("lint", "Validate Sigma rules and explain every rejection");
  lint->add_option("paths", o->paths, "Rule files or folders (searched recursively for .yml/.yaml)")->required();
  lint->add_option("--placeholders", o->placeholders, "YAML file: placeholder name -> values, for |expand");
  lint->add_flag("-q,--quiet", o->quiet, "Print only the rejections");
  lint->footer(
      "Prints file:line: reason for every rule that cannot be used, then a summary by reason.\n"
      "Exit code 3 when any rule was rejected.\n"
      "Examples:\n"
      "  ashiato rules lint rules/\n"
      "  ashiato rules lint --placeholders placeholders.yml sigma/rules-placeholder");
  lint->callback([o, &exit_code] { exit_code = run_lint(*o); });
}

}  // namespace ashiato::cli
