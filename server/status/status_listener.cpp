#include "status/status_listener.hpp"

#include <algorithm>
#include <utility>

#include "status/status_session.hpp"

namespace wordcrawl {

using boost::asio::ip::tcp;

status_listener::status_listener(boost::asio::io_context& io, const tcp::endpoint& endpoint,
                                 std::shared_ptr<status_context> context)
    : io_(io), acceptor_(io), retry_timer_(io), sample_timer_(io), context_(std::move(context)) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  endpoint_ = acceptor_.local_endpoint();
}

void status_listener::run() {
  do_accept();
  do_sample();
}

// One sample now and one a second after: a cheap read of two counters, whether anyone watches.
void status_listener::do_sample() {
  const auto totals = context_->view().totals;
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
  context_->history.record({now.count(), totals.processed, totals.failed});
  sample_timer_.expires_after(std::chrono::seconds(1));
  sample_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (!ec && !self->stopped_) {
      self->do_sample();
    }
  });
}

void status_listener::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  retry_timer_.cancel();
  sample_timer_.cancel();
  for (const auto& weak : context_->sessions) {
    if (const auto session = weak.lock()) {
      session->close();
    }
  }
  context_->sessions.clear();
}

void status_listener::do_accept() {
  acceptor_.async_accept(
      io_, [self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
        self->on_accept(ec, std::move(socket));
      });
}

void status_listener::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (stopped_ || ec == boost::asio::error::operation_aborted) {
    return;
  }
  if (ec) {
    // Out of descriptors and the like: try again a little later rather than spin.
    retry_timer_.expires_after(std::chrono::milliseconds(100));
    retry_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& wait_ec) {
      if (!wait_ec && !self->stopped_) {
        self->do_accept();
      }
    });
    return;
  }
  if (open_sessions() >= status_context::max_sessions) {
    boost::system::error_code ignored;
    socket.close(ignored);  // over the bound: the client may retry
  } else {
    auto session = std::make_shared<status_session>(std::move(socket), context_);
    context_->sessions.push_back(session);
    session->run();
  }
  do_accept();
}

// Sessions still alive; the ended ones are forgotten on the way.
std::size_t status_listener::open_sessions() {
  auto& sessions = context_->sessions;
  sessions.erase(std::remove_if(sessions.begin(), sessions.end(),
                                [](const auto& weak) { return weak.expired(); }),
                 sessions.end());
  return sessions.size();
}

}  // namespace wordcrawl
