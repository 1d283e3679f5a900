#pragma once

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// Counts what happened to every URL and reports it: one progress line on the output stream per
/// processed URL, rate lines and a final summary on the error stream. Thread-safe; each line is
/// written and flushed whole under one mutex, so lines from different workers never interleave.
class progress_log {
 public:
  /// Counters as seen at one moment.
  struct totals {
    std::uint64_t processed = 0;      // fetched by a worker: ok + failed
    std::uint64_t ok = 0;             // answered with words
    std::uint64_t failed = 0;         // answered with an error after fetching
    std::uint64_t rejected = 0;       // answered by the session without fetching
    std::uint64_t dropped = 0;        // skipped because the client had gone
    std::uint64_t shutting_down = 0;  // answered "server shutting down" without fetching
  };

  progress_log(std::ostream& out, std::ostream& err);
  progress_log(const progress_log&) = delete;
  progress_log& operator=(const progress_log&) = delete;
  progress_log(progress_log&&) = delete;
  progress_log& operator=(progress_log&&) = delete;
  ~progress_log() = default;

  /// Counts a URL a worker processed and prints the progress line.
  void record_processed(const page_result& result);
  /// Counts a URL answered with an error without reaching a worker.
  void record_rejected();
  /// Counts a job skipped because its client disconnected.
  void record_dropped();
  /// Counts a job answered "server shutting down" without being fetched.
  void record_shutting_down();

  /// Writes "rate: 12.3 URLs/s, queue 5, clients 3" for the URLs processed since the last call.
  void write_rate(std::chrono::steady_clock::duration interval, std::size_t queued,
                  std::size_t clients);
  /// Writes the outcome summary, failures grouped by kind.
  void write_summary();
  /// Writes one line to the output stream (the "listening on" banner).
  void write_line(std::string_view line);

  /// The counters now.
  totals snapshot() const;
  /// How many rate lines were written.
  std::uint64_t rate_lines() const;

 private:
  mutable std::mutex mutex_;
  std::ostream& out_;
  std::ostream& err_;
  totals totals_;
  std::uint64_t processed_at_last_rate_ = 0;
  std::uint64_t rate_lines_ = 0;
  std::map<error_kind, std::uint64_t> failures_;
};

}  // namespace wordcrawl
