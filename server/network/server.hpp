#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "dispatch/job_dispatcher.hpp"
#include "dispatch/job_runner.hpp"
#include "dispatch/progress_log.hpp"
#include "dispatch/reply_budget.hpp"
#include "fetch/crawl_policy.hpp"
#include "fetch/url_processor.hpp"
#include "network/client_quota.hpp"
#include "network/session_manager.hpp"
#include "server_options.hpp"
#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

class status_listener;
class status_metrics;

/// The whole server: one I/O thread (the caller of run()) owns the acceptor and every session;
/// the worker pool fetches. Progress lines go to out, rate lines and the summary to err.
class server {
 public:
  /// Binds the listening socket and starts the workers; throws if the address cannot be bound.
  /// policy is the one the factory's processors use (its members outlive the server): the
  /// queue then hands a worker only jobs that can start at once.
  server(const server_options& options, const processor_factory& factory, std::ostream& out,
         std::ostream& err, crawl_policy policy = {});
  server(const server&) = delete;
  server& operator=(const server&) = delete;
  server(server&&) = delete;
  server& operator=(server&&) = delete;
  ~server();

  /// Serves until stopped and every reply is flushed, then joins the workers and writes the
  /// summary.
  void run();
  /// Asks for a graceful stop; safe from any thread, also before run().
  void stop();

  /// The bound listening endpoint (its port is the real one when port 0 was asked for).
  boost::asio::ip::tcp::endpoint local_endpoint() const { return endpoint_; }
  /// Reply bytes reserved or waiting to be sent, all sessions together (--max-unsent-bytes).
  std::size_t reply_bytes_held() const { return budget_.held(); }
  /// The most reply bytes ever held at once.
  std::size_t reply_bytes_peak() const { return budget_.peak(); }
  /// Jobs ever admitted to the queue.
  std::uint64_t admitted() const { return jobs_.admitted(); }
  /// Jobs waiting for room in the queue.
  std::size_t parked() const { return jobs_.parked(); }
  /// The line to warn the operator with when the socket is reachable from other hosts without
  /// a token (protected mode, or --no-auth) or a token travels without TLS; empty otherwise.
  std::string exposure_warning() const;
  /// The bound status port (--status-port), if there is one.
  std::optional<boost::asio::ip::tcp::endpoint> status_endpoint() const;

 private:
  void open_acceptor();
  void do_accept();
  void on_accept(const boost::system::error_code& ec, boost::asio::ip::tcp::socket socket);
  void start_session(boost::asio::ip::tcp::socket socket);
  std::optional<page_error> admit(const boost::asio::ip::address& peer, bool& holds_slot);
  bool refuse_with_reserve();
  void retry_accept_later();
  void do_await_signal();
  void do_rate_timer();
  void begin_stop();
  void on_grace_over(const boost::system::error_code& ec);
  void finish();
  void open_status();

  server_options options_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  progress_log log_;
  std::atomic<bool> cancel_{false};
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::ip::tcp::endpoint endpoint_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer grace_timer_;
  boost::asio::steady_timer rate_timer_;
  boost::asio::steady_timer accept_retry_timer_;
  reply_budget budget_;  // before the sessions, which give back what they hold when they close
  client_quota quota_;   // before the sessions too: they give back their connection slot
  bool protected_mode_ = false;  // listening beyond loopback with neither tokens nor --no-auth
  session_manager sessions_;
  job_dispatcher jobs_;
  // Held open so that, out of descriptors, one can still be freed to turn a client away.
  struct reserve_descriptor {
    int fd = -1;
    reserve_descriptor();
    reserve_descriptor(const reserve_descriptor&) = delete;
    reserve_descriptor& operator=(const reserve_descriptor&) = delete;
    reserve_descriptor(reserve_descriptor&&) = delete;
    reserve_descriptor& operator=(reserve_descriptor&&) = delete;
    ~reserve_descriptor();
    void close();
    void reopen();
  };
  reserve_descriptor reserve_;
  bool stopping_ = false;
  bool finished_ = false;
  bool signalled_ = false;
  // What the workers publish; before them, since they write to it until joined.
  std::unique_ptr<status_metrics> status_metrics_;
  std::shared_ptr<status_listener> status_;  // --status-port; null when off
  // Last member: destroyed first, so the workers are joined before anything they use goes.
  std::unique_ptr<job_runner> workers_;
};

/// The "host:port" form of an endpoint, with brackets around an IPv6 address.
std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace wordcrawl
