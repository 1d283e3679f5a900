#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace wordcrawl {

/// One line cut from a byte stream, its terminator ("\n" or "\r\n") removed.
struct framed_line {
  /// The line, or for an over-long line its first max_line bytes.
  std::string text;
  /// The line was longer than max_line; the bytes past text were discarded.
  bool too_long = false;

  friend bool operator==(const framed_line&, const framed_line&) = default;
};

/// Cuts a byte stream into lines, holding at most max_line bytes of an unfinished line, so a
/// peer that never sends a newline cannot grow our memory. An over-long line still yields one
/// framed_line (flagged too_long) when its newline finally arrives, so the caller can answer it
/// and go on with the next line.
class line_framer {
 public:
  explicit line_framer(std::size_t max_line);

  /// Appends received bytes. Complete lines are then returned by next().
  void feed(std::string_view bytes);

  /// The oldest complete line not yet returned, or nullopt.
  std::optional<framed_line> next();

  /// True while an unfinished line is pending (tells "idle" from "mid-line").
  bool has_partial_line() const { return !partial_.empty() || discarding_; }

  /// Complete lines waiting in next().
  std::size_t ready() const { return ready_.size(); }

 private:
  void complete_line(std::string_view line);

  std::size_t max_line_;
  std::deque<framed_line> ready_;
  std::string partial_;      // the unfinished line, at most max_line_ + 1 bytes
  bool discarding_ = false;  // inside an over-long line: drop bytes until '\n'
};

}  // namespace wordcrawl
