#pragma once

#include <cstddef>
#include <iosfwd>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace wordcrawl {

/// The client's stderr: whole diagnostic lines from any thread, and a status (the progress
/// line, or the per-thread block of lines) redrawn in place, which a diagnostic first erases so
/// the two never mix.
class console {
 public:
  /// Writes to err, which must outlive the console.
  explicit console(std::ostream& err);

  /// Writes text and a newline as one piece. Thread-safe.
  void line(std::string_view text);

  /// Like line(), but only the first time key is seen; true if it was written. Thread-safe.
  bool line_once(std::string_view key, std::string_view text);

  /// Replaces the status line with text, leaving the cursor on it. Thread-safe.
  void status(std::string_view text);

  /// Replaces the status with these lines (cursor up over the previous ones, erase to the end
  /// of the screen), leaving the cursor at the end of the last. Thread-safe.
  void status_block(const std::vector<std::string>& lines);

  /// Ends the status line so that later output starts on a fresh line. Thread-safe.
  void end_status();

 private:
  void write_locked(std::string_view text);
  std::string erase_status_locked();

  std::mutex mutex_;
  std::ostream& err_;
  std::size_t status_lines_ = 0;  // lines of the status now on screen; 0: none
  std::set<std::string, std::less<>> once_keys_;
};

}  // namespace wordcrawl
