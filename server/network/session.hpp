#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include "dispatch/job.hpp"
#include "dispatch/reply_budget.hpp"
#include "network/client_quota.hpp"
#include "network/link_options.hpp"
#include "network/link_stream.hpp"
#include "network/request_settings.hpp"
#include "network/session_limits.hpp"
#include "wordcrawl/line_framer.hpp"
#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

class session_manager;
class job_dispatcher;
class progress_log;

/// What every session shares; all of it outlives the sessions.
struct session_context {
  job_dispatcher& jobs;
  session_manager& sessions;
  progress_log& log;
  reply_budget& budget;
  session_limits limits;
  request_defaults defaults;
  const link_options& link;  // tokens and quotas
  client_quota& quota;
};

/// Who is at the other end of a connection, and what the server decided at accept.
struct session_peer {
  boost::asio::ip::address address;
  bool holds_slot = false;              // counted by client_quota::try_connect()
  std::optional<page_error> refusal{};  // answered with this once the link is up, then closed
};

/// One client connection. Lives on the I/O thread: it cuts the byte stream into URL lines,
/// answers bad lines itself, hands good ones to the dispatcher and writes the replies back,
/// one async_write at a time. It stops reading while it has max_in_flight URLs out, a parked
/// job, or more than max_write_bytes of replies unsent; in the last case its queued jobs are
/// not started either, so a client that does not read makes the server hold little for it.
/// Before any line is read it does the TLS handshake (when the link is TLS) and, when the
/// server has tokens, takes the auth line; a refused connection gets one line and is closed
/// refuse_delay later.
class session final : public job_owner, public std::enable_shared_from_this<session> {
 public:
  session(link_stream stream, const session_context& context, session_peer peer);
  session(const session&) = delete;
  session& operator=(const session&) = delete;
  session(session&&) = delete;
  session& operator=(session&&) = delete;
  ~session() override = default;

  /// Starts reading and the idle timer.
  void start();
  /// Graceful stop: read nothing new, answer the lines already received, then close.
  void stop_reading();
  /// Tells the session that grace is over: the dispatcher takes no more jobs, so the lines not
  /// yet handed to workers are answered "server shutting down" now.
  void on_grace_over();
  /// Closes the socket now; unanswered jobs are dropped.
  void close();

  bool deliver(std::string line) override;
  void on_unparked() override;

 private:
  void on_handshake(const boost::system::error_code& ec);
  void on_gate_timer(const boost::system::error_code& ec);
  void check_auth(const framed_line& line);
  void refuse(const page_error& error);
  void do_read();
  void on_read(const boost::system::error_code& ec, std::size_t bytes);
  void process_lines();
  void handle_line(const framed_line& line);
  void reject(std::string_view url, page_error error);
  void submit(std::string url, answer_settings settings);
  void queue_reply(std::string line);
  void enqueue(std::string line);
  void do_write();
  void on_write(const boost::system::error_code& ec);
  void arm_idle_timer();
  void on_idle_timer(const boost::system::error_code& ec);
  void on_write_timer(const boost::system::error_code& ec, std::uint64_t write_id);
  void after_progress();
  void update_pause();
  bool wants_read() const;
  bool busy() const;

  link_stream stream_;
  session_context context_;
  session_peer peer_;
  lane_id lane_;  // this client's jobs in the dispatcher's queue
  line_framer framer_;
  std::array<char, 16384> read_buffer_{};
  std::deque<std::string> replies_;    // waiting for the next write
  std::vector<std::string> in_write_;  // the batch being written
  std::size_t unsent_bytes_ = 0;       // in replies_ and in_write_
  std::size_t in_flight_ = 0;          // URLs handed to the dispatcher, not yet answered
  std::uint64_t write_id_ = 0;         // tells a write timer which write it guards
  boost::asio::steady_timer idle_timer_;
  boost::asio::steady_timer write_timer_;
  boost::asio::steady_timer gate_timer_;  // handshake and auth deadline, then refuse delay
  std::chrono::steady_clock::time_point last_activity_;
  bool parked_ = false;     // a job waits in the dispatcher's FIFO
  bool paused_ = false;     // too many replies unsent: no job of this client starts
  bool reading_ = false;    // an async read is pending
  bool writing_ = false;    // an async write is pending
  bool peer_done_ = false;  // the client sent EOF: answer what it sent, then close
  bool stopping_ = false;   // server stopping: no new bytes
  bool closed_ = false;
  bool linked_ = false;         // the TLS handshake (if any) is done
  bool awaiting_auth_ = false;  // the server has tokens and no auth line came yet
  bool refused_ = false;        // the refusal line is queued: read nothing, close soon
};

}  // namespace wordcrawl
