// STIX 2.1 (and 2.0) JSON: indicator objects with STIX patterns, and cyber-observable objects
// (domain-name, url, ipv4-addr, ipv6-addr, email-addr, file hashes) standing in the bundle.
//
// An indicator's pattern is a query; ashiato reads it as a list of things to look for. Every
// equality comparison (and each member of an IN set, and ISSUBSET for IP networks) on a supported
// object path gives one indicator, whatever joins it to the others: an OR gives alternatives, and
// an AND of several comparisons ([domain-name:value = 'a' AND ipv4-addr:value = '1.2.3.4']) gives
// each comparison's indicator on its own, matched alone. That finds more than the pattern would
// (never less), which is what a responder sweeping logs wants. Comparisons on other paths
// (file:name, x509-certificate:*, email-message:subject) and other operators (LIKE, MATCHES, !=)
// are left out; an indicator left with nothing gets a warning.
//
// Observed-data objects of STIX 2.0 (with their observables embedded) are what was seen, not what
// to look for, and are not read; neither are relationships, malware, reports and the like.
#include <utility>

#include "ioc/json_documents.h"
#include "ioc/stix_pattern.h"
#include "ioc/text_util.h"
#include "ioc/typed_value.h"

namespace ashiato::ioc {
namespace {

// The type name (typed_value.h) an object path's values have, or empty if not supported.
std::string_view path_type(std::string_view path) {
  if (path == "domain-name:value") return "domain-name";
  if (path == "url:value") return "url";
  if (path == "ipv4-addr:value") return "ipv4-addr";
  if (path == "ipv6-addr:value") return "ipv6-addr";
  if (path == "email-addr:value" || path == "email-message:from_ref.value" || path == "email-message:sender_ref.value")
    return "email";
  if (path == "network-traffic:dst_ref.value" || path == "network-traffic:src_ref.value") return "host";
  if (path == "network-traffic:extensions.'http-request-ext'.request_header.'User-Agent'") return "user-agent";
  constexpr std::string_view kHashes = "file:hashes.";
  if (path.substr(0, kHashes.size()) == kHashes) {
    std::string key = lowercase(strip_wrapping(path.substr(kHashes.size())));
    std::erase(key, '-');
    if (key == "md5") return "md5";
    if (key == "sha1") return "sha1";
    if (key == "sha256") return "sha256";
  }
  return {};
}

std::optional<Timestamp> timestamp_field(simdjson::dom::object object, std::string_view key, ReaderContext& context,
                                         const std::string& where) {
  auto text = string_field(object, key);
  if (!text) return std::nullopt;
  auto t = parse_iso8601(*text);
  if (!t) context.warning(where, std::string(key) + " is not a timestamp: '" + std::string(*text) + "'");
  return t;
}

class StixReader {
 public:
  explicit StixReader(ReaderContext& context) : context_(context) {}

  void read(simdjson::dom::object object) {
    if (string_field(object, "type") == "bundle") {
      auto objects = array_field(object, "objects");
      if (!objects) return;
      std::size_t i = 0;
      for (simdjson::dom::element item : *objects) {
        simdjson::dom::object o;
        if (item.get_object().get(o) == simdjson::SUCCESS) {
          read_object(o, i);
        } else {
          context_.error("objects[" + std::to_string(i) + "]", "bundle entry that is not an object");
        }
        ++i;
      }
      return;
    }
    read_object(object, 0);
  }

 private:
  void read_object(simdjson::dom::object o, std::size_t index) {
    const std::string_view type = string_field(o, "type").value_or("");
    const auto id = string_field(o, "id");
    const std::string where = id ? std::string(*id) : "objects[" + std::to_string(index) + "]";
    if (type == "indicator") {
      read_indicator(o, where);
    } else if (type == "domain-name" || type == "url" || type == "ipv4-addr" || type == "ipv6-addr" ||
               type == "email-addr") {
      if (auto value = string_field(o, "value")) {
        Indicator base;
        base.source = context_.source() + "#" + where;
        add(type, *value, base, where);
      }
    } else if (type == "file") {
      read_file_hashes(o, where);
    }
  }

  void read_indicator(simdjson::dom::object o, const std::string& where) {
    bool revoked = false;
    if (o["revoked"].get_bool().get(revoked) == simdjson::SUCCESS && revoked) {
      context_.warning(where, "revoked indicator skipped");
      return;
    }
    if (auto pattern_type = string_field(o, "pattern_type"); pattern_type && *pattern_type != "stix") {
      context_.warning(where, "pattern type '" + std::string(*pattern_type) + "' is not read (only STIX patterns are)");
      return;
    }
    const auto pattern = string_field(o, "pattern");
    if (!pattern) {
      context_.error(where, "indicator without a pattern");
      return;
    }
    Indicator base;
    base.source = context_.source() + "#" + where;
    base.label = std::string(string_field(o, "name").value_or(""));
    base.valid_from = timestamp_field(o, "valid_from", context_, where);
    base.valid_until = timestamp_field(o, "valid_until", context_, where);

    std::vector<StixComparison> comparisons;
    std::string error;
    if (!parse_stix_pattern(*pattern, comparisons, error)) {
      context_.error(where, "pattern: " + error);
      return;
    }
    const std::size_t before = context_.out().size();
    bool invalid = false;
    for (const StixComparison& c : comparisons) {
      const std::string_view type = path_type(c.path);
      if (type.empty() || c.negated) continue;
      const bool ip = type == "ipv4-addr" || type == "ipv6-addr";
      if (c.op != "=" && c.op != "IN" && !(c.op == "ISSUBSET" && ip)) continue;
      for (const std::string& value : c.values) invalid = !add(type, value, base, where) || invalid;
    }
    if (context_.out().size() == before && !invalid) {
      context_.warning(where, "no comparison ashiato can match in pattern " + std::string(pattern->substr(0, 200)));
    }
  }

  void read_file_hashes(simdjson::dom::object o, const std::string& where) {
    auto hashes = object_field(o, "hashes");
    if (!hashes) return;
    Indicator base;
    base.source = context_.source() + "#" + where;
    base.label = std::string(string_field(o, "name").value_or(""));
    for (auto [key, value] : *hashes) {
      const std::string path = "file:hashes.'" + std::string(key) + "'";
      const std::string_view type = path_type(path);
      std::string_view text;
      if (type.empty() || value.get_string().get(text) != simdjson::SUCCESS) continue;
      add(type, text, base, where);
    }
  }

  // Appends the indicator(s) of `value`; false (after reporting it) if the value is invalid.
  bool add(std::string_view type, std::string_view value, const Indicator& base, const std::string& where) {
    found_.clear();
    std::string why;
    if (typed_indicators(type, value, found_, why) == TypedStatus::kInvalidValue) {
      context_.error(where, why);
      return false;
    }
    for (Indicator& indicator : found_) {
      indicator.source = base.source;
      indicator.label = base.label;
      indicator.valid_from = base.valid_from;
      indicator.valid_until = base.valid_until;
      context_.out().push_back(std::move(indicator));
    }
    return true;
  }

  ReaderContext& context_;
  std::vector<Indicator> found_;
};

}  // namespace

bool is_stix_document(simdjson::dom::object object) {
  const auto type = string_field(object, "type");
  if (!type) return false;
  if (*type == "bundle") return true;
  const auto id = string_field(object, "id");
  return id && id->size() > type->size() + 2 && id->substr(0, type->size()) == *type &&
         id->substr(type->size(), 2) == "--";
}

void read_stix_document(simdjson::dom::object object, ReaderContext& context) {
  StixReader(context).read(object);
}

}  // namespace ashiato::ioc
