#include "connection.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace wordcrawl {

namespace asio = boost::asio;
using boost::system::error_code;

connection::connection(std::size_t max_line)
    : socket_(io_), max_line_(max_line), framer_(max_line) {}

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
  if (ec) {
    close();
  } else {
    socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  }
  return ec;
}

error_code connection::write(std::string_view bytes, duration timeout) {
  error_code ec = asio::error::timed_out;
  asio::async_write(socket_, asio::buffer(bytes),
                    [&](const error_code& result, std::size_t /*written*/) { ec = result; });
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
    socket_.async_read_some(asio::buffer(buffer_), [&](const error_code& result, std::size_t n) {
      ec = result;
      received = n;
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
