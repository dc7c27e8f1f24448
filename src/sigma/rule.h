// A Sigma rule document as loaded: metadata, logsource, and the raw detection / correlation /
// filter sections that the compiler turns into matchers.
#pragma once
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sigma/yaml_value.h"

namespace ashiato::sigma {

struct LogSource {
  std::string category, product, service, definition;
};

enum class RuleKind { kDetection, kCorrelation, kFilter };

struct Rule {
  RuleKind kind = RuleKind::kDetection;
  std::string file;
  int line = 1;  // where the document starts
  std::string id, name, title, status, level, description, author, date;
  std::vector<std::string> tags, references, falsepositives, fields;
  std::vector<std::string> attack_tags;  // the tags under attack.* (ATT&CK), as findings carry them
  LogSource logsource;
  YamlValue detection;    // kDetection: search identifiers + condition
  YamlValue correlation;  // kCorrelation
  YamlValue filter;       // kFilter
  bool generate = false;  // correlation: also emit the referenced rules' own matches
};

// Values for `expand` placeholders: %name% -> list of values.
using Placeholders = std::map<std::string, std::vector<std::string>, std::less<>>;

// Severity order of Sigma levels: informational < low < medium < high < critical (-1 if unknown).
int level_rank(const std::string& level);

}  // namespace ashiato::sigma
