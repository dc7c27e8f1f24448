// The incident's cast, fixed before the working days are drawn (who must be at work, who away),
// and the step that plans the incident once the days and leases are known.
#pragma once
#include <utility>
#include <vector>

#include "demo/organisation.h"

namespace ashiato::demo {

struct IncidentPlan {
  std::vector<std::pair<int, int>> present;  // (PC index, day) that must be at work
  std::vector<std::pair<int, int>> absent;   // (PC index, day) that must be away

  bool must_be_present(int pc, int day) const {
    for (const auto& p : present) {
      if (p.first == pc && p.second == day) return true;
    }
    return false;
  }
};

IncidentPlan incident_plan();

// Fills the infections, C2 requests, implant starts, the attack timeline and the notice time.
void plan_incident(Organisation& org);

}  // namespace ashiato::demo
