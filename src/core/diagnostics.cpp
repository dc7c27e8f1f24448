#include "core/diagnostics.h"

#include "core/visible_text.h"

#include <fmt/format.h>

namespace ashiato {

std::string describe(const Problem& p) {
  // Reasons quote the input (a bad line, a field): shown, not obeyed, on the responder's terminal.
  return fmt::format("{}: {} at offset {:#x}{}{}: {}", p.warning ? "warning" : "error", visible(p.file), p.offset,
                     p.where.empty() ? "" : ", ", visible(p.where), visible(p.reason));
}

void Diagnostics::report(Problem p) {
  std::lock_guard lock(mutex_);
  (p.warning ? warnings_ : errors_)++;
  if (listener_) listener_(p);
  if (kept_.size() < keep_) kept_.push_back(std::move(p));
}

void Diagnostics::absorb(const Diagnostics& other) {
  const std::vector<Problem> problems = other.kept();
  std::size_t errors = 0, warnings = 0;
  {
    std::lock_guard other_lock(other.mutex_);
    errors = other.errors_;
    warnings = other.warnings_;
  }
  std::lock_guard lock(mutex_);
  errors_ += errors;
  warnings_ += warnings;
  for (const Problem& p : problems) {
    if (listener_) listener_(p);
    if (kept_.size() < keep_) kept_.push_back(p);
  }
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
