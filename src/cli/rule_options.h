// Rule selection options shared by the commands that run Sigma rules, and loading them.
#pragma once
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "sigma/rule_loader.h"
#include "sigma/rule_set.h"

namespace ashiato::cli {

struct RuleOptions {
  std::vector<std::string> paths;
  bool no_default_rules = false;
  std::string placeholders_file;
  sigma::RuleSelection selection;
};

struct LoadedRules {
  sigma::LoadResult load;
  sigma::RuleSet set;
};

void add_rule_options(CLI::App& cmd, RuleOptions& o);
// The bundled rules folder: $ASHIATO_RULES, else the one the build knows about.
std::string default_rules_dir();
// Loads and compiles; prints a load summary and every rejection (unless quiet) on stderr.
LoadedRules load_selected_rules(const RuleOptions& o, bool quiet);

}  // namespace ashiato::cli
