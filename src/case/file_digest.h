// SHA-256 of a file's bytes as lowercase hex: the identity of a piece of evidence in the case.
#pragma once
#include <cstdint>
#include <string>

namespace ashiato::cases {

// Throws std::runtime_error naming the file when it cannot be read.
std::string sha256_file(const std::string& path, std::uint64_t* size = nullptr);

}  // namespace ashiato::cases
