#include "logs/log_clock.h"

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <stdexcept>

namespace ashiato::logs {
namespace {

std::string local_zone_name() {
  if (const char* tz = std::getenv("TZ"); tz && *tz) return tz;
  std::error_code ec;
  auto target = std::filesystem::read_symlink("/etc/localtime", ec);
  if (!ec) {
    std::string s = target.string();
    auto pos = s.find("zoneinfo/");
    if (pos != std::string::npos) return s.substr(pos + 9);
  }
  return "system default";
}

std::optional<std::int64_t> parse_offset(std::string_view s) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  int sign = s[0] == '-' ? -1 : 1;
  std::string_view rest = s.substr(1);
  int hours = 0, minutes = 0;
  auto digits = [](std::string_view d) {
    for (char c : d) {
      if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    }
    return !d.empty();
  };
  if (rest.size() == 5 && rest[2] == ':' && digits(rest.substr(0, 2)) && digits(rest.substr(3))) {
    hours = std::stoi(std::string(rest.substr(0, 2)));
    minutes = std::stoi(std::string(rest.substr(3)));
  } else if (rest.size() == 4 && digits(rest)) {
    hours = std::stoi(std::string(rest.substr(0, 2)));
    minutes = std::stoi(std::string(rest.substr(2)));
  } else if (rest.size() <= 2 && digits(rest)) {
    hours = std::stoi(std::string(rest));
  } else {
    return std::nullopt;
  }
  if (hours > 14 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

// mktime is slow and takes a lock; consecutive log lines share the hour, so one remembered
// (local hour → offset) pair per thread answers nearly every call.
struct OffsetCache {
  std::int64_t local_hour = INT64_MIN;
  std::int64_t offset_seconds = 0;
};
thread_local OffsetCache offset_cache;

}  // namespace

int month_from_name(std::string_view name) {
  static constexpr std::string_view kMonths[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                                 "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() != 3) return 0;
  char lower[3];
  for (int i = 0; i < 3; ++i) lower[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[i])));
  for (int i = 0; i < 12; ++i) {
    if (std::string_view(lower, 3) == kMonths[i]) return i + 1;
  }
  return 0;
}

LogClock LogClock::parse(std::string_view spec) {
  if (spec.empty() || spec == "local") return LogClock(Kind::kZone, 0, "local (" + local_zone_name() + ")");
  if (spec == "UTC" || spec == "utc" || spec == "Z" || spec == "GMT") return utc();
  if (auto offset = parse_offset(spec)) return LogClock(Kind::kFixed, *offset, std::string(spec));
  std::string name(spec);
  if (name.find("..") != std::string::npos || !std::filesystem::exists("/usr/share/zoneinfo/" + name)) {
    throw std::invalid_argument("unknown time zone '" + name + "' (use UTC, +HH:MM or an IANA name like Asia/Tokyo)");
  }
  setenv("TZ", name.c_str(), 1);
  tzset();
  return LogClock(Kind::kZone, 0, name);
}

std::optional<Timestamp> LogClock::to_utc(const CivilTime& local) const {
  CivilTime as_utc = local;
  auto naive = from_civil(as_utc);  // the local reading taken as if it were UTC
  if (!naive) return std::nullopt;
  if (kind_ == Kind::kFixed) return Timestamp{naive->ticks - offset_seconds_ * 10'000'000};
  std::int64_t local_hour = naive->ticks / (3600LL * 10'000'000);
  if (offset_cache.local_hour != local_hour) {
    std::tm tm{};
    tm.tm_year = local.year - 1900;
    tm.tm_mon = local.month - 1;
    tm.tm_mday = local.day;
    tm.tm_hour = local.hour;
    tm.tm_isdst = -1;
    std::time_t utc_seconds = std::mktime(&tm);
    if (utc_seconds == static_cast<std::time_t>(-1)) return std::nullopt;
    std::int64_t naive_hour_seconds = local_hour * 3600 - 11644473600LL;  // 1601 epoch → 1970
    offset_cache.local_hour = local_hour;
    offset_cache.offset_seconds = naive_hour_seconds - static_cast<std::int64_t>(utc_seconds);
  }
  return Timestamp{naive->ticks - offset_cache.offset_seconds * 10'000'000};
}

int LogClock::infer_year(int month, int day, std::optional<Timestamp> modified) const {
  Timestamp reference = modified ? *modified
                                 : Timestamp::from_unix_seconds(std::chrono::duration_cast<std::chrono::seconds>(
                                                                    std::chrono::system_clock::now().time_since_epoch())
                                                                    .count());
  CivilTime ref = to_civil(reference);
  // A stamp more than a day after the reference cannot be from the reference's year.
  if (month > ref.month || (month == ref.month && day > ref.day + 1)) return ref.year - 1;
  return ref.year;
}

}  // namespace ashiato::logs
