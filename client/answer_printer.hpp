#pragma once

#include <iosfwd>
#include <mutex>
#include <string_view>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {

/// Writes answers to the results stream, one whole line each, from any thread. Stops for good
/// at the first failed write (e.g. EPIPE once `| head` has exited).
class answer_printer {
 public:
  /// With json, prints the server's lines unchanged; otherwise "<url>: {...}" lines.
  answer_printer(std::ostream& out, bool json);

  /// Prints one answer; server_line is the reply as received, empty for an answer made up by
  /// the client. False once the output has failed. Thread-safe.
  bool print(const reply& answer, std::string_view server_line);

  /// True once a write has failed. Thread-safe.
  bool failed() const;

  /// errno of the failed write (EPIPE: the reader went away), 0 if none. Thread-safe.
  int error_number() const;

 private:
  mutable std::mutex mutex_;
  std::ostream& out_;
  bool json_;
  bool failed_ = false;
  int error_number_ = 0;
};

}  // namespace wordcrawl
