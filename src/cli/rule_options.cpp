#include "cli/rule_options.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sigma/yaml_value.h"

namespace ashiato::cli {
namespace {

sigma::Placeholders read_placeholders(const std::string& path) {
  sigma::Placeholders out;
  if (path.empty()) return out;
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read placeholders file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  const auto docs = sigma::parse_yaml_documents(ss.str());
  if (docs.empty() || docs[0].kind != sigma::YamlValue::Kind::kMap) {
    throw std::runtime_error(path + ": placeholders file must map names to lists of values");
  }
  for (const auto& [name, values] : docs[0].entries) {
    auto& list = out[name];
    if (values.kind == sigma::YamlValue::Kind::kList) {
      for (const auto& v : values.items) list.push_back(v.scalar_text());
    } else {
      list.push_back(values.scalar_text());
    }
  }
  return out;
}

}  // namespace

void add_rule_options(CLI::App& cmd, RuleOptions& o) {
  cmd.add_option("-r,--rules", o.paths, "Sigma rule files or folders (repeatable)")->allow_extra_args(false);
  cmd.add_flag("--no-default-rules", o.no_default_rules, "Do not load the bundled rules");
  cmd.add_option("--min-level", o.selection.min_level, "Only rules at or above this level")
      ->check(CLI::IsMember({"informational", "low", "medium", "high", "critical"}));
  cmd.add_option("--status", o.selection.statuses, "Only rules with this status (repeatable)")->allow_extra_args(false);
  cmd.add_option("--tags", o.selection.tags, "Only rules with any of these tags (repeatable), e.g. attack.t1053")
      ->allow_extra_args(false);
  cmd.add_option("--rule-id", o.selection.rule_ids, "Only the rule with this id (repeatable)")->allow_extra_args(false);
  cmd.add_option("--exclude-rule", o.selection.excluded_ids, "Leave out the rule with this id (repeatable)")
      ->allow_extra_args(false);
  cmd.add_option("--placeholders", o.placeholders_file, "YAML file: placeholder name -> values, for |expand");
}

std::string default_rules_dir() {
  if (const char* env = std::getenv("ASHIATO_RULES"); env != nullptr && *env != '\0') return env;
  return ASHIATO_RULES_DIR;
}

LoadedRules load_selected_rules(const RuleOptions& o, bool quiet) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::string> paths;
  if (!o.no_default_rules && std::filesystem::is_directory(default_rules_dir())) paths.push_back(default_rules_dir());
  paths.insert(paths.end(), o.paths.begin(), o.paths.end());
  if (paths.empty()) throw CLI::ValidationError("--rules", "no rules: give -r or drop --no-default-rules");
  LoadedRules out;
  sigma::load_rule_paths(paths, out.load);
  out.set = sigma::RuleSet::compile(out.load, o.selection, read_placeholders(o.placeholders_file));
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (!quiet) {
    std::map<std::string, std::size_t> reasons;
    for (const auto& r : out.load.rejected) {
      std::fprintf(stderr, "ashiato: rule rejected: %s:%d: %s%s%s\n", r.file.c_str(), r.line, r.reason.c_str(),
                   r.title.empty() ? "" : " — ", r.title.c_str());
    }
    const auto& s = out.set.summary();
    std::fprintf(stderr,
                 "ashiato: rules: %zu files, %zu loaded, %zu usable (Windows event logs, network logs), %zu for other "
                 "log sources, "
                 "%zu deselected, %zu rejected, %zu filters, %zu correlations (%.0f ms; %zu of %zu literal databases "
                 "from the cache)\n",
                 out.load.files, s.loaded, s.compiled, s.not_applicable, s.deselected, out.load.rejected.size(),
                 s.filters, s.correlations, ms, s.literal_databases_cached, s.literal_databases);
  }
  return out;
}

}  // namespace ashiato::cli
