// Loads Sigma rule files and folders: multi-document files, rule collections
// (action: global / reset / repeat), YAML 1.1 typing. A document that cannot be loaded is
// rejected with file, line and reason; loading goes on.
#pragma once
#include <string>
#include <vector>

#include "sigma/rule.h"

namespace ashiato::sigma {

struct Rejection {
  std::string file;
  int line = 0;
  std::string title;
  std::string reason;
};

struct LoadResult {
  std::vector<Rule> rules;
  std::vector<Rejection> rejected;
  std::size_t files = 0;
};

// Loads .yml/.yaml files; folders are searched recursively (sorted).
void load_rule_paths(const std::vector<std::string>& paths, LoadResult& out);
// Loads the documents of one file's text.
void load_rule_text(const std::string& text, const std::string& file, LoadResult& out);

}  // namespace ashiato::sigma
