// JSON string literals: quotes, backslashes and control characters escaped (UTF-8 kept as is).
#pragma once
#include <string>
#include <string_view>

namespace ashiato {

void append_json_string(std::string& out, std::string_view text);

}  // namespace ashiato
