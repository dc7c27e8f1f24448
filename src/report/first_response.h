// The first-response checklist and the escalation drafts, written from the facts of the case in
// Japanese or English: which hosts to isolate and preserve, which destinations to block (limited
// blocking or cutting Internet access), whether credentials must be changed, whom to tell, whether
// to prepare an announcement, what to monitor. Facts only; every item names what it rests on.
#pragma once
#include <string>
#include <vector>

#include "analyze/case_analysis.h"

namespace ashiato::report {

struct ReportLanguage {
  bool japanese = true;
  int display_offset_minutes = 9 * 60;
  std::string zone_label = "+09:00";
  // "2015-06-01 10:02 (+09:00)" in the display zone.
  std::string time(const std::optional<Timestamp>& t) const;
};

struct ChecklistItem {
  std::string id;
  int priority = 1;
  std::string title, text;
  std::vector<std::string> items;
};

std::vector<ChecklistItem> first_response_checklist(const analyze::CaseFacts& facts, const ReportLanguage& lang);
std::string headline(const analyze::CaseFacts& facts, const ReportLanguage& lang);

struct EscalationDrafts {
  std::string jpcert;      // the fields of JPCERT/CC's incident report form
  std::string management;  // a short factual summary for management and authorities
};
EscalationDrafts escalation_drafts(const analyze::CaseFacts& facts, const std::vector<cases::FindingRecord>& excerpts,
                                   const std::vector<std::string>& evidence, const ReportLanguage& lang);

}  // namespace ashiato::report
