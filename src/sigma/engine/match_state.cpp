#include "sigma/engine/match_state.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <stdexcept>

#include "sigma/engine/literal_prefilter.h"
#include "sigma/engine/string_pattern.h"

namespace ashiato::sigma {

MatchState::MatchState() = default;

MatchState::~MatchState() {
  pcre2_match_data_free(regex_match_data_);
}

void MatchState::begin(const Event& event) {
  event_ = event;
  ++event_generation_;
  fields_indexed_ = false;
  std::fill(folded_ready_.begin(), folded_ready_.end(), 0);
  memos_.trim();
}

std::string_view MatchState::folded(std::uint32_t i) {
  if (i >= folded_ready_.size()) {
    folded_ready_.resize(std::max<std::size_t>(event_.field_count(), i + 1), 0);
    folded_.resize(folded_ready_.size());
  }
  if (folded_ready_[i] == 0) {
    folded_[i].clear();
    append_folded(folded_[i], event_.field_value(i));
    folded_ready_[i] = 1;
  }
  return folded_[i];
}

PrefilterScan& MatchState::prefilter_scan(const LiteralPrefilter& prefilter) {
  // Serials, not addresses: a prefilter made where a freed one was must not inherit its scans.
  if (last_scan_ != nullptr && last_serial_ == prefilter.serial()) return *last_scan_;
  std::unique_ptr<PrefilterScan>& scan = scans_[prefilter.serial()];
  if (!scan) scan = std::make_unique<PrefilterScan>();
  last_scan_ = scan.get();
  last_serial_ = prefilter.serial();
  return *last_scan_;
}

pcre2_real_match_data_8* MatchState::regex_match_data() {
  if (regex_match_data_ == nullptr) {
    regex_match_data_ = pcre2_match_data_create(1, nullptr);
    if (regex_match_data_ == nullptr) throw std::bad_alloc();
  }
  return regex_match_data_;
}

}  // namespace ashiato::sigma
