#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <mutex>
#include <optional>
#include <string>

#include "wordcrawl/defaults.hpp"

namespace wordcrawl {

/// One URL taken from the input.
struct url_line {
  /// The URL, blanks around it removed; for an over-long line, its first max_line bytes.
  std::string url;
  /// The line was longer than max_line; the rest of it was skipped.
  bool too_long = false;
};

/// Hands out the URLs of a stream one at a time to any number of threads. Reads lazily, one
/// line per call, and never holds more than one line of at most max_line bytes, so memory does
/// not grow with the length of the input.
class url_source {
 public:
  /// Reads from in, which must outlive the source. poll_fd is the descriptor under in, if any:
  /// a non-blocking one (a pipe set O_NONBLOCK by its writer) that has no bytes yet is waited
  /// on with poll() instead of ending the input.
  explicit url_source(std::istream& in, std::size_t max_line = max_line_bytes, int poll_fd = -1);

  /// The next non-blank line, or nullopt at the end of the input (or at a read error, see
  /// error()). Thread-safe.
  std::optional<url_line> next();

  /// Lines handed out so far. Thread-safe.
  std::uint64_t taken() const;

  /// True if next() would not wait for a writer: bytes are buffered, the input is a file, or
  /// poll_fd is readable (or at its end). Thread-safe; a hint, another thread may take them.
  bool ready() const;

  /// Why reading stopped before the end of the input ("Is a directory", "Bad file
  /// descriptor"), or empty. Thread-safe.
  std::string error() const;

 private:
  bool read_line();
  int next_byte();

  mutable std::mutex mutex_;
  std::istream& in_;
  std::size_t max_line_;
  int poll_fd_;
  std::string error_;
  std::string line_;  // reused buffer, at most max_line_ + 1 bytes
  bool too_long_ = false;
  std::uint64_t taken_ = 0;
};

/// Counts the URLs (non-blank lines) of a regular file in one streaming pass, for a progress
/// total; nullopt when path is not a readable regular file (a pipe can be read only once).
std::optional<std::uint64_t> count_urls_in_file(const std::string& path);

}  // namespace wordcrawl
