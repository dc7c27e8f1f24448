// The items of an array value (type with kArrayFlag): NUL-separated UTF-16 strings, or fixed-size
// elements. An element whose whole content is one array value is repeated once per item (MS-EVEN6;
// e.g. <Data> in System event 6009 holds a string array).
#pragma once
#include <cstdint>

#include "evtx/format.h"

namespace ashiato::evtx {

// Calls fn(offset, size) for each item of the array in `size` bytes at `data`, whose type is
// `type` with kArrayFlag. Returns false, calling nothing, for items of variable size other than
// strings (SIDs, binary): such arrays keep their joined rendering.
template <typename Fn>
bool for_each_array_item(std::uint8_t type, const std::uint8_t* data, std::uint32_t size, Fn&& fn) {
  const std::uint8_t item = type & ~kArrayFlag;
  if (item == kString) {
    std::uint32_t start = 0;
    for (std::uint32_t i = 0; i + 1 < size; i += 2) {
      if (data[i] == 0 && data[i + 1] == 0) {
        fn(start, i - start);
        start = i + 2;
      }
    }
    if (start + 1 < size) fn(start, size - start);
    return true;
  }
  const std::uint32_t step = fixed_value_size(item);
  if (step == 0) return false;
  for (std::uint32_t off = 0; off + step <= size; off += step) fn(off, step);
  return true;
}

}  // namespace ashiato::evtx
