#include "logs/json_events.h"

#include <simdjson.h>
#include <zip.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "core/json_lines.h"
#include "core/string_map.h"
#include "core/timestamp.h"

namespace ashiato::logs {
namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// Text of a scalar as Event Viewer would show it; objects and arrays give nullopt.
std::optional<std::string> scalar_text(element e) {
  switch (e.type()) {
    case element_type::STRING: return std::string(std::string_view(e.get_string()));
    case element_type::INT64: return std::to_string(int64_t(e.get_int64()));
    case element_type::UINT64: return std::to_string(uint64_t(e.get_uint64()));
    case element_type::DOUBLE: {
      std::ostringstream ss;
      ss << double(e.get_double());
      return ss.str();
    }
    case element_type::BOOL: return bool(e.get_bool()) ? "true" : "false";
    case element_type::NULL_VALUE: return std::string();
    default: return std::nullopt;
  }
}

// Field names repeat in every object: intern each once per thread, not once per value.
FieldId field_id(std::string_view name) {
  thread_local StringMap<FieldId> cache;
  auto it = cache.find(name);
  if (it != cache.end()) return it->second;
  const FieldId id = intern_field(name);
  cache.emplace(std::string(name), id);
  return id;
}

class EventBuilder {
 public:
  EventBuilder(EventBatch& batch, std::uint32_t file_id, std::uint64_t line) : batch_(batch) {
    batch_.begin_event(Timestamp{}, SourceRef{file_id, 0, line});
  }
  void add(std::string_view name, const std::string& value) {
    const FieldId id = field_id(name);
    for (FieldId seen : names_) {
      if (seen == id && id != data_) return;  // first value wins (System before payload)
    }
    names_.push_back(id);
    batch_.add_field(id, value);
  }
  void time_from(const std::string& text) {
    std::string t = text;
    if (t.size() > 10 && t[10] == ' ') t[10] = 'T';
    if (auto ts = parse_iso8601(t)) batch_.set_time(*ts);
  }

 private:
  EventBatch& batch_;
  std::vector<FieldId> names_;
  FieldId data_ = intern_field("Data");
};

// evtx_dump layout: {"Event": {"System": {...}, "EventData": {...} | "UserData": {...}}}
void add_evtx_dump(element event, EventBuilder& b) {
  element system;
  if (event["System"].get(system) == simdjson::SUCCESS) {
    for (auto [key, value] : simdjson::dom::object(system)) {
      const std::string name(key);
      if (auto text = scalar_text(value)) {
        b.add(name, *text);
        continue;
      }
      if (value.type() != element_type::OBJECT) continue;
      element attrs, inner;
      if (value["#attributes"].get(attrs) == simdjson::SUCCESS && attrs.type() == element_type::OBJECT) {
        for (auto [ak, av] : simdjson::dom::object(attrs)) {
          if (auto t = scalar_text(av)) {
            b.add(name + "_" + std::string(ak), *t);
            if (name == "TimeCreated" && ak == "SystemTime") b.time_from(*t);
          }
        }
      }
      if (value["#text"].get(inner) == simdjson::SUCCESS) {
        if (auto t = scalar_text(inner)) b.add(name, *t);
      }
    }
  }
  for (const char* section : {"EventData", "UserData"}) {
    element data;
    if (event[section].get(data) != simdjson::SUCCESS || data.type() != element_type::OBJECT) continue;
    std::function<void(element, const std::string&)> leaves = [&](element e, const std::string& name) {
      if (auto t = scalar_text(e)) {
        b.add(name, *t);
      } else if (e.type() == element_type::ARRAY) {
        for (element item : simdjson::dom::array(e)) {
          if (auto t2 = scalar_text(item)) b.add(name, *t2);
        }
      } else if (e.type() == element_type::OBJECT) {
        // A leaf element rendered as {"#attributes": ..., "#text": ...}: the element is a field
        // too (empty without #text), as the EVTX reader gives it.
        bool children = false, text = false;
        for (auto [k, v] : simdjson::dom::object(e)) {
          children = children || (k != "#attributes" && k != "#text");
          text = text || k == "#text";
        }
        if (!children && !text) b.add(name, "");
        for (auto [k, v] : simdjson::dom::object(e)) {
          const std::string key(k);
          if (key == "#attributes") {
            for (auto [ak, av] : simdjson::dom::object(v)) {
              if (auto attr = scalar_text(av)) b.add(name + "_" + std::string(ak), *attr);
            }
          } else if (key == "#text") {
            leaves(v, name);
          } else {
            leaves(v, key);
          }
        }
      }
    };
    for (auto [k, v] : simdjson::dom::object(data)) {
      std::string key(k);
      key.erase(std::remove(key.begin(), key.end(), ' '), key.end());
      leaves(v, key);
    }
  }
}

// Winlogbeat / ECS: winlog.{channel, event_id, computer_name, provider_name, record_id, event_data}.
void add_winlogbeat(element root, element winlog, EventBuilder& b) {
  static const std::pair<const char*, const char*> kMap[] = {{"channel", "Channel"},
                                                             {"event_id", "EventID"},
                                                             {"computer_name", "Computer"},
                                                             {"provider_name", "Provider_Name"},
                                                             {"provider_guid", "Provider_Guid"},
                                                             {"record_id", "EventRecordID"},
                                                             {"task", "Task"},
                                                             {"opcode", "Opcode"},
                                                             {"version", "Version"}};
  for (const auto& [from, to] : kMap) {
    element v;
    if (winlog[from].get(v) == simdjson::SUCCESS) {
      if (auto t = scalar_text(v)) b.add(to, *t);
    }
  }
  for (const char* section : {"event_data", "user_data"}) {
    element data;
    if (winlog[section].get(data) != simdjson::SUCCESS || data.type() != element_type::OBJECT) continue;
    for (auto [k, v] : simdjson::dom::object(data)) {
      if (auto t = scalar_text(v)) b.add(std::string(k), *t);
    }
  }
  element ts;
  if (root["@timestamp"].get(ts) == simdjson::SUCCESS) {
    if (auto t = scalar_text(ts)) b.time_from(*t);
  }
}

// NXLog / OTRF flat layout: Windows fields at the top level, with NXLog's own names for some.
void add_flat(element root, EventBuilder& b) {
  static const std::pair<const char*, const char*> kRenames[] = {{"Hostname", "Computer"},
                                                                 {"SourceName", "Provider_Name"},
                                                                 {"ProviderGuid", "Provider_Guid"},
                                                                 {"RecordNumber", "EventRecordID"},
                                                                 {"ExecutionProcessID", "Execution_ProcessID"}};
  for (auto [k, v] : simdjson::dom::object(root)) {
    const auto text = scalar_text(v);
    if (!text) continue;
    std::string name(k);
    for (const auto& [from, to] : kRenames) {
      if (name == from) name = to;
    }
    b.add(name, *text);
  }
  for (const char* key : {"@timestamp", "TimeCreated", "EventTime"}) {
    element ts;
    if (root[key].get(ts) == simdjson::SUCCESS) {
      if (auto t = scalar_text(ts)) {
        b.time_from(*t);
        break;
      }
    }
  }
}

bool add_object(element root, EventBatch& batch, std::uint32_t file_id, std::uint64_t line) {
  if (root.type() != element_type::OBJECT) return false;
  EventBuilder b(batch, file_id, line);
  element event, winlog;
  if (root["Event"].get(event) == simdjson::SUCCESS && event.type() == element_type::OBJECT) {
    add_evtx_dump(event, b);
  } else if (root["winlog"].get(winlog) == simdjson::SUCCESS && winlog.type() == element_type::OBJECT) {
    add_winlogbeat(root, winlog, b);
  } else {
    add_flat(root, b);
  }
  return true;
}

}  // namespace

bool is_json_events_path(const std::string& path) {
  const std::string l = lower(path);
  for (const char* ext : {".json", ".jsonl", ".ndjson", ".zip"}) {
    const std::string e(ext);
    if (l.size() >= e.size() && l.compare(l.size() - e.size(), e.size(), e) == 0) return true;
  }
  return false;
}

namespace {

bool only_space(std::string_view text) {
  return text.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// One object per line (JSON lines), or concatenated pretty objects (evtx_dump -o json, whose
// "Record N" lines between the objects are blanked, offsets kept).
JsonReadStats parse_json_objects(std::string_view text, const std::string& source, std::uint32_t file_id,
                                 EventBatch& batch, Diagnostics& diagnostics, simdjson::dom::parser& parser) {
  JsonReadStats stats;
  simdjson::padded_string cleaned(text);  // padded: each object is parsed in place
  for (std::size_t pos = 0; pos < cleaned.size();) {
    std::size_t eol = std::string_view(cleaned).find('\n', pos);
    if (eol == std::string_view::npos) eol = cleaned.size();
    if (std::string_view(cleaned.data() + pos, eol - pos).rfind("Record ", 0) == 0) {
      std::fill(cleaned.data() + pos, cleaned.data() + eol, ' ');
    }
    pos = eol + 1;
  }
  const std::string_view all(cleaned.data(), cleaned.size());
  // Each object on its own (core/json_lines.h): a broken one does not hide the rest.
  const std::vector<std::size_t> starts = json_object_starts(all);
  LineCounter lines(all);
  auto report = [&](std::size_t at, const std::string& why) {
    diagnostics.report(Problem{source, at, "line " + std::to_string(lines.line_at(at)), why, false});
    stats.errors++;
  };
  if (starts.empty() || !only_space(all.substr(0, starts[0]))) {
    report(all.find_first_not_of(" \t\r\n"), "not a JSON object (an object starts with '{' at the start of a line)");
  }
  std::uint64_t n = 0;
  for (std::size_t k = 0; k < starts.size(); ++k) {
    const std::size_t begin = starts[k];
    const std::size_t end = k + 1 < starts.size() ? starts[k + 1] : all.size();
    ++n;
    element doc;
    if (auto err = parser.parse(all.data() + begin, end - begin, false).get(doc); err) {
      report(begin, std::string("invalid JSON: ") + simdjson::error_message(err) + "; skipped to the next object");
      continue;
    }
    if (add_object(doc, batch, file_id, n)) {
      stats.events++;
    } else {
      report(begin, "not a JSON object");
    }
  }
  return stats;
}

}  // namespace

JsonReadStats parse_json_events(std::string_view text, const std::string& source, std::uint32_t file_id,
                                EventBatch& batch, Diagnostics& diagnostics) {
  JsonReadStats stats;
  simdjson::dom::parser parser;
  std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return stats;
  if (text[first] == '[') {  // one JSON array of events
    simdjson::padded_string padded(text);
    element doc;
    if (auto err = parser.parse(padded).get(doc); err) {
      diagnostics.report(Problem{source, 0, "", std::string("invalid JSON: ") + simdjson::error_message(err), false});
      stats.errors++;
      return stats;
    }
    std::uint64_t n = 0;
    for (element item : simdjson::dom::array(doc)) {
      ++n;
      if (add_object(item, batch, file_id, n)) {
        stats.events++;
      } else {
        stats.errors++;
      }
    }
    return stats;
  }
  return parse_json_objects(text, source, file_id, batch, diagnostics, parser);
}

JsonReadStats read_json_events(const std::string& path, std::uint32_t file_id, const EventBatchConsumer& consume,
                               Diagnostics& diagnostics) {
  JsonReadStats total;
  auto handle = [&](std::string_view text, const std::string& source) {
    EventBatch batch;
    const JsonReadStats s = parse_json_events(text, source, file_id, batch, diagnostics);
    total.events += s.events;
    total.errors += s.errors;
    consume(batch, source);
  };
  const std::string l = lower(path);
  if (l.size() >= 4 && l.compare(l.size() - 4, 4, ".zip") == 0) {
    int error = 0;
    zip_t* zip = zip_open(path.c_str(), ZIP_RDONLY, &error);
    if (zip == nullptr) {
      zip_error_t ze;
      zip_error_init_with_code(&ze, error);
      const std::string why = zip_error_strerror(&ze);
      zip_error_fini(&ze);
      throw std::runtime_error(path + ": cannot open zip: " + why);
    }
    const zip_int64_t entries = zip_get_num_entries(zip, 0);
    for (zip_int64_t i = 0; i < entries; ++i) {
      zip_stat_t st;
      if (zip_stat_index(zip, static_cast<zip_uint64_t>(i), 0, &st) != 0) continue;
      const std::string name = st.name;
      // macOS archivers add "__MACOSX/._name" resource forks next to each file: not data.
      if (name.rfind("__MACOSX/", 0) == 0) continue;
      if (!is_json_events_path(name) || lower(name).find(".zip") != std::string::npos) continue;
      zip_file_t* f = zip_fopen_index(zip, static_cast<zip_uint64_t>(i), 0);
      std::string source = path;
      source += ':';
      source += name;
      if (f == nullptr) {
        diagnostics.report(Problem{source, 0, "", "cannot read zip entry (encrypted or damaged)", false});
        total.errors++;
        continue;
      }
      // A member is parsed whole: one that claims more than 1 GiB is refused, not allocated (a
      // decompression bomb claims terabytes in a few kilobytes).
      constexpr zip_uint64_t kLargestMember = zip_uint64_t{1} << 30;
      if (st.size > kLargestMember) {
        diagnostics.report(Problem{source, 0, "",
                                   "zip entry of " + std::to_string(st.size) +
                                       " bytes uncompressed: larger than 1 GiB, not read (a decompression bomb?)",
                                   false});
        total.errors++;
        continue;
      }
      std::string data(static_cast<std::size_t>(st.size), '\0');
      const zip_int64_t got = zip_fread(f, data.data(), st.size);
      zip_fclose(f);
      if (got < 0 || static_cast<zip_uint64_t>(got) != st.size) {
        diagnostics.report(
            Problem{source, 0, "", "zip entry is damaged (read " + std::to_string(got) + " bytes)", false});
        total.errors++;
        continue;
      }
      handle(data, source);
    }
    zip_close(zip);
    return total;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::ostringstream ss;
  ss << in.rdbuf();
  handle(ss.str(), path);
  return total;
}

}  // namespace ashiato::logs
