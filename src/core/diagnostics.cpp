#include "core/diagnostics.h"

#include <fmt/format.h>

namespace ashiato {

std::string describe(const Problem& p) {
  return fmt::format("{}: {} at offset {:#x}{}{}: {}", p.warning ? "warning" : "error", p.file, p.offset,
                     p.where.empty() ? "" : ", ", p.where, p.reason);
}

void Diagnostics::report(Problem p) {
  std::lock_guard lock(mutex_);
  (p.warning ? warnings_ : errors_)++;
  if (listener_) listener_(p);
  if (kept_.size() < keep_) kept_.push_back(std::move(p));
}

std::size_t Diagnostics::errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

std::size_t Diagnostics::warnings() const {
  std::lock_guard lock(mutex_);
  return warnings_;
}

std::vector<Problem> Diagnostics::kept() const {
  std::lock_guard lock(mutex_);
  return kept_;
}

}  // namespace ashiato
