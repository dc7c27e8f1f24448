// Fuzzes the stored beacon series (analyze/beacon/series_codec.h), which an investigation reads
// back from the case: any bytes decode or throw std::runtime_error, never crash, loop or allocate
// without bound; what decodes encodes and decodes again to the same series (same keys, counts and samples); and the URL
// shape of the input as a request path stays a shape (request_shape.h).
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <string_view>

#include "analyze/beacon/request_shape.h"
#include "analyze/beacon/series_codec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ashiato::analyze::beacon;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::string shape = request_shape(input, "");
  if (shape.empty() || shape[0] != '/' || shape_similarity(shape, shape) != 1.0) std::abort();
  const double similarity = shape_similarity(shape, request_shape(input.substr(size / 2), input.substr(0, size / 2)));
  if (!(similarity >= 0 && similarity <= 1)) std::abort();
  // Most inputs would fail the format check at once: give them the right start.
  const std::string bytes = input.substr(0, 4) == "ASB2" ? std::string(input) : "ASB2" + std::string(input);
  SeriesSet set;
  try {
    set = decode_series(bytes, 7);
  } catch (const std::runtime_error&) {
    return 0;
  }
  const std::string again = encode_series(set);
  SeriesSet twice = decode_series(again, 7);
  // Maps iterate in any order: the sizes, not the bytes, must agree.
  if (twice.series.size() != set.series.size() || encode_series(twice).size() != again.size()) std::abort();
  for (const auto& [key, series] : twice.series) {
    const auto it = set.series.find(key);
    if (it == set.series.end() || it->second.connections != series.connections ||
        it->second.samples.size() != series.samples.size()) {
      std::abort();
    }
  }
  return 0;
}
