// The C2 candidates (similar communications) in report.json: each with its hosts, the features
// that matched the confirmed C2's traffic, its interval histogram and evidence records.
#pragma once
#include <string>
#include <vector>

#include "case/case_store.h"
#include "report/json_writer.h"

namespace ashiato::report {

void write_candidates(JsonWriter& w, const std::vector<cases::CandidateRecord>& candidates);
// Why a host is "similar": the candidates it talks to.
std::string similar_host_reason(const std::string& host, const std::vector<cases::CandidateRecord>& candidates);

}  // namespace ashiato::report
