#pragma once

#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "status/status_context.hpp"

namespace wordcrawl {

/// Accepts the status port's connections (after Beast's http_server_async example) and starts
/// a status_session for each, at most status_context::max_sessions at once.
///
/// It runs on the master's io_context: the state it shows (sessions, parked jobs) lives on that
/// thread, so reading it there needs no lock, and every operation is asynchronous and small (a
/// page of text per request), so the master never waits for a status client. The workers never
/// see it: they only write their own slots and atomics.
class status_listener : public std::enable_shared_from_this<status_listener> {
 public:
  /// Binds at once; throws if endpoint cannot be bound.
  status_listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
                  std::shared_ptr<status_context> context);

  /// Starts accepting.
  void run();
  /// Stops accepting and closes every open session (I/O thread).
  void stop();

  boost::asio::ip::tcp::endpoint local_endpoint() const { return endpoint_; }

 private:
  void do_accept();
  void do_sample();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  std::size_t open_sessions();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::endpoint endpoint_;
  boost::asio::steady_timer retry_timer_;   // after a failed accept (out of descriptors)
  boost::asio::steady_timer sample_timer_;  // once a second, for the rate history
  std::shared_ptr<status_context> context_;
  bool stopped_ = false;
};

}  // namespace wordcrawl
