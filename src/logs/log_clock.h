// Local times in text logs become UTC through the zone the user names with --log-tz: "UTC", a
// fixed offset ("+09:00"), an IANA zone ("Asia/Tokyo") or "local" (this machine's zone, the
// default, which the output states). Syslog stamps carry no year: it is inferred from the file's
// modification time (a stamp later than that belongs to the year before, which handles the
// December → January wrap of a rotated file).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.h"

namespace ashiato::logs {

class LogClock {
 public:
  // Throws std::invalid_argument for an unknown zone. A named zone becomes the process's TZ.
  static LogClock parse(std::string_view spec);
  static LogClock utc() { return LogClock(Kind::kFixed, 0, "UTC"); }

  // e.g. "UTC", "+09:00", "Asia/Tokyo", "local (Europe/Berlin)".
  const std::string& describe() const { return description_; }
  std::optional<Timestamp> to_utc(const CivilTime& local) const;
  // Year for a stamp without one, given the file's modification time (or now).
  int infer_year(int month, int day, std::optional<Timestamp> modified) const;

 private:
  enum class Kind { kFixed, kZone };
  LogClock(Kind kind, std::int64_t offset_seconds, std::string description)
      : kind_(kind), offset_seconds_(offset_seconds), description_(std::move(description)) {}

  Kind kind_;
  std::int64_t offset_seconds_;  // local minus UTC, for kFixed
  std::string description_;
};

// The three-letter English month name ("Jan") → 1..12, else 0.
int month_from_name(std::string_view name);

}  // namespace ashiato::logs
