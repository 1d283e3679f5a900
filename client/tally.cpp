#include "tally.hpp"

#include <algorithm>
#include <iomanip>
#include <sstream>

namespace wordcrawl {

void tally::record_ok() {
  const std::lock_guard lock(mutex_);
  ++ok_;
}

void tally::record_error(const page_error& error) {
  const std::lock_guard lock(mutex_);
  ++failed_;
  count_locked(error.kind, error.message);
}

void tally::record_unanswered() {
  const std::lock_guard lock(mutex_);
  ++failed_;
  ++unanswered_;
  count_locked(error_kind::no_answer, unanswered_message);
}

void tally::count_locked(error_kind kind, std::string_view message) {
  auto& entry = errors_[kind];
  if (entry.count++ == 0) {
    entry.kind = kind;
    entry.example = message;
  }
}

tally_snapshot tally::snapshot(std::size_t top) const {
  const std::lock_guard lock(mutex_);
  tally_snapshot counts{ok_, failed_, unanswered_, {}};
  for (const auto& [kind, entry] : errors_) {
    counts.top_errors.push_back(entry);
  }
  const auto count = std::min(top, counts.top_errors.size());
  std::partial_sort(
      counts.top_errors.begin(), counts.top_errors.begin() + static_cast<std::ptrdiff_t>(count),
      counts.top_errors.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
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
  for (const auto& entry : counts.top_errors) {
    text << "\n  " << entry.count << " x " << to_string(entry.kind) << " (" << entry.example << ")";
  }
  return text.str();
}

}  // namespace wordcrawl
