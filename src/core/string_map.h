// A hash map keyed by std::string that is looked up with a std::string_view: no std::string
// is built for each lookup (one allocation for a key longer than the small-string buffer, such
// as "Microsoft-Windows-Sysmon/Operational").
#pragma once
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ashiato {

struct StringViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringViewHash, std::equal_to<>>;

}  // namespace ashiato
