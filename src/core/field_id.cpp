#include "core/field_id.h"

#include <deque>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace ashiato {
namespace {

struct Registry {
  std::shared_mutex mutex;
  std::deque<std::string> names;  // deque: stable addresses for the map's keys
  std::unordered_map<std::string_view, FieldId> ids;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

FieldId find_field(std::string_view name) {
  Registry& r = registry();
  std::shared_lock lock(r.mutex);
  auto it = r.ids.find(name);
  return it == r.ids.end() ? kNoField : it->second;
}

FieldId intern_field(std::string_view name) {
  Registry& r = registry();
  {
    std::shared_lock lock(r.mutex);
    auto it = r.ids.find(name);
    if (it != r.ids.end()) return it->second;
  }
  std::unique_lock lock(r.mutex);
  auto it = r.ids.find(name);
  if (it != r.ids.end()) return it->second;
  auto id = static_cast<FieldId>(r.names.size());
  r.names.emplace_back(name);
  r.ids.emplace(r.names.back(), id);
  return id;
}

std::string_view field_name(FieldId id) {
  Registry& r = registry();
  std::shared_lock lock(r.mutex);
  return id < r.names.size() ? std::string_view(r.names[id]) : std::string_view();
}

}  // namespace ashiato
