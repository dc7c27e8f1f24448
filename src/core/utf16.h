// UTF-16LE (as stored in Windows logs) to UTF-8. Unpaired surrogates become U+FFFD.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace ashiato {

void append_utf16le(std::string& out, const std::uint8_t* data, std::size_t units);
// UTF-8 to UTF-16LE bytes (for writers). Invalid UTF-8 bytes become U+FFFD.
std::string to_utf16le(std::string_view utf8);

}  // namespace ashiato
