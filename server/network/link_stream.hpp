#pragma once

#include <memory>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/error_code.hpp>

namespace wordcrawl {

/// A client connection's byte stream: a plain TCP socket, or TLS over one. A session reads and
/// writes through it without knowing which; completion handlers get an error_code, as Asio's.
/// One read and one write may be pending at once (ssl::stream allows that too).
class link_stream {
 public:
  using tcp = boost::asio::ip::tcp;
  using tls_stream = boost::asio::ssl::stream<tcp::socket>;

  /// Plain TCP.
  explicit link_stream(tcp::socket socket) : plain_(std::move(socket)) {}
  /// TLS over socket, as the server side of the handshake.
  link_stream(tcp::socket socket, boost::asio::ssl::context& context)
      : plain_(socket.get_executor()),
        tls_(std::make_unique<tls_stream>(std::move(socket), context)) {}

  bool is_tls() const { return tls_ != nullptr; }
  boost::asio::any_io_executor get_executor() { return lowest().get_executor(); }

  /// The TLS handshake; over plain TCP the handler is called at once (posted), without error.
  template <typename Handler>
  void async_handshake(Handler&& handler) {
    if (tls_) {
      tls_->async_handshake(boost::asio::ssl::stream_base::server, std::forward<Handler>(handler));
    } else {
      boost::asio::post(plain_.get_executor(), [done = std::forward<Handler>(handler)]() mutable {
        done(boost::system::error_code{});
      });
    }
  }

  template <typename Buffers, typename Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_.async_read_some(buffers, std::forward<Handler>(handler));
    }
  }

  /// Writes all of buffers (boost::asio::async_write).
  template <typename Buffers, typename Handler>
  void async_write(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      boost::asio::async_write(*tls_, buffers, std::forward<Handler>(handler));
    } else {
      boost::asio::async_write(plain_, buffers, std::forward<Handler>(handler));
    }
  }

  /// Shuts the TCP connection down and closes it: pending operations complete with
  /// operation_aborted. No TLS close_notify is sent, as a client may have stopped reading.
  void close();

 private:
  tcp::socket& lowest() { return tls_ ? tls_->next_layer() : plain_; }

  tcp::socket plain_;  // unused (never opened) with TLS
  std::unique_ptr<tls_stream> tls_;
};

}  // namespace wordcrawl
