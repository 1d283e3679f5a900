#include "tally.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace wordcrawl {

void tally::record_ok() {
  const std::lock_guard lock(mutex_);
  ++ok_;
}

void tally::record_error(std::string_view reason) {
  const std::lock_guard lock(mutex_);
  ++failed_;
  count_reason_locked(reason);
}

void tally::record_unanswered() {
  const std::lock_guard lock(mutex_);
  ++failed_;
  ++unanswered_;
  count_reason_locked(unanswered_reason);
}

void tally::count_reason_locked(std::string_view reason) {
  if (auto found = reasons_.find(reason); found != reasons_.end()) {
    ++found->second;
  } else if (reasons_.size() < max_reasons) {
    reasons_.emplace(reason, 1);
  } else {
    ++reasons_[std::string(other_reason)];
  }
}

tally_snapshot tally::snapshot(std::size_t top) const {
  const std::lock_guard lock(mutex_);
  tally_snapshot counts{ok_, failed_, unanswered_, {}};
  counts.top_errors.assign(reasons_.begin(), reasons_.end());
  const auto count = std::min(top, counts.top_errors.size());
  std::partial_sort(
      counts.top_errors.begin(), counts.top_errors.begin() + static_cast<std::ptrdiff_t>(count),
      counts.top_errors.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  counts.top_errors.resize(count);
  return counts;
}

std::string format_summary(const tally_snapshot& counts, std::chrono::duration<double> elapsed) {
  const double seconds = elapsed.count();
  const double rate = seconds > 0 ? static_cast<double>(counts.done()) / seconds : 0.0;
  std::ostringstream text;
  text << counts.ok << " ok, " << counts.failed << " failed";
  if (counts.unanswered > 0) {
    text << " (" << counts.unanswered << " unanswered)";
  }
  text << std::fixed << std::setprecision(2) << " in " << seconds << " s, " << std::setprecision(1)
       << rate << " URLs/s";
  for (const auto& [reason, count] : counts.top_errors) {
    text << "\n  " << count << " x " << reason;
  }
  return text.str();
}

}  // namespace wordcrawl
