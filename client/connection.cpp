#include "connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/verify_context.hpp>
#include <boost/asio/write.hpp>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace wordcrawl {

namespace asio = boost::asio;
using boost::system::error_code;

connection::connection(std::size_t max_line, asio::ssl::context* tls)
    : socket_(io_), tls_context_(tls), max_line_(max_line), framer_(max_line) {}

// Runs operation on the TLS stream when there is one, else on the socket.
template <typename Operation>
void connection::with_stream(Operation operation) {
  if (tls_) {
    operation(*tls_);
  } else {
    operation(socket_);
  }
}

void connection::run(duration timeout) {
  io_.restart();
  io_.run_for(timeout);
  if (!io_.stopped()) {
    // Timed out: closing the socket completes the pending operation with operation_aborted.
    error_code ignored;
    socket_.close(ignored);
    io_.run();
  }
}

error_code connection::connect(const std::string& host, std::uint16_t port, duration timeout) {
  close();
  verify_error_.clear();
  if (interrupted_) {
    return asio::error::operation_aborted;
  }
  asio::ip::tcp::resolver resolver(io_);
  error_code ec;
  const auto endpoints = resolver.resolve(host, std::to_string(port), ec);
  if (ec) {
    return ec;
  }
  ec = asio::error::timed_out;
  asio::async_connect(
      socket_, endpoints,
      [&](const error_code& result, const asio::ip::tcp::endpoint& /*unused*/) { ec = result; });
  run(timeout);
  if (ec == asio::error::operation_aborted && !interrupted_) {
    ec = asio::error::timed_out;
  }
  if (!ec) {
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  }
  if (!ec && tls_context_ != nullptr) {
    ec = handshake(host, timeout);
  }
  if (ec) {
    close();
  }
  return ec;
}

// A new TLS stream per connection (an SSL object serves one). The handshake has a deadline of
// its own, as long as the connect's.
error_code connection::handshake(const std::string& host, duration timeout) {
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *tls_context_);
  error_code not_an_address;
  static_cast<void>(asio::ip::make_address(host, not_an_address));
  if (not_an_address) {
    // SNI carries names only (RFC 6066); an address is verified against the certificate's IPs.
    // SSL_set_tlsext_host_name() without the macro's C cast; OpenSSL copies the name.
    SSL_ctrl(tls_->native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(host.c_str()));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
  }
  tls_->set_verify_mode(asio::ssl::verify_peer);
  tls_->set_verify_callback([this, verify_name = asio::ssl::host_name_verification(host), host](
                                bool preverified, asio::ssl::verify_context& context) mutable {
    const bool ok = verify_name(preverified, context);
    if (!preverified) {
      const auto error = X509_STORE_CTX_get_error(context.native_handle());
      verify_error_ = X509_verify_cert_error_string(error);
    } else if (!ok) {
      verify_error_ = "the certificate does not name " + host;
    }
    return ok;
  });
  error_code ec = asio::error::timed_out;
  tls_->async_handshake(asio::ssl::stream_base::client,
                        [&](const error_code& result) { ec = result; });
  run(timeout);
  if (ec == asio::error::operation_aborted && !interrupted_) {
    ec = asio::error::timed_out;
  }
  return ec;
}

error_code connection::write(std::string_view bytes, duration timeout) {
  error_code ec = asio::error::timed_out;
  with_stream([&](auto& stream) {
    asio::async_write(stream, asio::buffer(bytes),
                      [&](const error_code& result, std::size_t /*written*/) { ec = result; });
  });
  run(timeout);
  if (ec == asio::error::operation_aborted && !interrupted_) {
    ec = asio::error::timed_out;
  }
  if (ec) {
    close();
  }
  return ec;
}

error_code connection::read_line(framed_line& line, duration idle_timeout) {
  while (true) {
    if (auto ready = framer_.next()) {
      line = std::move(*ready);
      return {};
    }
    error_code ec = asio::error::timed_out;
    std::size_t received = 0;
    with_stream([&](auto& stream) {
      stream.async_read_some(asio::buffer(buffer_), [&](const error_code& result, std::size_t n) {
        ec = result;
        received = n;
      });
    });
    run(idle_timeout);
    if (ec == asio::error::operation_aborted && !interrupted_) {
      ec = asio::error::timed_out;
    }
    if (ec) {
      close();
      return ec;
    }
    framer_.feed(std::string_view(buffer_.data(), received));
  }
}

void connection::close() {
  error_code ignored;
  socket_.close(ignored);
  tls_.reset();
  framer_ = line_framer(max_line_);
}

void connection::interrupt() {
  interrupted_ = true;
  asio::post(io_, [this] {
    error_code ignored;
    socket_.close(ignored);
  });
}

}  // namespace wordcrawl
