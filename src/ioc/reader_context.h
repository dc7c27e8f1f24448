// What the readers of the different indicator file formats share while reading one file: where
// indicators go, where problems go, and the per-file tally of skipped types (reported once per
// type, not once per value, so that a MISP event with 700 "text" attributes gives one warning).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/diagnostics.h"
#include "ioc/indicator.h"

namespace ashiato::ioc {

class ReaderContext {
 public:
  ReaderContext(const std::string& source, Diagnostics& diagnostics, std::vector<Indicator>& out)
      : source_(source), diagnostics_(diagnostics), out_(out) {}
  ReaderContext(const ReaderContext&) = delete;
  ReaderContext& operator=(const ReaderContext&) = delete;

  const std::string& source() const { return source_; }
  std::vector<Indicator>& out() { return out_; }

  void error(std::string where, std::string reason, std::uint64_t offset = 0) {
    diagnostics_.report(Problem{source_, offset, std::move(where), std::move(reason), false});
  }
  void warning(std::string where, std::string reason, std::uint64_t offset = 0) {
    diagnostics_.report(Problem{source_, offset, std::move(where), std::move(reason), true});
  }
  // A value skipped on purpose, e.g. of a type that is no indicator ashiato matches (MISP "text",
  // a CSV "regkey" row). Tallied per `what`; `why` explains it once in the warning.
  void skip(const std::string& what, std::string_view why) {
    auto& entry = skipped_[what];
    ++entry.count;
    if (entry.why.empty()) entry.why = why;
  }

  // Reports the tallies, one warning each ("MISP attribute type 'text': 746 skipped (...)");
  // called once the file is read.
  void flush_skipped() {
    for (const auto& [what, entry] : skipped_) {
      warning("", what + ": " + std::to_string(entry.count) + " skipped (" + entry.why + ")");
    }
    skipped_.clear();
  }

 private:
  struct Skipped {
    std::size_t count = 0;
    std::string why;
  };
  const std::string& source_;
  Diagnostics& diagnostics_;
  std::vector<Indicator>& out_;
  std::map<std::string, Skipped> skipped_;
};

// The readers behind parse_indicators, one per format.
void read_text_indicators(std::string_view text, ReaderContext& context);
// Whether the first line that is neither blank nor a comment is a CSV header ashiato understands.
bool looks_like_csv(std::string_view text);
void read_csv_indicators(std::string_view text, ReaderContext& context);
// STIX 2.1 or MISP JSON; anything else is reported as one error.
void read_json_indicators(std::string_view text, ReaderContext& context);

}  // namespace ashiato::ioc
