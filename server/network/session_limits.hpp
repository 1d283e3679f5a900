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
};

}  // namespace wordcrawl
