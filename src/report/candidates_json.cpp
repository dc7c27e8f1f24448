#include "report/candidates_json.h"

#include <algorithm>
#include <cstdlib>

namespace ashiato::report {
namespace {

double number(const std::string& text) {
  return std::strtod(text.c_str(), nullptr);
}

std::vector<std::string> split(const std::string& s, char separator) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < s.size()) {
    const std::size_t end = std::min(s.find(separator, start), s.size());
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace

void write_candidates(JsonWriter& w, const std::vector<cases::CandidateRecord>& candidates) {
  w.begin_array("candidates");
  for (const auto& c : candidates) {
    w.begin_object().value("destination", c.destination).value("kind", c.kind);
    w.strings("hosts", c.hosts).strings("sources", c.sources).strings("relays", c.relays);
    w.strings("addresses", c.addresses).strings("user_agents", c.agents);
    w.time("first", c.first).time("last", c.last).value("connections", c.connections);
    w.value("score", number(c.score)).value("similarity", number(c.similarity));
    w.value("beacon_score", number(c.beacon_score)).value("interval_seconds", number(c.interval));
    w.value("like", c.like).value("reason", c.reason);
    w.begin_array("features");
    for (const auto& line : split(c.features, '\n')) {
      const auto parts = split(line, '\t');
      if (parts.empty()) continue;
      w.begin_object().value("feature", parts[0]);
      w.value("similarity", parts.size() > 1 ? number(parts[1]) : 0.0);
      w.value("detail", parts.size() > 2 ? parts[2] : std::string()).end_object();
    }
    w.end_array();
    w.begin_array("interval_histogram");
    for (const auto& n : split(c.interval_bins, ','))
      w.value({}, static_cast<std::int64_t>(std::strtoll(n.c_str(), nullptr, 10)));
    w.end_array();
    w.strings("evidence", c.evidence);
    w.value("decision", c.decision).value("decided_by", c.decided_by).value("decided_at", c.decided_at);
    w.value("decision_reason", c.decision_reason).end_object();
  }
  w.end_array();
}

std::string similar_host_reason(const std::string& host, const std::vector<cases::CandidateRecord>& candidates) {
  std::string reason;
  for (const auto& c : candidates) {
    if (c.decision == "accepted" || std::find(c.hosts.begin(), c.hosts.end(), host) == c.hosts.end()) continue;
    reason += reason.empty() ? "talks to C2 candidate " : ", ";
    reason += c.destination + " (like " + c.like + ")";
  }
  return reason;
}

}  // namespace ashiato::report
