#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "console.hpp"
#include "tally.hpp"
#include "thread_board.hpp"

namespace wordcrawl {

/// The progress line: "[done/total pct%] rate, errors, ETA", or "done, rate, errors" when the
/// total is unknown (standard input, a pipe).
std::string format_progress(const tally_snapshot& counts, std::optional<std::uint64_t> total,
                            std::chrono::duration<double> elapsed);

/// The per-thread view: the table of format_thread_table(), then the progress line.
std::vector<std::string> format_thread_progress(const std::vector<thread_view>& threads,
                                                const tally_snapshot& counts,
                                                std::optional<std::uint64_t> total,
                                                std::chrono::duration<double> elapsed);

/// Draws the progress line, or with a thread board the per-thread view, on the console, at most
/// ten times a second, when enabled.
class progress {
 public:
  using clock = std::chrono::steady_clock;

  /// Minimum time between two redraws.
  static constexpr std::chrono::milliseconds redraw_interval{100};

  /// Minimum time between two blocks of the per-thread view when it cannot redraw in place
  /// (stderr is a file or a pipe): each redraw then adds lines rather than replacing them.
  static constexpr std::chrono::milliseconds appended_interval{1000};

  /// Draws on con (which must outlive this) only when enabled; total may be unknown. With a
  /// board (which must outlive this too) the view is per thread: redrawn over the previous one
  /// when in_place (a terminal), else appended as a new block.
  progress(console& con, bool enabled, std::optional<std::uint64_t> total, clock::time_point start,
           const thread_board* board = nullptr, bool in_place = true);

  /// Redraws unless the last redraw was less than the interval ago. Thread-safe.
  void update(const tally& counts, clock::time_point now);

  /// Draws the final state and ends the line. Thread-safe.
  void finish(const tally& counts, clock::time_point now);

  /// True when the per-thread view is drawn: its thread states change without any answer, so
  /// the run redraws it on a timer too.
  bool per_thread() const { return enabled_ && board_ != nullptr; }

 private:
  void draw_locked(const tally& counts, clock::time_point now);
  std::chrono::milliseconds interval() const;

  std::mutex mutex_;
  console& console_;
  bool enabled_;
  std::optional<std::uint64_t> total_;
  clock::time_point start_;
  const thread_board* board_;
  bool in_place_;
  std::optional<clock::time_point> last_draw_;
};

}  // namespace wordcrawl
