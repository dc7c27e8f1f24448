// Field names interned once into small integers, so matching never hashes strings.
#pragma once
#include <cstdint>
#include <string_view>

namespace ashiato {

using FieldId = std::uint32_t;
inline constexpr FieldId kNoField = 0xffffffffU;

// Returns the id of `name`, creating it on first use. Thread-safe.
FieldId intern_field(std::string_view name);
// Returns the id of `name` if it was interned before, else kNoField. Thread-safe.
FieldId find_field(std::string_view name);
// The name behind an id; valid for the life of the process.
std::string_view field_name(FieldId id);

}  // namespace ashiato
