#pragma once

#include <chrono>
#include <cstddef>

namespace wordcrawl {

/// What one client connection may cost the server.
struct session_limits {
  /// URLs queued or being fetched for one connection; beyond it the socket is not read.
  std::size_t max_in_flight = 64;
  /// Reply bytes waiting to be sent; beyond it the socket is not read.
  std::size_t max_write_bytes = std::size_t{1} << 20;
  /// A connection without a complete line for this long, and nothing in flight, is closed.
  std::chrono::milliseconds idle_timeout{60000};
  /// A write the client does not take within this long closes the connection.
  std::chrono::milliseconds write_timeout{30000};
  /// The TLS handshake and the auth line must both be done within this long of the accept.
  std::chrono::milliseconds auth_timeout{10000};
  /// A refused connection is closed this long after its one line: guessing tokens is slow.
  std::chrono::milliseconds refuse_delay{1000};
};

}  // namespace wordcrawl
