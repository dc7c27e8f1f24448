// Similar communications over a whole case: every evidence file's beacon series (stored with the
// file) merged and scored, compared with the traffic to the case's C2s, and the C2 candidates
// written to the case with their hosts resolved as the case resolves addresses.
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyze/beacon/allowlist.h"
#include "analyze/beacon/series.h"
#include "case/case_store.h"
#include "core/diagnostics.h"

namespace ashiato::pipeline {

// The analysis name series are stored under (cases::SourceData).
inline constexpr char kBeaconSeriesData[] = "beacon-series";
// The indicator source of a candidate the responder accepted.
inline constexpr char kAcceptedCandidateSource[] = "accepted candidate";

// Recomputes and stores the case's candidates; returns them with their decisions. Stored series
// that cannot be read are reported and left out. `in_memory`: series of sources (by id) already
// at hand, used instead of decoding what is stored for them.
std::vector<cases::CandidateRecord> update_case_candidates(
    cases::CaseStore& store, const analyze::beacon::Allowlist& allowlist, Diagnostics& diagnostics,
    std::map<std::int64_t, analyze::beacon::SeriesSet> in_memory = {});

}  // namespace ashiato::pipeline
