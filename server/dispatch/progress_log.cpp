#include "dispatch/progress_log.hpp"

#include <ostream>
#include <sstream>

namespace wordcrawl {
progress_log::progress_log(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

void progress_log::record_processed(const page_result& result) {
  const std::lock_guard lock(mutex_);
  ++totals_.processed;
  if (result.error) {
    ++totals_.failed;
    ++failures_[result.error->kind];
  } else {
    ++totals_.ok;
  }
  out_ << "processed " << totals_.processed << " (ok " << totals_.ok << ", failed "
       << totals_.failed << ")\n";
  out_.flush();
}

void progress_log::record_rejected() {
  const std::lock_guard lock(mutex_);
  ++totals_.rejected;
}

void progress_log::record_dropped() {
  const std::lock_guard lock(mutex_);
  ++totals_.dropped;
}

void progress_log::record_shutting_down() {
  const std::lock_guard lock(mutex_);
  ++totals_.shutting_down;
}

void progress_log::write_rate(std::chrono::steady_clock::duration interval, std::size_t queued,
                              std::size_t clients) {
  const std::lock_guard lock(mutex_);
  const auto seconds = std::chrono::duration<double>(interval).count();
  const auto done = totals_.processed - processed_at_last_rate_;
  processed_at_last_rate_ = totals_.processed;
  const double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0.0;
  std::ostringstream line;
  line.setf(std::ios::fixed);
  line.precision(1);
  line << "rate: " << rate << " URLs/s, queue " << queued << ", clients " << clients << '\n';
  err_ << line.str();
  err_.flush();
  ++rate_lines_;
}

void progress_log::write_summary() {
  const std::lock_guard lock(mutex_);
  err_ << "summary: processed " << totals_.processed << " (ok " << totals_.ok << ", failed "
       << totals_.failed << "), rejected " << totals_.rejected << ", dropped " << totals_.dropped
       << ", shutting down " << totals_.shutting_down << '\n';
  for (const auto& [kind, count] : failures_) {
    err_ << "  failed: " << to_string(kind) << ": " << count << '\n';
  }
  err_.flush();
}

void progress_log::write_line(std::string_view line) {
  const std::lock_guard lock(mutex_);
  out_ << line << '\n';
  out_.flush();
}

progress_log::totals progress_log::snapshot() const {
  const std::lock_guard lock(mutex_);
  return totals_;
}

std::uint64_t progress_log::rate_lines() const {
  const std::lock_guard lock(mutex_);
  return rate_lines_;
}

}  // namespace wordcrawl
