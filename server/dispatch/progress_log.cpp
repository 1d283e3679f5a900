#include "dispatch/progress_log.hpp"

#include <cctype>
#include <optional>
#include <ostream>
#include <sstream>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {
namespace {

bool is_digit(char c) {
  return std::isdigit(static_cast<unsigned char>(c)) != 0;
}

std::string_view trim_right(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == ',')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

std::string failure_reason(std::string_view message) {
  message = message.substr(0, message.find_first_of("'\":("));
  constexpr std::string_view http = "HTTP ";
  if (message.starts_with(http) && message.size() > http.size() && is_digit(message[http.size()])) {
    auto end = http.size();
    while (end < message.size() && is_digit(message[end])) {
      ++end;
    }
    return std::string(message.substr(0, end));
  }
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (is_digit(message[i])) {
      message = message.substr(0, i);
      break;
    }
  }
  message = trim_right(message);
  return message.empty() ? std::string("other") : std::string(message);
}

progress_log::progress_log(std::ostream& out, std::ostream& err) : out_(out), err_(err) {}

void progress_log::record_processed(std::string_view reply_line) {
  // An error reply is the only line with a string-valued "error" key (word counts are numbers,
  // quotes inside strings are escaped), so only those need the full parse for their reason.
  std::optional<std::string> reason;
  if (!reply_line.starts_with(R"({"url":")") ||
      reply_line.find(R"("error":")") != std::string_view::npos) {
    const auto answer = parse_reply(reply_line);
    if (!answer) {
      reason = "malformed reply";
    } else if (answer->error) {
      reason = failure_reason(*answer->error);
    }
  }
  const std::lock_guard lock(mutex_);
  ++totals_.processed;
  if (reason) {
    ++totals_.failed;
    ++failures_[*reason];
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
  for (const auto& [reason, count] : failures_) {
    err_ << "  failed: " << reason << ": " << count << '\n';
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
