#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// How many URLs failed with one kind of error, and the first message seen for it.
struct error_tally {
  error_kind kind = error_kind::internal;
  std::uint64_t count = 0;
  std::string example;
};

/// The counts at one moment.
struct tally_snapshot {
  std::uint64_t ok = 0;                 // answered with words
  std::uint64_t failed = 0;             // answered with an error, or never answered
  std::uint64_t unanswered = 0;         // the part of failed that never got an answer
  std::vector<error_tally> top_errors;  // most frequent kinds first

  /// URLs done either way.
  std::uint64_t done() const { return ok + failed; }
};

/// Thread-safe counts of the run's outcomes, errors counted by kind (a bounded set, however
/// many different messages the server sends).
class tally {
 public:
  /// Message of the URLs that never got an answer (kind no_answer).
  static constexpr std::string_view unanswered_message = "no answer from the server";

  /// One URL answered with words.
  void record_ok();

  /// One URL answered with an error.
  void record_error(const page_error& error);

  /// One URL that never got an answer (counted as failed, kind no_answer).
  void record_unanswered();

  /// The counts with the top most frequent error kinds.
  tally_snapshot snapshot(std::size_t top = 3) const;

 private:
  void count_locked(error_kind kind, std::string_view message);

  mutable std::mutex mutex_;
  std::uint64_t ok_ = 0;
  std::uint64_t failed_ = 0;
  std::uint64_t unanswered_ = 0;
  std::map<error_kind, error_tally> errors_;
};

/// The final report: "N ok, N failed (N unanswered) in S s, R URLs/s" then the top errors.
std::string format_summary(const tally_snapshot& counts, std::chrono::duration<double> elapsed);

}  // namespace wordcrawl
