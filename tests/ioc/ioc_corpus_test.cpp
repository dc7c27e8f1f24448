// Indicator files of the real world (corpora/ioc): STIX 2.1 examples of OASIS, MISP events of
// PyMISP's tests and of ESET's malware-ioc repository, LOKI's signature-base lists, ESET's
// sample hash lists. Counts are made here independently of the library (simdjson walks and line
// splits of our own) and compared with what read_indicator_file returns.
#include <simdjson.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>

#include "ioc/indicator_files.h"
#include "test_support.h"

namespace ashiato::test {
namespace {

namespace fs = std::filesystem;
using ioc::Indicator;
using ioc::IndicatorType;

struct FileRead {
  std::vector<Indicator> indicators;
  std::vector<Problem> problems;
  std::size_t errors = 0, warnings = 0;
};

FileRead read(const fs::path& path) {
  Diagnostics d(1000000);
  FileRead r;
  r.indicators = ioc::read_indicator_file(path.string(), d);
  r.problems = d.kept();
  r.errors = d.errors();
  r.warnings = d.warnings();
  return r;
}

std::vector<fs::path> all_files(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    pos = end + 1;
  }
  return lines;
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// JSON of the corpus parsed by the test itself. One ESET event has commas before ']' and '}';
// they are dropped here by a loop of our own (outside strings) so that it can be counted too.
bool parse_json(simdjson::dom::parser& parser, const std::string& text, simdjson::dom::element& root) {
  if (parser.parse(simdjson::padded_string(text)).get(root) == simdjson::SUCCESS) return true;
  std::string fixed;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      fixed += c;
      if (c == '\\') {
        fixed += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') in_string = true;
    if (c == ',') {
      const auto next = text.find_first_not_of(" \t\r\n", i + 1);
      if (next != std::string::npos && (text[next] == ']' || text[next] == '}')) continue;
    }
    fixed += c;
  }
  return parser.parse(simdjson::padded_string(fixed)).get(root) == simdjson::SUCCESS;
}

std::string_view str(simdjson::dom::element e, const char* key) {
  std::string_view s;
  if (e[key].get_string().get(s) != simdjson::SUCCESS) return {};
  return s;
}

bool is_stix(simdjson::dom::element e) {
  const auto type = str(e, "type"), id = str(e, "id");
  return type == "bundle" || (!type.empty() && id.starts_with(std::string(type) + "--"));
}

// MISP events of a document (empty if it is none).
std::vector<simdjson::dom::element> misp_events(simdjson::dom::element root) {
  std::vector<simdjson::dom::element> events;
  simdjson::dom::element e;
  if (root.is_object() && root["Event"].get(e) == simdjson::SUCCESS && e.is_object()) {
    events.push_back(e);
  } else if (root.is_object() && root["response"].get(e) == simdjson::SUCCESS && e.is_array()) {
    // Events wrapped in {"Event": ...} or bare (PyMISP's malware_exist.json).
    for (simdjson::dom::element item : simdjson::dom::array(e)) {
      simdjson::dom::element event;
      if (item["Event"].get(event) == simdjson::SUCCESS) {
        events.push_back(event);
      } else if (item.is_object()) {
        events.push_back(item);
      }
    }
  } else if (root.is_object() && !is_stix(root) &&
             (root["Attribute"].is_array() || root["Object"].is_array() || root["info"].is_string())) {
    events.push_back(root);
  }
  return events;
}

enum class FileClass { kHashList, kLokiList, kCsv, kStix, kMisp, kOtherJson, kText };

const char* class_name(FileClass c) {
  switch (c) {
    case FileClass::kHashList: return "ESET sample hash lists";
    case FileClass::kLokiList: return "LOKI c2/hash lists";
    case FileClass::kCsv: return "CSV";
    case FileClass::kStix: return "STIX JSON";
    case FileClass::kMisp: return "MISP JSON";
    case FileClass::kOtherJson: return "other JSON (schemas, galaxies, object templates...)";
    case FileClass::kText: return "other text (YARA, Snort, AsciiDoc, Markdown, XML, word lists)";
  }
  return "";
}

FileClass class_of(const fs::path& path) {
  const std::string name = path.filename().string();
  const std::string ext = path.extension().string();
  if (name == "samples.md5" || name == "samples.sha1" || name == "samples.sha256") return FileClass::kHashList;
  if (path.parent_path().filename() == "iocs" && (name == "c2-iocs.txt" || name == "hash-iocs.txt")) {
    return FileClass::kLokiList;
  }
  if (ext == ".csv") return FileClass::kCsv;
  if (ext == ".json") {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (!parse_json(parser, read_file(path), root)) return FileClass::kOtherJson;
    if (root.is_object() && is_stix(root)) return FileClass::kStix;
    return misp_events(root).empty() ? FileClass::kOtherJson : FileClass::kMisp;
  }
  return FileClass::kText;
}

// "line N" -> N, or 0.
std::size_t line_of(const std::string& where) {
  if (where.rfind("line ", 0) != 0) return 0;
  return std::stoul(where.substr(5));
}

TEST(IocCorpus, EveryFileIsReadAndEachClassOfFileAsStated) {
  const auto files = all_files(corpus("ioc"));
  ASSERT_GE(files.size(), 700U);
  struct Tally {
    std::size_t files = 0, indicators = 0, errors = 0, warnings = 0;
  };
  std::map<FileClass, Tally> tally;
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    FileRead r;
    ASSERT_NO_THROW(r = read(path));
    const FileClass c = class_of(path);
    auto& t = tally[c];
    ++t.files;
    t.indicators += r.indicators.size();
    t.errors += r.errors;
    t.warnings += r.warnings;
    for (const Problem& p : r.problems) EXPECT_EQ(p.file, path.string());
    const std::string text = read_file(path);
    const std::size_t line_count = lines_of(text).size();
    switch (c) {
      case FileClass::kHashList:
      case FileClass::kLokiList:
      case FileClass::kCsv:
        // Indicator lists: read whole (line by line checks below); one ESET line has a typo.
        EXPECT_GT(r.indicators.size(), 0U);
        EXPECT_EQ(r.warnings, 0U);
        EXPECT_LE(r.errors, 1U);
        break;
      case FileClass::kStix:
      case FileClass::kMisp:
        // Read as what they are (counted below); never a JSON syntax error: the one ESET event
        // with trailing commas is read with a warning.
        for (const Problem& p : r.problems) {
          EXPECT_FALSE(!p.warning && p.reason.rfind("invalid JSON", 0) == 0) << describe(p);
        }
        break;
      case FileClass::kOtherJson:
        // JSON that is no indicator file: one error saying so, nothing read.
        EXPECT_TRUE(r.indicators.empty());
        ASSERT_EQ(r.errors, 1U);
        EXPECT_NE(r.problems[0].reason.find("neither STIX 2"), std::string::npos) << r.problems[0].reason;
        break;
      case FileClass::kText:
        // Read as plain lists: the lines that start with an indicator give indicators (these
        // files quote some, e.g. ESET's READMEs list their C&C servers), every other line that is
        // not blank nor a comment is an error with its line number. Never a warning.
        EXPECT_EQ(r.warnings, 0U);
        for (const Problem& p : r.problems) {
          const std::size_t line = line_of(p.where);
          EXPECT_TRUE(line >= 1 && line <= line_count) << describe(p);
          EXPECT_LT(p.offset, text.size()) << describe(p);
        }
        for (const Indicator& i : r.indicators) {
          const auto colon = i.source.rfind(':');
          ASSERT_NE(colon, std::string::npos);
          EXPECT_EQ(i.source.substr(0, colon), path.string());
          const std::size_t line = std::stoul(i.source.substr(colon + 1));
          EXPECT_TRUE(line >= 1 && line <= line_count) << i.source;
        }
        break;
    }
  }
  for (const auto& [c, t] : tally) {
    std::cout << "  " << class_name(c) << ": " << t.files << " files, " << t.indicators << " indicators, " << t.errors
              << " errors, " << t.warnings << " warnings\n";
  }
  EXPECT_EQ(tally[FileClass::kHashList].files, 354U);
  EXPECT_EQ(tally[FileClass::kLokiList].files, 2U);
  EXPECT_EQ(tally[FileClass::kCsv].files, 2U);
  EXPECT_EQ(tally[FileClass::kStix].files, 20U);
  EXPECT_EQ(tally[FileClass::kMisp].files, 90U);
  EXPECT_GE(tally[FileClass::kOtherJson].files, 60U);
}

TEST(IocCorpus, StixIndicatorsMatchAnIndependentCount) {
  std::vector<fs::path> files = files_under(corpus("ioc/stix2-documentation"), ".json");
  for (const auto& f : files_under(corpus("ioc/stix2/examples"), ".json")) files.push_back(f);
  ASSERT_EQ(files.size(), 19U);
  // Equality comparisons on the object paths ashiato reads (docs/ioc.md), found in the pattern
  // text by a regular expression rather than by a pattern parser.
  const std::regex comparison(R"((domain-name:value|url:value|ipv4-addr:value|ipv6-addr:value|email-addr:value|)"
                              R"(email-message:(from|sender)_ref\.value|network-traffic:(src|dst)_ref\.value|)"
                              R"(file:hashes\.('MD5'|'SHA-1'|'SHA-256'|MD5|SHA1|SHA256|md5|sha1|sha256))\s*=\s*')");
  const std::set<std::string_view> observables = {"domain-name", "url", "ipv4-addr", "ipv6-addr", "email-addr"};
  const std::set<std::string_view> hash_keys = {"MD5", "SHA-1", "SHA-256", "SHA1", "SHA256"};
  std::size_t total_expected = 0, total_indicators = 0, stix_files = 0;
  std::vector<Problem> errors;
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_TRUE(parse_json(parser, read_file(path), root));
    if (!root.is_object() || !is_stix(root)) continue;
    ++stix_files;
    std::vector<simdjson::dom::element> objects;
    if (str(root, "type") == "bundle") {
      for (simdjson::dom::element o : simdjson::dom::array(root["objects"])) objects.push_back(o);
    } else {
      objects.push_back(root);
    }
    std::size_t expected = 0;
    for (simdjson::dom::element o : objects) {
      const std::string_view type = str(o, "type");
      if (type == "indicator") {
        bool revoked = false;
        if (o["revoked"].get_bool().get(revoked) == simdjson::SUCCESS && revoked) continue;
        const auto pattern_type = str(o, "pattern_type");
        if (!pattern_type.empty() && pattern_type != "stix") continue;
        const std::string pattern(str(o, "pattern"));
        expected += static_cast<std::size_t>(
            std::distance(std::sregex_iterator(pattern.begin(), pattern.end(), comparison), std::sregex_iterator()));
      } else if (observables.count(type) != 0 && !str(o, "value").empty()) {
        ++expected;
      } else if (type == "file") {
        simdjson::dom::object hashes;
        if (o["hashes"].get_object().get(hashes) == simdjson::SUCCESS) {
          for (auto [key, value] : hashes) expected += hash_keys.count(key);
        }
      }
    }
    const FileRead r = read(path);
    // Every comparison gives an indicator, or an error when its value is none.
    EXPECT_EQ(r.indicators.size() + r.errors, expected);
    for (const Problem& p : r.problems) {
      if (!p.warning) errors.push_back(p);
    }
    total_expected += expected;
    total_indicators += r.indicators.size();
  }
  std::cout << "  STIX: " << stix_files << " files, " << total_expected << " comparisons and observables, "
            << total_indicators << " indicators\n";
  EXPECT_EQ(stix_files, 19U);
  EXPECT_EQ(total_indicators, 160U);
  // The only invalid value: poisonivy.json (in both repositories) has a domain with a space.
  ASSERT_EQ(errors.size(), 2U);
  for (const Problem& p : errors) {
    EXPECT_EQ(p.reason, "not a valid domain: 'domain autuo.xicp.net'");
    EXPECT_EQ(fs::path(p.file).filename(), "poisonivy.json");
  }
}

TEST(IocCorpus, MispEventsMatchAnIndependentCount) {
  std::vector<fs::path> files = files_under(corpus("ioc/misp"), ".json");
  for (const auto& f : files_under(corpus("ioc/eset-malware-ioc"), ".json")) files.push_back(f);
  ASSERT_GE(files.size(), 95U);
  // MISP attribute types that are indicators, and how many indicators a value gives.
  const std::map<std::string_view, std::size_t> parts = {
      {"domain", 1},         {"hostname", 1},      {"url", 1},           {"uri", 1},
      {"ip-dst", 1},         {"ip-src", 1},        {"ip-dst|port", 1},   {"ip-src|port", 1},
      {"hostname|port", 1},  {"domain|ip", 2},     {"md5", 1},           {"sha1", 1},
      {"sha256", 1},         {"filename|md5", 1},  {"filename|sha1", 1}, {"filename|sha256", 1},
      {"malware-sample", 1}, {"user-agent", 1},    {"email", 1},         {"email-src", 1},
      {"email-dst", 1},      {"email-reply-to", 1}};
  std::size_t events_files = 0, total_expected = 0, total_indicators = 0, total_not_ids = 0;
  std::vector<Problem> errors;
  for (const auto& path : files) {
    SCOPED_TRACE(path.string());
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    ASSERT_TRUE(parse_json(parser, read_file(path), root));
    const auto events = misp_events(root);
    if (events.empty()) continue;
    ++events_files;
    std::size_t expected = 0, expected_not_ids = 0;
    std::set<std::string> skipped_types;
    auto count = [&](simdjson::dom::element attribute) {
      simdjson::dom::element deleted;
      if (attribute["deleted"].get(deleted) == simdjson::SUCCESS &&
          ((deleted.is_bool() && bool(deleted.get_bool())) ||
           (deleted.is_string() && str(attribute, "deleted") == "1")))
        return;
      const std::string type(str(attribute, "type"));
      const auto it = parts.find(type);
      if (it == parts.end()) {
        skipped_types.insert(type);
        return;
      }
      if (type == "uri" && str(attribute, "value").starts_with("/")) return;  // a path alone: skipped
      expected += it->second;
      simdjson::dom::element to_ids;
      if (attribute["to_ids"].get(to_ids) == simdjson::SUCCESS && to_ids.is_bool() && !bool(to_ids.get_bool())) {
        expected_not_ids += it->second;
      }
    };
    for (simdjson::dom::element event : events) {
      simdjson::dom::element list;
      if (event["Attribute"].get(list) == simdjson::SUCCESS && list.is_array()) {
        for (simdjson::dom::element a : simdjson::dom::array(list)) count(a);
      }
      if (event["Object"].get(list) == simdjson::SUCCESS && list.is_array()) {
        for (simdjson::dom::element o : simdjson::dom::array(list)) {
          simdjson::dom::element attributes;
          if (o["Attribute"].get(attributes) != simdjson::SUCCESS || !attributes.is_array()) continue;
          for (simdjson::dom::element a : simdjson::dom::array(attributes)) count(a);
        }
      }
    }
    const FileRead r = read(path);
    EXPECT_EQ(r.indicators.size() + r.errors, expected);
    const auto not_ids = static_cast<std::size_t>(
        std::count_if(r.indicators.begin(), r.indicators.end(), [](const Indicator& i) { return !i.to_ids; }));
    if (r.errors == 0) {
      EXPECT_EQ(not_ids, expected_not_ids);
    }
    // Skipped types: one warning each, however many attributes they have.
    std::set<std::string> warned;
    for (const Problem& p : r.problems) {
      if (!p.warning) errors.push_back(p);
      const std::string prefix = "MISP attribute type '";
      if (p.warning && p.reason.rfind(prefix, 0) == 0) {
        EXPECT_TRUE(
            warned.insert(p.reason.substr(prefix.size(), p.reason.find('\'', prefix.size()) - prefix.size())).second)
            << describe(p);
      }
    }
    EXPECT_EQ(warned, skipped_types);
    total_expected += expected;
    total_indicators += r.indicators.size();
    total_not_ids += not_ids;
  }
  std::cout << "  MISP: " << events_files << " files, " << total_expected << " attribute values, " << total_indicators
            << " indicators (" << total_not_ids << " with to_ids false)\n";
  EXPECT_EQ(events_files, 90U);
  // Every attribute value counted here became an indicator, except the one invalid value below.
  // The only invalid value: a PyMISP test event whose filename|md5 holds just a file name.
  ASSERT_EQ(errors.size(), 1U);
  EXPECT_EQ(total_indicators, total_expected - errors.size());
  EXPECT_EQ(fs::path(errors[0].file).filename(), "malware.json");
  EXPECT_EQ(errors[0].reason, "composite type 'filename|md5' without '|' in its value: 'bar.exe'");
}

TEST(IocCorpus, LokiListsGiveAnIndicatorPerLine) {
  const std::regex ipv4(R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})");
  // c2-iocs.txt: "domain-or-ip" or "ip;score" per line. hash-iocs.txt: "hash;comment".
  for (const char* name : {"c2-iocs.txt", "hash-iocs.txt"}) {
    const fs::path path = corpus(std::string("ioc/signature-base/iocs/") + name);
    SCOPED_TRACE(path.string());
    std::map<std::string, std::size_t> expected;
    std::vector<std::pair<std::size_t, std::string>> values;  // line, value
    const auto lines = lines_of(read_file(path));
    for (std::size_t n = 0; n < lines.size(); ++n) {
      const std::string line = trimmed(lines[n]);
      if (line.empty() || line[0] == '#') continue;
      const std::string first = lower(trimmed(line.substr(0, line.find(';'))));
      std::string type;
      if (std::string(name) == "c2-iocs.txt") {
        type = std::regex_match(first, ipv4) ? "ipv4" : "domain";
      } else {
        type = first.size() == 32 ? "md5" : first.size() == 40 ? "sha1" : first.size() == 64 ? "sha256" : "?";
      }
      ++expected[type];
      values.emplace_back(n + 1, first);
    }
    const FileRead r = read(path);
    EXPECT_EQ(r.errors + r.warnings, 0U);
    ASSERT_EQ(r.indicators.size(), values.size());
    std::map<std::string, std::size_t> got;
    for (std::size_t i = 0; i < values.size(); ++i) {
      ++got[std::string(ioc::type_name(r.indicators[i].type))];
      EXPECT_EQ(r.indicators[i].value, values[i].second);
      EXPECT_EQ(r.indicators[i].source, path.string() + ":" + std::to_string(values[i].first));
    }
    EXPECT_EQ(got, expected);
    for (const auto& [type, n] : got) std::cout << "  " << name << ": " << n << " " << type << "\n";
  }
}

TEST(IocCorpus, EsetSampleHashListsGiveAnIndicatorPerLine) {
  const std::map<std::string, std::pair<IndicatorType, std::size_t>> kinds = {
      {"samples.md5", {IndicatorType::kMd5, 32}},
      {"samples.sha1", {IndicatorType::kSha1, 40}},
      {"samples.sha256", {IndicatorType::kSha256, 64}}};
  std::map<std::string, std::size_t> files, lines_total, indicators_total;
  std::vector<std::string> bad_lines;
  for (const auto& path : all_files(corpus("ioc/eset-malware-ioc"))) {
    const auto kind = kinds.find(path.filename().string());
    if (kind == kinds.end()) continue;
    SCOPED_TRACE(path.string());
    const auto [type, length] = kind->second;
    std::size_t valid = 0, invalid = 0;
    const auto lines = lines_of(read_file(path));
    for (std::size_t n = 0; n < lines.size(); ++n) {
      const std::string line = trimmed(lines[n]);
      if (line.empty()) continue;
      const bool hex = line.size() == length && std::all_of(line.begin(), line.end(), [](char c) {
                         return std::isxdigit(static_cast<unsigned char>(c)) != 0;
                       });
      if (hex) {
        ++valid;
      } else {
        ++invalid;
        bad_lines.push_back(path.string() + ":" + std::to_string(n + 1));
      }
    }
    const FileRead r = read(path);
    EXPECT_EQ(r.indicators.size(), valid);
    EXPECT_EQ(r.errors, invalid);
    EXPECT_EQ(r.warnings, 0U);
    for (const Indicator& i : r.indicators) EXPECT_EQ(i.type, type);
    ++files[kind->first];
    lines_total[kind->first] += valid + invalid;
    indicators_total[kind->first] += r.indicators.size();
  }
  for (const auto& [name, n] : files) {
    std::cout << "  " << name << ": " << n << " files, " << indicators_total[name] << " indicators\n";
    EXPECT_EQ(n, 118U);
  }
  EXPECT_EQ(indicators_total["samples.md5"], 5383U);
  EXPECT_EQ(indicators_total["samples.sha1"], 5383U);
  EXPECT_EQ(indicators_total["samples.sha256"], 5383U);
  // One SHA-1 in modiloader's list has 41 characters, one of them no hex digit.
  ASSERT_EQ(bad_lines.size(), 1U);
  EXPECT_NE(bad_lines[0].find("modiloader/samples.sha1:13"), std::string::npos);
}

TEST(IocCorpus, PymispCsvFiles) {
  // "md5, sha1, sha256": three typed columns, one hash each per row.
  const fs::path valid = corpus("ioc/misp/pymisp/tests/csv_testfiles/valid_fieldnames.csv");
  const FileRead r = read(valid);
  EXPECT_EQ(r.errors + r.warnings, 0U);
  std::vector<std::string> expected;
  const auto lines = lines_of(read_file(valid));
  for (std::size_t n = 1; n < lines.size(); ++n) {
    std::size_t pos = 0;
    while (pos <= lines[n].size()) {
      const std::size_t comma = std::min(lines[n].find(',', pos), lines[n].size());
      expected.push_back(lower(trimmed(lines[n].substr(pos, comma - pos))));
      pos = comma + 1;
    }
  }
  ASSERT_EQ(r.indicators.size(), expected.size());
  ASSERT_EQ(expected.size(), 9U);
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(r.indicators[i].value, expected[i]);
    EXPECT_EQ(r.indicators[i].type, i % 3 == 0   ? IndicatorType::kMd5
                                    : i % 3 == 1 ? IndicatorType::kSha1
                                                 : IndicatorType::kSha256);
  }
  // "SHA1,fileName,size": PyMISP rejects these names; a SHA-1 column with the file name as label.
  const FileRead named = read(corpus("ioc/misp/pymisp/tests/csv_testfiles/invalid_fieldnames.csv"));
  EXPECT_EQ(named.errors + named.warnings, 0U);
  ASSERT_EQ(named.indicators.size(), 10U);
  EXPECT_EQ(named.indicators[0].value, "2a030cc6d84d5785f5e84d0f5888a411d4b06d01");
  EXPECT_EQ(named.indicators[0].label, "soft.exe");
  for (const Indicator& i : named.indicators) EXPECT_EQ(i.type, IndicatorType::kSha1);
}

}  // namespace
}  // namespace ashiato::test
