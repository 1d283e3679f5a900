#include "network/server.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <string>
#include <unistd.h>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <sys/socket.h>

#include "cluster/cluster_node.hpp"
#include "dispatch/worker_pool.hpp"
#include "network/peer_address.hpp"
#include "network/session.hpp"
#include "status/status_listener.hpp"
#include "status/status_metrics.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl {
namespace {

using boost::asio::ip::tcp;

// Sent to a client over --max-clients, just before the connection is closed.
const std::string& busy_line() {
  static const std::string line = encode_busy();
  return line;
}

// After a failed accept (EMFILE and the like), wait before trying again rather than spin.
constexpr std::chrono::milliseconds accept_retry_delay{100};

// Tells a client over --max-clients why it is turned away, then closes the connection.
void refuse(tcp::socket socket) {
  auto refused = std::make_shared<tcp::socket>(std::move(socket));
  boost::asio::async_write(
      *refused, boost::asio::buffer(busy_line()),
      [refused](const boost::system::error_code& /*ec*/, std::size_t /*bytes*/) {
    boost::system::error_code ignored;
    refused->shutdown(tcp::socket::shutdown_both, ignored);
    refused->close(ignored);
      });
}

int open_reserve_fd() {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-vararg,hicpp-vararg): open() is variadic
  return ::open("/dev/null", O_RDONLY | O_CLOEXEC);
}

bool out_of_descriptors(const boost::system::error_code& ec) {
  return ec == boost::asio::error::no_descriptors ||
         ec == boost::system::error_code(ENFILE, boost::system::system_category());
}

}  // namespace

std::string to_string(const tcp::endpoint& endpoint) {
  const auto address = endpoint.address().to_string();
  const auto port = std::to_string(endpoint.port());
  return endpoint.address().is_v6() ? "[" + address + "]:" + port : address + ":" + port;
}

server::server(const server_options& options, const processor_factory& factory, std::ostream& out,
               std::ostream& err, crawl_policy policy)
    : options_(options),
      work_(io_.get_executor()),
      log_(out, err),
      acceptor_(io_),
      signals_(io_),
      grace_timer_(io_),
      rate_timer_(io_),
      accept_retry_timer_(io_),
      budget_(options.max_unsent_bytes),
      quota_(options.link.quota),
      // In a cluster the per-host limit is the cluster's, kept with leases in Redis.
      // The cluster's submitter takes jobs for other nodes: the queue does not know their state.
      jobs_(io_, dispatch_limits{options.queue, options.cluster.redis ? 0 : options.per_host},
            budget_, log_, options.cluster.redis ? crawl_policy{} : policy),
      status_metrics_(std::make_unique<status_metrics>(options.workers)) {
  // A request that names no k gets -k, and may always ask for as many.
  options_.words.k = options_.top_k;
  options_.words.max_k = std::max(options_.words.max_k, options_.top_k);
  open_acceptor();
  protected_mode_ =
      !is_loopback(endpoint_.address()) && options_.link.tokens.empty() && !options_.link.no_auth;
  sessions_.on_empty([this] {
    if (stopping_) {
      finish();
    }
  });
  if (options_.handle_signals) {
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    // A closed terminal or a supervisor's hangup asks for the same graceful stop.
    signals_.add(SIGHUP);
    do_await_signal();
  }
  do_accept();
  do_rate_timer();
  open_status();
  if (options_.cluster.redis) {
    workers_ = std::make_unique<cluster_node>(options_.cluster, options_.workers, options_.per_host,
                                              jobs_, factory, log_, cancel_, status_metrics_.get());
  } else {
    workers_ = std::make_unique<worker_pool>(options_.workers, jobs_, factory, log_, cancel_,
                                             status_metrics_.get());
  }
}

server::~server() {
  cancel_ = true;
  workers_.reset();
}

server::reserve_descriptor::reserve_descriptor() : fd(open_reserve_fd()) {}

server::reserve_descriptor::~reserve_descriptor() {
  close();
}

void server::reserve_descriptor::close() {
  if (fd >= 0) {
    ::close(fd);
    fd = -1;
  }
}

void server::reserve_descriptor::reopen() {
  close();
  fd = open_reserve_fd();
}

void server::open_acceptor() {
  tcp::resolver resolver(io_);
  const auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port),
                                          tcp::resolver::passive | tcp::resolver::numeric_service);
  const tcp::endpoint endpoint = *endpoints.begin();
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  // The reserve accept below must find the backlog empty without waiting.
  acceptor_.non_blocking(true);
  endpoint_ = acceptor_.local_endpoint();
}

// The status port's state is read on this I/O thread when a request asks for it.
void server::open_status() {
  if (!options_.status_port) {
    return;
  }
  tcp::resolver resolver(io_);
  const tcp::endpoint endpoint =
      *resolver
           .resolve(options_.status_host, std::to_string(*options_.status_port),
                    tcp::resolver::passive | tcp::resolver::numeric_service)
           .begin();
  auto context = std::make_shared<status_context>();
  context->view = [this] {
    return status_view{jobs_.queued(),   options_.queue, jobs_.parked(),  sessions_.size(),
                       options_.workers, stopping_,      log_.snapshot(), status_metrics_.get()};
  };
  context->tokens = options_.link.tokens;
  context->protected_mode =
      !is_loopback(endpoint.address()) && options_.link.tokens.empty() && !options_.link.no_auth;
  status_ = std::make_shared<status_listener>(io_, endpoint, context);
  context->where = to_string(status_->local_endpoint());
  status_->run();
}

std::optional<tcp::endpoint> server::status_endpoint() const {
  if (!status_) {
    return std::nullopt;
  }
  return status_->local_endpoint();
}

void server::run() {
  io_.run();
  workers_->join();
  log_.write_summary();
}

void server::stop() {
  boost::asio::post(io_, [this] { begin_stop(); });
}

void server::do_accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void server::on_accept(const boost::system::error_code& ec, tcp::socket socket) {
  if (stopping_ || ec == boost::asio::error::operation_aborted) {
    return;
  }
  if (ec) {
    if (out_of_descriptors(ec) && refuse_with_reserve()) {
      do_accept();
    } else {
      retry_accept_later();
    }
    return;
  }
  if (sessions_.size() >= options_.max_clients) {
    refuse(std::move(socket));
  } else {
    start_session(std::move(socket));
  }
  do_accept();
}

void server::start_session(tcp::socket socket) {
  boost::system::error_code ec;
  const auto remote = socket.remote_endpoint(ec);
  if (ec) {
    return;  // the client is already gone
  }
  // Replies are whole lines written at once; Nagle would only delay them.
  socket.set_option(tcp::no_delay(true), ec);
  session_peer peer{canonical_address(remote.address())};
  peer.refusal = admit(peer.address, peer.holds_slot);
  auto stream = options_.link.tls ? link_stream(std::move(socket), *options_.link.tls)
                                  : link_stream(std::move(socket));
  sessions_.start(
      std::make_shared<session>(std::move(stream),
                                session_context{jobs_, sessions_, log_, budget_, options_.limits,
                                                options_.words, options_.link, quota_},
                                std::move(peer)));
}

// Protected mode and the per-address connection limit; the refusal is sent by the session, over
// TLS when the link is TLS, so that the client can read it.
std::optional<page_error> server::admit(const boost::asio::ip::address& peer, bool& holds_slot) {
  holds_slot = false;
  if (protected_mode_ && !is_loopback(peer)) {
    return page_error{error_kind::unauthorized,
                      "unauthorized: protected mode: this server listens on " +
                          to_string(endpoint_) +
                          " without --auth-token-file, so it serves loopback clients only; "
                          "start it with --auth-token-file FILE (and --tls-cert/--tls-key), "
                          "or with --no-auth to serve every client"};
  }
  if (!quota_.enabled()) {
    return std::nullopt;
  }
  if (!quota_.try_connect(peer)) {
    return page_error{error_kind::quota, "quota: too many connections from " + peer.to_string() +
                                             " (--max-clients-per-address " +
                                             std::to_string(quota_.limits().connections) + ")"};
  }
  holds_slot = true;
  return std::nullopt;
}

std::string server::exposure_warning() const {
  const auto where = to_string(endpoint_);
  if (protected_mode_) {
    return "server: warning: listening on " + where +
           " without --auth-token-file: protected mode, clients not on loopback are refused "
           "(see --auth-token-file, --no-auth)";
  }
  if (is_loopback(endpoint_.address())) {
    return {};
  }
  if (options_.link.tokens.empty()) {
    return "server: warning: listening on " + where +
           " with --no-auth: anyone who can reach this port may use the server";
  }
  if (!options_.link.tls) {
    return "server: warning: listening on " + where +
           " without --tls-cert/--tls-key: tokens and URLs travel in clear text";
  }
  return {};
}

// Out of descriptors, the client waiting in the backlog would get no answer at all: free the
// reserve descriptor, take the client, tell it the server is busy, close it and take the
// reserve back. False when that was not possible, so the caller backs off instead of spinning.
bool server::refuse_with_reserve() {
  if (reserve_.fd < 0) {
    reserve_.reopen();
    return false;
  }
  reserve_.close();
  tcp::socket client(io_);
  boost::system::error_code accept_ec;
  acceptor_.accept(client, accept_ec);
  if (!accept_ec) {
    // A fresh socket's send buffer takes the short line at once; if not, the client only
    // misses the explanation.
    ::send(client.native_handle(), busy_line().data(), busy_line().size(),
           MSG_DONTWAIT | MSG_NOSIGNAL);
    boost::system::error_code ignored;
    client.shutdown(tcp::socket::shutdown_both, ignored);
    client.close(ignored);
  }
  reserve_.reopen();
  // would_block: the backlog is empty, so waiting for the next client does not spin.
  return reserve_.fd >= 0 && (!accept_ec || accept_ec == boost::asio::error::would_block);
}

void server::retry_accept_later() {
  accept_retry_timer_.expires_after(accept_retry_delay);
  accept_retry_timer_.async_wait([this](const boost::system::error_code& wait_ec) {
    if (!wait_ec && !stopping_) {
      do_accept();
    }
  });
}

void server::do_await_signal() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signal_number) {
    if (ec) {
      return;
    }
    if (signalled_) {
      // The operator asked twice: leave now, without waiting for workers or clients.
      std::_Exit(128 + signal_number);
    }
    signalled_ = true;
    // Re-arm first: begin_stop() may finish at once, and finish() cancels this wait so that
    // run() can return.
    do_await_signal();
    begin_stop();
  });
}

void server::do_rate_timer() {
  rate_timer_.expires_after(options_.rate_interval);
  rate_timer_.async_wait([this](const boost::system::error_code& ec) {
    // A wait that had already expired when finish() cancelled it must not re-arm, or run()
    // would never return.
    if (ec || finished_) {
      return;
    }
    log_.write_rate(options_.rate_interval, jobs_.queued(), sessions_.size());
    do_rate_timer();
  });
}

void server::begin_stop() {
  if (stopping_) {
    return;
  }
  stopping_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  accept_retry_timer_.cancel();
  sessions_.stop_reading_all();
  if (sessions_.size() == 0) {
    finish();
    return;
  }
  grace_timer_.expires_after(options_.grace);
  grace_timer_.async_wait([this](const boost::system::error_code& ec) { on_grace_over(ec); });
}

void server::on_grace_over(const boost::system::error_code& ec) {
  if (ec || finished_) {
    return;
  }
  // Running fetches abort, queued and parked jobs are answered without fetching.
  cancel_ = true;
  jobs_.abandon();
  sessions_.grace_over_all();
}

// Everyone is answered and gone: let run() return.
void server::finish() {
  if (finished_) {
    return;
  }
  finished_ = true;
  cancel_ = true;
  boost::system::error_code ignored;
  signals_.cancel(ignored);
  grace_timer_.cancel();
  rate_timer_.cancel();
  accept_retry_timer_.cancel();
  if (status_) {
    status_->stop();  // its connections would keep run() from returning
  }
  jobs_.close();
  work_.reset();
}

}  // namespace wordcrawl
