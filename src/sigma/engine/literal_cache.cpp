#include "sigma/engine/literal_cache.h"

#include <hs/hs.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

namespace ashiato::sigma {
namespace {

constexpr char kMagic[] = "ashiato literal database 1\n";

std::uint64_t fnv1a(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

std::filesystem::path file_for(const std::filesystem::path& dir, const std::string& key) {
  char name[40];
  std::snprintf(name, sizeof name, "hs-%016llx.db", static_cast<unsigned long long>(fnv1a(key)));
  return dir / name;
}

void put_u64(std::string& out, std::uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

bool get_u64(const std::string& in, std::size_t& at, std::uint64_t& v) {
  if (in.size() - at < sizeof v) return false;
  std::memcpy(&v, in.data() + at, sizeof v);
  at += sizeof v;
  return true;
}

}  // namespace

std::filesystem::path literal_cache_dir() {
  if (const char* dir = std::getenv("ASHIATO_CACHE_DIR"); dir != nullptr && *dir != '\0') {
    if (std::strcmp(dir, "off") == 0) return {};
    return dir;
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0')
    return std::filesystem::path(xdg) / "ashiato";
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0')
    return std::filesystem::path(home) / ".cache" / "ashiato";
  return {};
}

std::string literal_cache_key(const std::string& literals_joined) {
  hs_platform_info_t platform{};
  hs_populate_platform(&platform);
  std::string key = hs_version();
  key.push_back('\0');
  key.append(reinterpret_cast<const char*>(&platform.tune), sizeof platform.tune);
  key.append(reinterpret_cast<const char*>(&platform.cpu_features), sizeof platform.cpu_features);
  key.push_back('\0');
  key += literals_joined;
  return key;
}

hs_database* load_cached_database(const std::filesystem::path& dir, const std::string& key) {
  if (dir.empty()) return nullptr;
  std::ifstream in(file_for(dir, key), std::ios::binary);
  if (!in) return nullptr;
  const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t magic = sizeof kMagic - 1;
  if (data.compare(0, magic, kMagic) != 0) return nullptr;
  std::size_t at = magic;
  std::uint64_t key_size = 0, db_size = 0;
  if (!get_u64(data, at, key_size) || data.size() - at < key_size || data.compare(at, key_size, key) != 0)
    return nullptr;
  at += key_size;
  if (!get_u64(data, at, db_size) || data.size() - at != db_size) return nullptr;
  hs_database* db = nullptr;
  if (hs_deserialize_database(data.data() + at, db_size, &db) != HS_SUCCESS) return nullptr;
  return db;
}

void store_cached_database(const std::filesystem::path& dir, const std::string& key, const hs_database* db) {
  if (dir.empty()) return;
  char* bytes = nullptr;
  std::size_t length = 0;
  if (hs_serialize_database(db, &bytes, &length) != HS_SUCCESS) return;
  const std::unique_ptr<char, decltype(&std::free)> owned(bytes, &std::free);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return;
  std::string header(kMagic);
  put_u64(header, key.size());
  header += key;
  put_u64(header, length);
  const std::filesystem::path target = file_for(dir, key);
  const std::filesystem::path temporary = target.string() + "." + std::to_string(::getpid()) + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(bytes, static_cast<std::streamsize>(length));
    if (!out) {
      out.close();
      std::filesystem::remove(temporary, ec);
      return;
    }
  }
  std::filesystem::rename(temporary, target, ec);
  if (ec) std::filesystem::remove(temporary, ec);
}

}  // namespace ashiato::sigma
