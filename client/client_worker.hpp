#pragma once

#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "answer_printer.hpp"
#include "client_options.hpp"
#include "connection.hpp"
#include "console.hpp"
#include "progress.hpp"
#include "tally.hpp"
#include "thread_board.hpp"
#include "url_source.hpp"

namespace wordcrawl {

/// What the workers of one run share; every member is thread-safe.
struct worker_shared {
  const client_options& options;
  url_source& source;
  answer_printer& printer;
  tally& counts;
  progress& bar;
  thread_board& board;  // each worker's facts for the per-thread view
  console& log;
  std::stop_source& stop;  // requested when the output fails: every worker ends
  std::function<void(const std::string& url)> report_unanswered;  // after counting it
  // A failure no retry can mend (token refused, certificate not verified): says why, once,
  // and stops every worker; the run exits with exit_cannot_run.
  std::function<void(const std::string& why)> fail_run;
  boost::asio::ssl::context* tls = nullptr;  // --tls; null for plain TCP
};

/// One thread's connection to a server: keeps up to options.window URLs in flight, matches
/// each reply to its URL, and after a dropped connection reconnects with backoff, to the next
/// server of the list, and resends exactly the URLs still unanswered.
class client_worker {
 public:
  /// shared must outlive the worker. Worker `index` starts on server index % servers.
  client_worker(worker_shared& shared, std::size_t index);

  /// Works until the input is exhausted and answered, the server is given up on, or token
  /// is stopped.
  void run(const std::stop_token& token);

 private:
  void fill_window();
  bool connect(const std::stop_token& token);
  bool wait_backoff(const std::stop_token& token) const;
  boost::system::error_code send_pending();
  void handle_line(const framed_line& line);
  bool connection_refused(const page_error& refusal, const std::stop_token& token);
  void server_busy(const std::stop_token& token, const std::string& why);
  void connection_lost(const boost::system::error_code& ec);
  void give_up();
  void deliver(const reply& answer, std::string_view server_line);
  void protocol_error(std::string_view what);
  std::string server_name() const;
  void next_server(const std::string& failure);
  int attempt_budget() const;
  void show_state(thread_state state);
  void show_in_flight();

  worker_shared& shared_;
  std::size_t index_;                    // the thread's number, from 0
  std::vector<server_address> servers_;  // never empty
  std::size_t server_ = 0;               // index in servers_ of the one used now
  connection connection_;
  void resend_all();

  // Taken, not yet answered, with the order taken (for resending in input order); the same
  // URL may be in flight twice.
  std::unordered_multimap<std::string, std::uint64_t> in_flight_;
  std::uint64_t taken_ = 0;
  std::vector<std::string> to_send_;  // in flight, not yet written
  bool input_done_ = false;
  bool auth_pending_ = false;  // the auth line is still to be sent on this connection
  int failures_ = 0;           // failed attempts since the last reply
  bool replied_since_connect_ = false;
  std::string last_failure_;
  // Set by the first busy answer since the last reply: until then this connection retries.
  std::optional<std::chrono::steady_clock::time_point> busy_until_;
  int busy_retries_ = 0;
  bool attempted_ = false;  // a connection attempt was made: the next ones are reconnects
};

}  // namespace wordcrawl
