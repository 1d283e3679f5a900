#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include "wordcrawl/line_framer.hpp"

namespace wordcrawl {

/// A line-oriented TCP connection whose every operation has a deadline. Blocking calls on a
/// private io_context (run_for), as in Asio's blocking_tcp_client example: one thread owns the
/// connection, and only interrupt() may be called from another thread.
class connection {
 public:
  using duration = std::chrono::steady_clock::duration;

  /// Reply lines longer than max_line are cut and flagged by the framer.
  explicit connection(std::size_t max_line);

  /// Resolves host (blocking: numeric addresses resolve at once) and connects, giving up after
  /// timeout with asio::error::timed_out.
  boost::system::error_code connect(const std::string& host, std::uint16_t port, duration timeout);

  /// Writes all of bytes, giving up after timeout.
  boost::system::error_code write(std::string_view bytes, duration timeout);

  /// Reads the next line; fails with timed_out when nothing at all arrives for idle_timeout.
  boost::system::error_code read_line(framed_line& line, duration idle_timeout);

  /// Closes the socket and forgets any partial line.
  void close();

  /// True between a successful connect() and close() or a failed operation.
  bool is_open() const { return socket_.is_open(); }

  /// Thread-safe: makes the current and every later operation fail with operation_aborted.
  void interrupt();

 private:
  // Runs the io_context until the started operation completes or timeout passes; on timeout
  // closes the socket so the operation completes with operation_aborted.
  void run(duration timeout);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::size_t max_line_;
  line_framer framer_;
  std::array<char, std::size_t{16} * 1024> buffer_{};
  std::atomic<bool> interrupted_{false};
};

}  // namespace wordcrawl
