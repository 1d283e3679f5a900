#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

class line_writer;

/// Counts what happened to every URL and reports it: one progress line on the output stream per
/// processed URL, rate lines and a final summary on the error stream. Thread-safe; lines are
/// formatted under one mutex, so they keep their order and never interleave.
///
/// Serving never waits on the streams: a stream that may block (a pipe, a terminal) is written
/// by a thread of its own from a bounded buffer of lines. When that buffer is full, progress
/// and rate lines are skipped and counted, and a line "(N progress lines skipped: output too
/// slow)" takes their place once there is room. A string stream cannot block, so it is written
/// in place and its content is exact at every moment.
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

  /// Lines a blocked stream may have waiting before further progress or rate lines are skipped.
  static constexpr std::size_t default_buffered_lines = 1024;

  progress_log(std::ostream& out, std::ostream& err,
               std::size_t buffered_lines = default_buffered_lines);
  progress_log(const progress_log&) = delete;
  progress_log& operator=(const progress_log&) = delete;
  progress_log(progress_log&&) = delete;
  progress_log& operator=(progress_log&&) = delete;
  /// Writes every line still buffered (waiting for the streams if need be).
  ~progress_log();

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
  /// Writes the outcome summary, failures grouped by kind, and waits until both streams have
  /// taken every line (serving is over by then).
  void write_summary();
  /// Writes one line to the output stream (the "listening on" banner); never skipped.
  void write_line(std::string_view line);
  /// Writes "server: <line>" to the error stream (what the cluster did); never skipped.
  void write_note(std::string_view line);
  /// Waits until both streams have taken every line written so far.
  void flush();

  /// The counters now.
  totals snapshot() const;
  /// How many rate lines were written (or skipped because the error stream was too slow).
  std::uint64_t rate_lines() const;

 private:
  mutable std::mutex mutex_;
  std::unique_ptr<line_writer> out_;
  std::unique_ptr<line_writer> own_err_;  // empty when out and err are one stream
  line_writer* err_;
  totals totals_;
  std::uint64_t processed_at_last_rate_ = 0;
  std::uint64_t rate_lines_ = 0;
  std::map<error_kind, std::uint64_t> failures_;
};

}  // namespace wordcrawl
