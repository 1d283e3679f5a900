#pragma once

#include <memory>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "status/status_context.hpp"

namespace wordcrawl {

/// One HTTP connection to the status port (after Beast's http_server_async example): reads a
/// request (headers at most 8 KiB, no body), answers it, and reads the next while the client
/// keeps the connection alive. Every read and write has a deadline; errors end the session.
class status_session : public std::enable_shared_from_this<status_session> {
 public:
  /// Time a client has to send a whole request, and to take the answer.
  static constexpr std::chrono::seconds request_timeout{5};
  /// Largest request header.
  static constexpr std::uint32_t max_header_bytes = 8192;

  status_session(boost::asio::ip::tcp::socket socket, std::shared_ptr<status_context> context);

  void run();
  /// Closes the connection now; pending operations end with operation_aborted.
  void close();

 private:
  void do_read();
  void on_read(const boost::beast::error_code& ec, std::size_t bytes);
  void on_write(bool keep_alive, const boost::beast::error_code& ec, std::size_t bytes);

  boost::beast::tcp_stream stream_;
  boost::asio::ip::address peer_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::empty_body>> parser_;
  boost::beast::http::response<boost::beast::http::string_body> response_;
  std::shared_ptr<status_context> context_;
};

}  // namespace wordcrawl
