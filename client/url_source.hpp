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
  /// Reads from in, which must outlive the source.
  explicit url_source(std::istream& in, std::size_t max_line = max_line_bytes);

  /// The next non-blank line, or nullopt at the end of the input. Thread-safe.
  std::optional<url_line> next();

  /// Lines handed out so far. Thread-safe.
  std::uint64_t taken() const;

 private:
  bool read_line();

  mutable std::mutex mutex_;
  std::istream& in_;
  std::size_t max_line_;
  std::string line_;  // reused buffer, at most max_line_ + 1 bytes
  bool too_long_ = false;
  std::uint64_t taken_ = 0;
};

/// Counts the URLs (non-blank lines) of a regular file in one streaming pass, for a progress
/// total; nullopt when path is not a readable regular file (a pipe can be read only once).
std::optional<std::uint64_t> count_urls_in_file(const std::string& path);

}  // namespace wordcrawl
