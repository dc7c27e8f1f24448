// report.json (docs/report-json.md): the case's facts, timeline, graph, checklist and drafts in
// one document, from which report.html is rendered.
#pragma once
#include <string>
#include <vector>

#include "analyze/case_analysis.h"
#include "report/first_response.h"

namespace ashiato::report {

struct CaseReportInput {
  std::string case_dir, database;
  std::int64_t runs = 0;
  std::vector<cases::SourceRecord> sources;
  std::vector<cases::IndicatorRecord> indicators;
  std::vector<cases::FindingRecord> findings;
  std::vector<cases::AttributionRecord> attributions;
  std::vector<cases::CandidateRecord> candidates;
};

// The facts must come from analyse_case over the same input.
std::string case_report_json(const CaseReportInput& input, const analyze::CaseFacts& facts, const ReportLanguage& lang,
                             Timestamp generated);

}  // namespace ashiato::report
