// The fields a connection is read from, gathered in one pass over an event's fields: an event
// has a few dozen, and looking each of some twenty fields up on its own scanned them twenty times
// (as much as parsing the line cost).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/event.h"

namespace ashiato::analyze::beacon {

class ConnectionFields {
 public:
  enum Field : std::uint8_t {
    kSrcIp,
    kDstIp,
    kCsHost,
    kDstHost,
    kQuery,
    kZeekPath,
    kChannel,
    kConnState,
    kUid,
    kOrigIpBytes,
    kRespIpBytes,
    kCsBytes,
    kScBytes,
    kMethod,
    kUserAgent,
    kUriStem,
    kUri,
    kUriQuery,
    kDuration,
    kCount
  };
  explicit ConnectionFields(const Event& e);
  // The field's first value, as Event::get gives it.
  std::optional<std::string_view> operator[](Field f) const { return values_[f]; }

 private:
  std::array<std::optional<std::string_view>, kCount> values_;
};

}  // namespace ashiato::analyze::beacon
