#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/system/error_code.hpp>

#include "wordcrawl/line_framer.hpp"

namespace wordcrawl {

/// A line-oriented TCP connection whose every operation has a deadline. Blocking calls on a
/// private io_context (run_for), as in Asio's blocking_tcp_client example: one thread owns the
/// connection, and only interrupt() may be called from another thread. With a TLS context,
/// connect() also does the TLS handshake within the same deadline, verifying the server's
/// certificate and that it names the host connected to (SNI set to that host).
class connection {
 public:
  using duration = std::chrono::steady_clock::duration;

  /// Reply lines longer than max_line are cut and flagged by the framer.
  explicit connection(std::size_t max_line, boost::asio::ssl::context* tls = nullptr);

  /// Resolves host (blocking: numeric addresses resolve at once) and connects, giving up after
  /// timeout with asio::error::timed_out. With TLS the handshake is part of it.
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

  /// After a failed connect(): why the server's certificate was refused, or empty when the
  /// failure was no verification failure (a certificate problem does not go away by retrying).
  const std::string& verify_error() const { return verify_error_; }

 private:
  // Runs the io_context until the started operation completes or timeout passes; on timeout
  // closes the socket so the operation completes with operation_aborted.
  void run(duration timeout);
  boost::system::error_code handshake(const std::string& host, duration timeout);
  template <typename Operation>
  void with_stream(Operation operation);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  boost::asio::ssl::context* tls_context_;
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  std::string verify_error_;
  std::size_t max_line_;
  line_framer framer_;
  std::array<char, std::size_t{16} * 1024> buffer_{};
  std::atomic<bool> interrupted_{false};
};

}  // namespace wordcrawl
