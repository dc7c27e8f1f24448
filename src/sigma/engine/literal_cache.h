// Compiled literal databases kept between runs. Compiling the Hyperscan databases of the whole
// SigmaHQ rule set takes about half a second of every hunt (CommandLine's 11,000 literals
// alone 0.3 s); a database is stored under the cache folder the first time and read back when
// the same literals, Hyperscan version and CPU features come again.
#pragma once
#include <filesystem>
#include <string>

struct hs_database;

namespace ashiato::sigma {

// $ASHIATO_CACHE_DIR, else $XDG_CACHE_HOME/ashiato, else ~/.cache/ashiato; empty (no caching)
// when ASHIATO_CACHE_DIR is "off" or no home is known.
std::filesystem::path literal_cache_dir();

// What identifies a database: the literals in order, the Hyperscan version and the platform
// it was compiled for. Stored in full with the database and compared on reading, so a name
// collision can never hand back another set's database.
std::string literal_cache_key(const std::string& literals_joined);

// The stored database for `key`, or null (none, unreadable, damaged, or for another key).
hs_database* load_cached_database(const std::filesystem::path& dir, const std::string& key);
// Stores it (written to a temporary name and renamed, so concurrent runs never see half a
// file). A cache that cannot be written is left alone: it only costs time.
void store_cached_database(const std::filesystem::path& dir, const std::string& key, const hs_database* db);

}  // namespace ashiato::sigma
