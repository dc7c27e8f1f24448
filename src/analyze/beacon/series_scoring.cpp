#include "analyze/beacon/series_scoring.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ashiato::analyze::beacon {
namespace {

constexpr std::uint32_t kDay = 86400;
constexpr std::uint32_t kHour = 3600;
constexpr std::uint64_t kStrobeConnections = 86400;

std::vector<Sample> in_time_order(const Series& series) {
  std::vector<Sample> sorted = series.samples;
  std::sort(sorted.begin(), sorted.end(), [](const Sample& a, const Sample& b) { return a.time < b.time; });
  return sorted;
}

// A series before its scores: counts, span, addresses and request traits.
BeaconResult describe_series(const SeriesKey& key, const Series& series, const std::vector<Sample>& sorted,
                             const StringPool& strings) {
  BeaconResult r;
  r.duration = series.duration + series.open_duration();
  r.missing_host = series.missing_host;
  r.key = key;
  r.connections = series.connections;
  r.bytes = series.bytes;
  r.first = series.first;
  r.last = series.last;
  r.server_ips = series.server_ips;
  std::sort(r.server_ips.begin(), r.server_ips.end());  // the order files were read in must not show
  r.traits = series_traits(series, sorted, strings);
  return r;
}

// The scores of every 24-hour window and of the whole span (samples in time order).
void score_windows(BeaconResult& r, const Series& series, const std::vector<Sample>& sorted,
                   std::uint32_t evidence_from, std::uint32_t evidence_to, const BeaconOptions& options) {
  // `day`: a 24-hour window, where 86,400 connections make a strobe (one a second); the whole
  // span is scored whatever its count.
  auto score_window = [&](std::uint32_t from, std::uint32_t to, std::uint64_t* count,
                          bool day) -> std::optional<BeaconScore> {
    // RITA reads whole hours from the one holding the window's start (they count in the
    // histogram's first bin).
    const std::uint32_t hour = from - from % kHour;
    std::vector<std::uint32_t> ts;
    std::vector<std::uint64_t> bytes;
    for (const Sample& s : sorted) {
      if (s.time < hour || s.time > to) continue;
      ts.push_back(s.time);
      bytes.push_back(s.bytes);
    }
    *count = ts.size();
    if (day && ts.size() >= kStrobeConnections) {
      r.strobe = true;
      return std::nullopt;
    }
    return score_beacon(ts, bytes, from, to, options.weights, options.thresholds);
  };
  // Every 24 hours back from the end of the evidence: RITA's own window (the last day) first.
  for (std::uint64_t end = evidence_to;; end -= kDay) {
    const auto to = static_cast<std::uint32_t>(end);
    const std::uint32_t from = end >= evidence_from + std::uint64_t{kDay} ? to - kDay : evidence_from;
    if (series.last >= from && series.first <= to) {
      std::uint64_t count = 0;
      const auto score = score_window(from, to, &count, true);
      if (end == evidence_to) {
        r.latest = score;
        r.latest_connections = count;
      }
      if (score && (!r.best || score->score > r.best->score)) {
        r.best = score;
        r.window_from = from;
        r.window_to = to;
        r.window_connections = count;
      }
    }
    if (from <= evidence_from || end < kDay) break;
  }
  if (evidence_to > evidence_from + kDay) {
    std::uint64_t count = 0;
    r.span = score_window(evidence_from, evidence_to, &count, false);
  } else {
    r.span = r.best;
  }
}

// Zeek describes one session in several logs. As RITA: an HTTP/TLS session is one sample of its
// FQDN series, with the start and client bytes of its conn record (several requests on one
// connection are one sample), and is not counted again under its addresses.
void join_sessions(SeriesSet& set) {
  if (set.fqdn_sessions.empty()) return;
  const std::unordered_set<std::uint64_t> fqdn_sessions(set.fqdn_sessions.begin(), set.fqdn_sessions.end());
  std::unordered_map<std::uint64_t, Sample> conns;
  for (const auto& [key, series] : set.series) {
    if (key.kind != SeriesKind::kIp) continue;
    for (const Sample& s : series.samples) {
      if (s.session != 0) conns.emplace(s.session, s);
    }
  }
  for (auto& [key, series] : set.series) {
    const bool fqdn = key.kind == SeriesKind::kFqdn;
    std::unordered_set<std::uint64_t> seen;
    bool changed = false;
    std::vector<Sample> kept;
    std::uint64_t sample_bytes = 0, kept_bytes = 0;
    for (const Sample& s : series.samples) {
      sample_bytes += s.bytes;
      const Sample* keep = &s;
      Sample joined;
      if (s.session != 0 && fqdn) {
        if (!seen.insert(s.session).second) {
          changed = true;
          continue;
        }
        if (const auto conn = conns.find(s.session); conn != conns.end()) {
          // The conn record's start and sizes, the request's traits.
          joined = s;
          joined.time = conn->second.time;
          joined.bytes = conn->second.bytes;
          joined.reply = conn->second.reply;
          keep = &joined;
          changed = true;
        }
      } else if (s.session != 0 && fqdn_sessions.count(s.session) > 0) {
        changed = true;
        continue;
      }
      kept.push_back(*keep);
      kept_bytes += keep->bytes;
    }
    if (!changed) continue;
    // Past the sample cap the uncounted rest cannot be told apart: it stays counted.
    const std::uint64_t uncounted = series.connections - series.samples.size();
    series.connections = kept.size() + uncounted;
    series.bytes = kept_bytes + (series.bytes - std::min(series.bytes, sample_bytes));
    if (!kept.empty()) {
      const auto [lo, hi] = std::minmax_element(kept.begin(), kept.end(),
                                                [](const Sample& a, const Sample& b) { return a.time < b.time; });
      series.first = lo->time;
      series.last = hi->time;
    }
    series.samples = std::move(kept);
  }
}

}  // namespace

BeaconResult score_series(const SeriesKey& key, const Series& series, std::uint32_t evidence_from,
                          std::uint32_t evidence_to, const BeaconOptions& options, const StringPool& strings) {
  const std::vector<Sample> sorted = in_time_order(series);
  BeaconResult r = describe_series(key, series, sorted, strings);
  score_windows(r, series, sorted, evidence_from, evidence_to, options);
  return r;
}

ScoredSeries score_all(SeriesSet& set, const BeaconOptions& options) {
  join_sessions(set);
  ScoredSeries out;
  bool any = false;
  std::vector<const SeriesMap::value_type*> entries;
  for (const auto& entry : set.series) {
    const Series& series = entry.second;
    if (series.connections == 0) continue;
    out.evidence_from = any ? std::min(out.evidence_from, series.first) : series.first;
    out.evidence_to = any ? std::max(out.evidence_to, series.last) : series.last;
    any = true;
    if (series.samples.empty() || (series.samples.size() < 4 && !options.keep_unscored)) continue;
    if (!options.consider || options.consider(entry.first, series)) entries.push_back(&entry);
  }
  // Series apart: on every thread, each result in its own slot.
  std::vector<std::optional<BeaconResult>> slots(entries.size());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, entries.size(), 64), [&](const auto& range) {
    for (std::size_t i = range.begin(); i != range.end(); ++i) {
      const SeriesKey& key = entries[i]->first;
      const Series& series = entries[i]->second;
      const std::vector<Sample> sorted = in_time_order(series);
      BeaconResult r = describe_series(key, series, sorted, set.strings);
      const BeaconOptions::Pick pick =
          options.select ? options.select(key, series, r.traits) : BeaconOptions::Pick::kScore;
      if (pick == BeaconOptions::Pick::kSkip) continue;
      if (pick == BeaconOptions::Pick::kScore)
        score_windows(r, series, sorted, out.evidence_from, out.evidence_to, options);
      slots[i] = std::move(r);
    }
  });
  for (auto& slot : slots) {
    if (slot) out.results.push_back(std::move(*slot));
  }
  if (options.final_scores) out.hosts = apply_rita_modifiers(out.results, set, out.evidence_from, out.evidence_to);
  // Best score first, then by series: the same order whatever order the files were read in.
  std::sort(out.results.begin(), out.results.end(), [](const BeaconResult& a, const BeaconResult& b) {
    const double sa = a.best ? a.best->score : -1, sb = b.best ? b.best->score : -1;
    return sa != sb ? sa > sb : a.key < b.key;
  });
  return out;
}

}  // namespace ashiato::analyze::beacon
