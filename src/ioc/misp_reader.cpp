// MISP events (JSON): the attributes of each event and of its objects (Object[].Attribute[]).
// Attribute types map onto indicator types as typed_value.h says, composites split into their
// parts ("domain|ip" gives a domain and an IP, "ip-dst|port" one host:port, "filename|sha256" the
// hash). Attributes with to_ids false are read with Indicator::to_ids false. Deleted attributes
// and proposals (ShadowAttribute) are not read. Types that are no indicator ashiato matches
// ("text", "regkey", "link"...) and "uri" values that are only a path (no host to match) are
// skipped with one warning per kind per file.
#include <string>

#include "ioc/json_documents.h"
#include "ioc/typed_value.h"

namespace ashiato::ioc {
namespace {

bool truthy(simdjson::dom::element e, bool fallback) {
  bool b = false;
  if (e.get_bool().get(b) == simdjson::SUCCESS) return b;
  std::string_view s;
  if (e.get_string().get(s) == simdjson::SUCCESS) {
    return !(s == "0" || s == "false" || s == "False" || s == "FALSE" || s.empty());
  }
  std::int64_t n = 0;
  if (e.get_int64().get(n) == simdjson::SUCCESS) return n != 0;
  return fallback;
}

std::string join_label(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  return std::string(a) + " / " + std::string(b);
}

class MispReader {
 public:
  explicit MispReader(ReaderContext& context) : context_(context) {}

  void read_document(simdjson::dom::object root) {
    if (auto event = object_field(root, "Event")) {
      read_event(*event, "Event");
      return;
    }
    simdjson::dom::element response;
    if (root["response"].get(response) == simdjson::SUCCESS) {
      simdjson::dom::array events;
      simdjson::dom::object attributes;
      if (response.get_array().get(events) == simdjson::SUCCESS) {
        std::size_t i = 0;
        for (simdjson::dom::element item : events) {
          simdjson::dom::object wrapper;
          const std::string where = "response[" + std::to_string(i++) + "]";
          if (item.get_object().get(wrapper) != simdjson::SUCCESS) continue;
          if (auto event = object_field(wrapper, "Event")) {
            read_event(*event, where + ".Event");
          } else {
            read_event(wrapper, where);  // some MISP versions answer with bare events
          }
        }
      } else if (response.get_object().get(attributes) == simdjson::SUCCESS) {
        read_event(attributes, "response");  // an attribute search: {"response": {"Attribute": [...]}}
      }
      return;
    }
    read_event(root, "Event");
  }

 private:
  void read_event(simdjson::dom::object event, const std::string& where) {
    const std::string info(string_field(event, "info").value_or(""));
    if (auto attributes = array_field(event, "Attribute")) read_attributes(*attributes, info, where + ".Attribute");
    if (auto objects = array_field(event, "Object")) {
      std::size_t j = 0;
      for (simdjson::dom::element item : *objects) {
        simdjson::dom::object object;
        const std::string object_where = where + ".Object[" + std::to_string(j++) + "]";
        if (item.get_object().get(object) != simdjson::SUCCESS) continue;
        if (auto attributes = array_field(object, "Attribute")) {
          read_attributes(*attributes, info, object_where + ".Attribute");
        }
      }
    }
  }

  void read_attributes(simdjson::dom::array attributes, const std::string& info, const std::string& where) {
    std::size_t i = 0;
    for (simdjson::dom::element item : attributes) {
      simdjson::dom::object attribute;
      const std::string attribute_where = where + "[" + std::to_string(i++) + "]";
      if (item.get_object().get(attribute) != simdjson::SUCCESS) {
        context_.error(attribute_where, "attribute that is not an object");
        continue;
      }
      read_attribute(attribute, info, attribute_where);
    }
  }

  void read_attribute(simdjson::dom::object attribute, const std::string& info, const std::string& position) {
    simdjson::dom::element flag;
    if (attribute["deleted"].get(flag) == simdjson::SUCCESS && truthy(flag, false)) {
      context_.skip("deleted MISP attributes", "deleted in the event");
      return;
    }
    const auto uuid = string_field(attribute, "uuid");
    const std::string where = uuid ? "attribute " + std::string(*uuid) : position;
    const auto type = string_field(attribute, "type");
    if (!type) {
      context_.error(where, "attribute without a type");
      return;
    }
    std::string value;
    simdjson::dom::element v;
    if (attribute["value"].get(v) == simdjson::SUCCESS) {
      std::string_view s;
      std::int64_t n = 0;
      if (v.get_string().get(s) == simdjson::SUCCESS) {
        value = std::string(s);
      } else if (v.get_int64().get(n) == simdjson::SUCCESS) {
        value = std::to_string(n);
      }
    }
    if (*type == "uri" && !value.empty() && value.front() == '/') {
      context_.skip("MISP 'uri' attributes holding only a path", "a path without a host is no URL to match");
      return;
    }
    found_.clear();
    std::string why, filename;
    switch (typed_indicators(*type, value, found_, why, &filename)) {
      case TypedStatus::kOk: break;
      case TypedStatus::kUnsupportedType:
        context_.skip(
            "MISP attribute type '" + std::string(*type) + "'",
            *type == "link" ? "a link to a report, not an indicator" : "not an indicator type ashiato matches");
        return;
      case TypedStatus::kInvalidValue: context_.error(where, value.empty() ? "attribute without a value" : why); return;
    }
    const bool to_ids = attribute["to_ids"].get(flag) == simdjson::SUCCESS ? truthy(flag, true) : true;
    const std::string label = join_label(join_label(info, filename), string_field(attribute, "comment").value_or(""));
    const std::string source = context_.source() + "#" + (uuid ? std::string(*uuid) : position);
    for (Indicator& indicator : found_) {
      indicator.source = source;
      indicator.label = label;
      indicator.to_ids = to_ids;
      context_.out().push_back(std::move(indicator));
    }
  }

  ReaderContext& context_;
  std::vector<Indicator> found_;
};

}  // namespace

bool is_misp_document(simdjson::dom::object object) {
  if (object_field(object, "Event")) return true;
  simdjson::dom::element response;
  if (object["response"].get(response) == simdjson::SUCCESS) {
    return response.is_array() || response.is_object();
  }
  return array_field(object, "Attribute").has_value() || array_field(object, "Object").has_value() ||
         string_field(object, "info").has_value();
}

void read_misp_document(simdjson::dom::object object, ReaderContext& context) {
  MispReader(context).read_document(object);
}

}  // namespace ashiato::ioc
