#include "sigma/rule_loader.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>

namespace ashiato::sigma {
namespace {

const std::vector<std::string> kLevels = {"informational", "low", "medium", "high", "critical"};

std::string text_of(const YamlValue& doc, std::string_view key) {
  const YamlValue* v = doc.find(key);
  return v != nullptr && v->is_scalar() ? v->scalar_text() : "";
}

std::vector<std::string> list_of(const YamlValue& doc, std::string_view key) {
  const YamlValue* v = doc.find(key);
  return v == nullptr ? std::vector<std::string>{} : v->scalars();
}

// Deep merge for rule collections: maps merge recursively, everything else is overwritten.
void merge_into(YamlValue& target, const YamlValue& source) {
  if (target.kind != YamlValue::Kind::kMap || source.kind != YamlValue::Kind::kMap) {
    target = source;
    return;
  }
  for (const auto& entry : source.entries) {
    const std::string& key = entry.first;
    const YamlValue& value = entry.second;
    auto it = std::find_if(target.entries.begin(), target.entries.end(), [&](const auto& e) { return e.first == key; });
    if (it == target.entries.end()) {
      target.entries.emplace_back(key, value);
    } else {
      merge_into(it->second, value);
    }
  }
}

bool is_uuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

// Builds a Rule from a document, or explains why it cannot be one.
bool to_rule(const YamlValue& doc, const std::string& file, Rule& rule, std::string& why) {
  rule = Rule{};
  rule.file = file;
  rule.line = doc.line;
  if (doc.kind != YamlValue::Kind::kMap) {
    why = "document is not a mapping";
    return false;
  }
  rule.title = text_of(doc, "title");
  rule.id = text_of(doc, "id");
  rule.name = text_of(doc, "name");
  rule.status = text_of(doc, "status");
  rule.level = text_of(doc, "level");
  rule.description = text_of(doc, "description");
  rule.author = text_of(doc, "author");
  rule.date = text_of(doc, "date");
  rule.tags = list_of(doc, "tags");
  for (const auto& t : rule.tags) {
    if (t.rfind("attack.", 0) == 0) rule.attack_tags.push_back(t);
  }
  rule.references = list_of(doc, "references");
  rule.falsepositives = list_of(doc, "falsepositives");
  rule.fields = list_of(doc, "fields");
  if (rule.title.empty()) {
    why = "missing required 'title'";
    return false;
  }
  if (!rule.id.empty() && !is_uuid(rule.id)) {
    why = "'id' is not a UUID: " + rule.id;
    return false;
  }
  if (!rule.level.empty() && std::find(kLevels.begin(), kLevels.end(), rule.level) == kLevels.end()) {
    why = "unknown level '" + rule.level + "'";
    return false;
  }
  if (const YamlValue* ls = doc.find("logsource")) {
    if (ls->kind != YamlValue::Kind::kMap) {
      why = "'logsource' is not a mapping";
      return false;
    }
    rule.logsource.category = text_of(*ls, "category");
    rule.logsource.product = text_of(*ls, "product");
    rule.logsource.service = text_of(*ls, "service");
    rule.logsource.definition = text_of(*ls, "definition");
  }
  if (const YamlValue* c = doc.find("correlation")) {
    rule.kind = RuleKind::kCorrelation;
    rule.correlation = *c;
    if (c->kind != YamlValue::Kind::kMap) {
      why = "'correlation' is not a mapping";
      return false;
    }
    if (const YamlValue* g = c->find("generate")) rule.generate = g->kind == YamlValue::Kind::kBool && g->boolean;
    return true;
  }
  if (const YamlValue* f = doc.find("filter")) {
    rule.kind = RuleKind::kFilter;
    rule.filter = *f;
    if (f->kind != YamlValue::Kind::kMap) {
      why = "'filter' is not a mapping";
      return false;
    }
    if (doc.find("logsource") == nullptr) {
      why = "filter without 'logsource'";
      return false;
    }
    return true;
  }
  const YamlValue* detection = doc.find("detection");
  if (detection == nullptr) {
    why = "missing required 'detection'";
    return false;
  }
  if (detection->kind != YamlValue::Kind::kMap) {
    why = "'detection' is not a mapping";
    return false;
  }
  if (detection->find("condition") == nullptr) {
    why = "'detection' has no 'condition'";
    return false;
  }
  if (doc.find("logsource") == nullptr) {
    why = "missing required 'logsource'";
    return false;
  }
  if (rule.logsource.category.empty() && rule.logsource.product.empty() && rule.logsource.service.empty()) {
    why = "'logsource' needs one of category, product, service";
    return false;
  }
  rule.detection = *detection;
  return true;
}

}  // namespace

int level_rank(const std::string& level) {
  auto it = std::find(kLevels.begin(), kLevels.end(), level);
  return it == kLevels.end() ? -1 : static_cast<int>(it - kLevels.begin());
}

void load_rule_text(const std::string& text, const std::string& file, LoadResult& out) {
  std::vector<YamlValue> docs;
  std::vector<YamlError> skipped;  // documents over the size budget; the file's others still load
  try {
    docs = parse_yaml_documents(text, &skipped);
  } catch (const YamlError& e) {
    out.rejected.push_back(Rejection{file, e.line, "", std::string("YAML error: ") + e.what()});
    return;
  }
  for (const YamlError& e : skipped) {
    out.rejected.push_back(Rejection{file, e.line, "", std::string("YAML error: ") + e.what()});
  }
  std::optional<YamlValue> global;
  std::optional<YamlValue> previous;
  for (YamlValue& doc : docs) {
    if (doc.kind == YamlValue::Kind::kNull) continue;  // empty document (e.g. trailing ---)
    const std::string action = doc.kind == YamlValue::Kind::kMap ? text_of(doc, "action") : "";
    if (action == "global") {
      // pySigma: a later global replaces the earlier one.
      doc.entries.erase(
          std::remove_if(doc.entries.begin(), doc.entries.end(), [](const auto& e) { return e.first == "action"; }),
          doc.entries.end());
      global = doc;
      continue;
    }
    if (action == "reset") {
      global.reset();
      continue;
    }
    YamlValue merged;
    if (action == "repeat") {
      if (!previous) {
        out.rejected.push_back(Rejection{file, doc.line, "", "'action: repeat' without a preceding rule"});
        continue;
      }
      merged = *previous;
      doc.entries.erase(
          std::remove_if(doc.entries.begin(), doc.entries.end(), [](const auto& e) { return e.first == "action"; }),
          doc.entries.end());
      merge_into(merged, doc);
    } else if (!action.empty()) {
      out.rejected.push_back(Rejection{file, doc.line, text_of(doc, "title"), "unknown action '" + action + "'"});
      continue;
    } else {
      // pySigma deep-merges the template into the rule: the template's scalars and lists win.
      const bool standalone = doc.find("correlation") != nullptr || doc.find("filter") != nullptr;
      merged = doc;
      if (global && !standalone) merge_into(merged, *global);
    }
    merged.line = doc.line;
    previous = merged;
    Rule rule;
    std::string why;
    if (to_rule(merged, file, rule, why)) {
      out.rules.push_back(std::move(rule));
    } else {
      out.rejected.push_back(Rejection{file, doc.line, text_of(merged, "title"), why});
    }
  }
}

void load_rule_paths(const std::vector<std::string>& paths, LoadResult& out) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        const std::string ext = it->path().extension().string();
        if (it->is_regular_file() && (ext == ".yml" || ext == ".yaml")) found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(path, ec)) {
      files.push_back(path);
    } else {
      out.rejected.push_back(Rejection{path, 0, "", "no such file or folder"});
    }
  }
  // Files parse independently (YAML parsing dominates load time); results keep file order.
  std::vector<LoadResult> per_file(files.size());
  tbb::parallel_for(std::size_t{0}, files.size(), [&](std::size_t i) {
    std::ifstream in(files[i], std::ios::binary);
    if (!in) {
      per_file[i].rejected.push_back(Rejection{files[i], 0, "", "cannot read file"});
      return;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    per_file[i].files = 1;
    load_rule_text(ss.str(), files[i], per_file[i]);
  });
  for (auto& r : per_file) {
    out.files += r.files;
    std::move(r.rules.begin(), r.rules.end(), std::back_inserter(out.rules));
    std::move(r.rejected.begin(), r.rejected.end(), std::back_inserter(out.rejected));
  }
}

}  // namespace ashiato::sigma
