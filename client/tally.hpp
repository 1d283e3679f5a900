#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wordcrawl {

/// The counts at one moment.
struct tally_snapshot {
  std::uint64_t ok = 0;          // answered with words
  std::uint64_t failed = 0;      // answered with an error, or never answered
  std::uint64_t unanswered = 0;  // the part of failed that never got an answer
  std::vector<std::pair<std::string, std::uint64_t>> top_errors;  // most frequent first

  /// URLs done either way.
  std::uint64_t done() const { return ok + failed; }
};

/// Thread-safe counts of the run's outcomes and of its error reasons.
class tally {
 public:
  /// Reason under which errors are counted once max_reasons distinct reasons are known, so a
  /// run whose errors all differ (they may quote the URL) keeps a bounded map.
  static constexpr std::string_view other_reason = "(other errors)";
  static constexpr std::size_t max_reasons = 1000;

  /// Reason of the URLs that never got an answer.
  static constexpr std::string_view unanswered_reason = "no answer from the server";

  /// One URL answered with words.
  void record_ok();

  /// One URL answered with an error.
  void record_error(std::string_view reason);

  /// One URL that never got an answer (counted as failed).
  void record_unanswered();

  /// The counts with the top most frequent error reasons.
  tally_snapshot snapshot(std::size_t top = 3) const;

 private:
  void count_reason_locked(std::string_view reason);

  mutable std::mutex mutex_;
  std::uint64_t ok_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t unanswered_ = 0;
  std::map<std::string, std::uint64_t, std::less<>> reasons_;
};

/// The final report: "N ok, N failed (N unanswered) in S s, R URLs/s" then the top errors.
std::string format_summary(const tally_snapshot& counts, std::chrono::duration<double> elapsed);

}  // namespace wordcrawl
