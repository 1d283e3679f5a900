#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "console.hpp"
#include "tally.hpp"

namespace wordcrawl {

/// The progress line: "[done/total pct%] rate, errors, ETA", or "done, rate, errors" when the
/// total is unknown (standard input, a pipe).
std::string format_progress(const tally_snapshot& counts, std::optional<std::uint64_t> total,
                            std::chrono::duration<double> elapsed);

/// Draws the progress line on the console, at most ten times a second, when enabled.
class progress {
 public:
  using clock = std::chrono::steady_clock;

  /// Minimum time between two redraws.
  static constexpr std::chrono::milliseconds redraw_interval{100};

  /// Draws on con (which must outlive this) only when enabled; total may be unknown.
  progress(console& con, bool enabled, std::optional<std::uint64_t> total, clock::time_point start);

  /// Redraws unless the last redraw was less than redraw_interval ago. Thread-safe.
  void update(const tally& counts, clock::time_point now);

  /// Draws the final state and ends the line. Thread-safe.
  void finish(const tally& counts, clock::time_point now);

 private:
  void draw_locked(const tally& counts, clock::time_point now);

  std::mutex mutex_;
  console& console_;
  bool enabled_;
  std::optional<std::uint64_t> total_;
  clock::time_point start_;
  std::optional<clock::time_point> last_draw_;
};

}  // namespace wordcrawl
