#include "core/finding.h"

#include <array>

namespace ashiato {
namespace {

constexpr std::array<std::string_view, 4> kKindNames = {"sigma", "sigma-correlation", "ioc", "analysis"};
constexpr std::array<std::string_view, 6> kLevelNames = {"", "informational", "low", "medium", "high", "critical"};

}  // namespace

std::string_view kind_name(FindingKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)];
}

std::optional<FindingKind> parse_kind(std::string_view name) {
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kKindNames[i] == name) return static_cast<FindingKind>(i);
  }
  return std::nullopt;
}

std::string_view level_name(Level level) {
  return kLevelNames[static_cast<std::size_t>(level)];
}

Level parse_level(std::string_view name) {
  for (std::size_t i = 1; i < kLevelNames.size(); ++i) {
    if (kLevelNames[i] == name) return static_cast<Level>(i);
  }
  return Level::kNone;
}

const EvidenceRef& Finding::primary() const {
  static const EvidenceRef kNoEvidence;
  return evidence.empty() ? kNoEvidence : evidence.front();
}

EvidenceRef& Finding::primary() {
  if (evidence.empty()) evidence.emplace_back();
  return evidence.front();
}

}  // namespace ashiato
