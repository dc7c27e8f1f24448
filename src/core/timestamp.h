// Points in time: UTC, 100 ns ticks since 1601-01-01 (the Windows FILETIME epoch).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ashiato {

struct Timestamp {
  std::int64_t ticks = 0;  // 100 ns intervals since 1601-01-01T00:00:00Z

  static Timestamp from_filetime(std::uint64_t filetime) { return Timestamp{static_cast<std::int64_t>(filetime)}; }
  static Timestamp from_unix_seconds(std::int64_t seconds, std::int64_t nanos = 0);
  friend auto operator<=>(const Timestamp&,
                          const Timestamp&) = default;  // NOLINT(modernize-use-nullptr): clang-tidy 14 false positive
};

struct CivilTime {
  int year, month, day, hour, minute, second;
  std::int64_t fraction_ticks;  // 0 .. 9'999'999
};

CivilTime to_civil(Timestamp t);
std::optional<Timestamp> from_civil(const CivilTime& c);

// "2016-07-08T18:12:51.681640Z": `digits` fractional digits (0, 3, 6 or 7).
void append_iso8601(std::string& out, Timestamp t, int digits = 6);
std::string to_iso8601(Timestamp t, int digits = 6);

// Accepts "YYYY-MM-DD", "YYYY-MM-DD[T ]HH:MM[:SS[.f+]]" with optional "Z" or "+HH:MM"/"-HH:MM".
// A value without a zone is taken as UTC.
std::optional<Timestamp> parse_iso8601(std::string_view text);

}  // namespace ashiato
