#include "analyze/beacon/series_traits.h"

#include <algorithm>

namespace ashiato::analyze::beacon {
namespace {

double median_of(std::vector<double>& values) {
  if (values.empty()) return 0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid), values.end());
  const double upper = values[mid];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(mid));
  return (lower + upper) / 2;
}

// Slot counts as (text, count), most used first; "(other)" for what did not fit in the slots.
std::vector<std::pair<std::string, std::uint64_t>> tally(const std::vector<std::uint64_t>& slots,
                                                         const std::vector<std::uint64_t>& counts, std::uint64_t other,
                                                         const StringPool& strings) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  for (std::size_t i = 0; i < slots.size(); ++i) {
    if (counts[i] == 0) continue;
    const auto it = strings.find(slots[i]);
    out.emplace_back(it == strings.end() ? std::string("(unknown)") : it->second, counts[i]);
  }
  if (other > 0) out.emplace_back("(other)", other);
  // Most used first, ties by text: the same whatever order the samples came in.
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  return out;
}

}  // namespace

SeriesTraits series_traits(const Series& series, const std::vector<Sample>& samples, const StringPool& strings) {
  SeriesTraits t;
  t.samples = samples.size();
  t.refs = series.refs;
  std::vector<std::uint64_t> agent_counts(series.agents.size()), shape_counts(series.shapes.size());
  std::uint64_t other_agents = 0, other_shapes = 0;
  std::vector<double> requests, replies, intervals;
  requests.reserve(samples.size());
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const Sample& s = samples[i];
    if (s.agent < agent_counts.size()) ++agent_counts[s.agent];
    if (s.agent == kOtherSlot) ++other_agents;
    if (s.shape < shape_counts.size()) ++shape_counts[s.shape];
    if (s.shape == kOtherSlot) ++other_shapes;
    ++t.methods[static_cast<std::size_t>(s.method)];
    requests.push_back(s.bytes);
    if (s.reply > 0) replies.push_back(s.reply);
    ++t.hours[(s.time / 3600) % 24];
    if ((s.flags & kDirectAddress) != 0) ++t.direct_address;
    if (i > 0 && s.time > samples[i - 1].time) {
      const std::uint32_t gap = s.time - samples[i - 1].time;
      intervals.push_back(gap);
      const auto bin = std::upper_bound(kIntervalBinEdges.begin(), kIntervalBinEdges.end(), gap - 1);
      ++t.interval_bins[static_cast<std::size_t>(bin - kIntervalBinEdges.begin())];
    }
  }
  t.agents = tally(series.agents, agent_counts, other_agents, strings);
  t.shapes = tally(series.shapes, shape_counts, other_shapes, strings);
  t.request_bytes = median_of(requests);
  t.reply_bytes = median_of(replies);
  t.interval = median_of(intervals);
  return t;
}

}  // namespace ashiato::analyze::beacon
