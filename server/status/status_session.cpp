#include "status/status_session.hpp"

#include <utility>

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include "status/status_routes.hpp"

namespace wordcrawl {

namespace beast = boost::beast;
namespace http = beast::http;

status_session::status_session(boost::asio::ip::tcp::socket socket,
                               std::shared_ptr<status_context> context)
    : stream_(std::move(socket)), context_(std::move(context)) {
  beast::error_code ec;
  peer_ = stream_.socket().remote_endpoint(ec).address();
}

void status_session::run() {
  do_read();
}

void status_session::close() {
  beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
}

void status_session::do_read() {
  // A fresh parser per request: its limits apply to each one.
  parser_.emplace();
  parser_->header_limit(max_header_bytes);
  parser_->body_limit(0);
  stream_.expires_after(request_timeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](const beast::error_code& ec, std::size_t bytes) {
    self->on_read(ec, bytes);
  });
}

void status_session::on_read(const beast::error_code& ec, std::size_t /*bytes*/) {
  if (ec) {
    // end_of_stream: the client is done; anything else (timeout, over a limit, aborted at
    // stop) ends the connection without an answer.
    close();
    return;
  }
  response_ = answer_status_request(parser_->get(), peer_, *context_);
  const bool keep_alive = response_.keep_alive();
  stream_.expires_after(request_timeout);
  http::async_write(stream_, response_,
                    [self = shared_from_this(), keep_alive](const beast::error_code& write_ec,
                                                            std::size_t bytes) {
    self->on_write(keep_alive, write_ec, bytes);
  });
}

void status_session::on_write(bool keep_alive, const beast::error_code& ec, std::size_t /*bytes*/) {
  if (ec || !keep_alive) {
    close();
    return;
  }
  response_ = {};
  do_read();
}

}  // namespace wordcrawl
