#include "client_worker.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>

#include "local_rejection.hpp"
#include "wordcrawl/defaults.hpp"
#include "wordcrawl/protocol.hpp"
#include "wordcrawl/request.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl {
namespace {

constexpr std::chrono::seconds max_backoff{10};

// Waits delay, or less if token is stopped; false if it was.
bool pause(const std::stop_token& token, std::chrono::milliseconds delay) {
  std::mutex mutex;
  std::condition_variable_any wakeup;
  std::unique_lock lock(mutex);
  wakeup.wait_for(lock, token, delay, [] { return false; });
  return !token.stop_requested();
}
constexpr std::size_t quoted_reply_bytes = 200;

}  // namespace

client_worker::client_worker(worker_shared& shared, std::size_t index)
    : shared_(shared),
      index_(index),
      servers_(servers_to_use(shared.options)),
      server_(index % servers_.size()),
      connection_(max_reply_bytes, shared.tls) {}

void client_worker::run(const std::stop_token& token) {
  const std::stop_callback on_stop(token, [this] { connection_.interrupt(); });
  while (!token.stop_requested()) {
    fill_window();
    if (in_flight_.empty() || token.stop_requested()) {
      break;
    }
    if (!connection_.is_open() && !connect(token)) {
      if (!token.stop_requested()) {
        give_up();
      }
      break;
    }
    if (const auto ec = send_pending()) {
      connection_lost(ec);
      continue;
    }
    show_state(thread_state::waiting);
    framed_line line;
    if (const auto ec = connection_.read_line(line, shared_.options.reply_timeout)) {
      connection_lost(ec);
      continue;
    }
    if (const auto refusal = line.too_long ? std::nullopt : parse_connection_error(line.text)) {
      if (connection_refused(*refusal, token)) {
        continue;
      }
    }
    handle_line(line);
  }
  connection_.close();
  show_in_flight();
  show_state(thread_state::done);
}

void client_worker::show_state(thread_state state) {
  shared_.board.set_state(index_, state);
}

void client_worker::show_in_flight() {
  shared_.board.set_in_flight(index_, in_flight_.size());
}

void client_worker::fill_window() {
  while (!input_done_ && in_flight_.size() < shared_.options.window &&
         !shared_.stop.stop_requested()) {
    // A slow writer (a pipe typed into) must not hold back the URLs already taken.
    if (!in_flight_.empty() && !shared_.source.ready()) {
      return;
    }
    auto line = shared_.source.next();
    if (!line) {
      input_done_ = true;
      return;
    }
    if (auto why = local_rejection(*line)) {
      const auto shown = line->too_long ? line->url + "..." : line->url;
      deliver(reply{shown, page_result::failure(error_kind::bad_request, std::move(*why))}, {});
      continue;
    }
    to_send_.push_back(line->url);
    in_flight_.emplace(std::move(line->url), taken_++);
  }
  show_in_flight();
}

std::string client_worker::server_name() const {
  return format_server(servers_[server_]);
}

// Every failure moves on to the next server (round robin): the node that failed is the one
// least likely to work at once. With several servers each switch is said, once per distinct
// failure, so that a node going down is visible without one line per thread and retry; not
// when no attempt follows (the budget is spent, or the run is stopping).
void client_worker::next_server(const std::string& failure) {
  last_failure_ = failure;
  if (servers_.size() == 1) {
    return;
  }
  server_ = (server_ + 1) % servers_.size();
  shared_.board.set_server(index_, server_);
  if (failures_ < attempt_budget() && !shared_.stop.stop_requested()) {
    const auto text = failure + "; trying " + server_name();
    shared_.log.line_once(text, text);
  }
}

// Failed attempts in a row before giving up: --reconnect-attempts, but at least one round over
// the list, so that no server is left untried.
int client_worker::attempt_budget() const {
  return std::max(shared_.options.reconnect_attempts, static_cast<int>(servers_.size()));
}

bool client_worker::connect(const std::stop_token& token) {
  while (failures_ < attempt_budget()) {
    // A first attempt connects; any later one, after a failure or a lost connection, is a
    // reconnect, its backoff included.
    show_state(attempted_ ? thread_state::reconnecting : thread_state::connecting);
    if (attempted_) {
      shared_.board.add_reconnect(index_);
    }
    attempted_ = true;
    if (failures_ > 0 && !wait_backoff(token)) {
      return false;
    }
    const auto& server = servers_[server_];
    const auto ec = connection_.connect(server.host, server.port, shared_.options.connect_timeout);
    if (token.stop_requested()) {
      return false;
    }
    if (!ec) {
      replied_since_connect_ = false;
      auth_pending_ = !shared_.options.auth_token.empty();
      resend_all();
      return true;
    }
    if (!connection_.verify_error().empty()) {
      shared_.fail_run("cannot verify the TLS certificate of " + server_name() + ": " +
                       connection_.verify_error());
      return false;
    }
    ++failures_;
    next_server("cannot connect to " + server_name() + ": " + ec.message());
  }
  return false;
}

// A new connection has none of the old one's requests: send every unanswered URL again, in
// the order they were taken.
void client_worker::resend_all() {
  std::vector<std::pair<std::uint64_t, const std::string*>> ordered;
  ordered.reserve(in_flight_.size());
  for (const auto& [url, order] : in_flight_) {
    ordered.emplace_back(order, &url);
  }
  std::sort(ordered.begin(), ordered.end());
  to_send_.clear();
  for (const auto& entry : ordered) {
    to_send_.push_back(*entry.second);
  }
}

// Waits reconnect_delay * 2^(failures - 1), capped; false if stopped meanwhile.
bool client_worker::wait_backoff(const std::stop_token& token) const {
  const auto doublings = std::min(failures_ - 1, 20);
  const auto delay = std::min<std::chrono::milliseconds>(
      shared_.options.reconnect_delay * (std::int64_t{1} << doublings), max_backoff);
  return pause(token, delay);
}

boost::system::error_code client_worker::send_pending() {
  if (to_send_.empty() && !auth_pending_) {
    return {};
  }
  show_state(thread_state::sending);
  // The token goes first, the URLs right behind it: the server reads none before the token.
  std::string batch = auth_pending_ ? encode_auth(shared_.options.auth_token) : std::string();
  for (const auto& url : to_send_) {
    batch += encode_request(url, shared_.options.words);
  }
  const auto ec = connection_.write(batch, shared_.options.reply_timeout);
  if (!ec) {
    to_send_.clear();
    auth_pending_ = false;
  }
  return ec;
}

void client_worker::connection_lost(const boost::system::error_code& ec) {
  // A connection that answered nothing counts as a failed attempt, so a server that accepts
  // and then drops every connection is given up on like one that refuses them.
  if (!replied_since_connect_) {
    ++failures_;
  }
  connection_.close();
  show_state(thread_state::reconnecting);
  next_server("connection to " + server_name() + " lost: " + ec.message());
}

void client_worker::give_up() {
  // With one server its failure says it all; with several, the last one alone would hide that
  // the others were tried and failed too.
  const auto reason = servers_.size() == 1 ? last_failure_
                                           : "all " + std::to_string(servers_.size()) +
                                                 " servers failed, the last: " + last_failure_;
  shared_.log.line_once(reason, reason);
  resend_all();  // only to list them in input order
  for (const auto& url : to_send_) {
    shared_.report_unanswered(url);
  }
  shared_.board.add_given_up(index_, to_send_.size());
  in_flight_.clear();
  to_send_.clear();
  show_in_flight();
}

void client_worker::handle_line(const framed_line& line) {
  if (line.too_long) {
    protocol_error("reply longer than " + std::to_string(max_reply_bytes) + " bytes");
    return;
  }
  auto answer = parse_reply(line.text);
  if (!answer) {
    protocol_error("not a reply: " + utf8::printable(line.text.substr(0, quoted_reply_bytes)));
    return;
  }
  const auto found = in_flight_.find(answer->url);
  if (found == in_flight_.end()) {
    protocol_error("reply for a URL not in flight: " + utf8::printable(answer->url));
    return;
  }
  in_flight_.erase(found);
  show_in_flight();
  replied_since_connect_ = true;
  failures_ = 0;
  busy_until_.reset();
  busy_retries_ = 0;
  deliver(*answer, line.text);
}

// A line that answers the connection rather than a URL; true if it was handled as such. Busy
// and quota are transient; unauthorized is not: the same token would be refused again.
bool client_worker::connection_refused(const page_error& refusal, const std::stop_token& token) {
  switch (refusal.kind) {
    case error_kind::busy:
      server_busy(token, "server " + server_name() + " busy: " + busy_message);
      return true;
    case error_kind::quota:
      server_busy(token, "server " + server_name() + " refused: " + refusal.message);
      return true;
    case error_kind::unauthorized:
      connection_.close();
      shared_.fail_run("server " + server_name() +
                       " refused the connection: " + utf8::printable(refusal.message));
      return true;
    default:
      return false;
  }
}

// A server at its client limit answers the connection, not a URL, and closes it. That is
// transient (another client will leave), so the connection is retried for --busy-wait seconds
// with a backoff that stays short, and only then counts as a failure like a refused connect.
// A server whose per-address connection limit is reached is treated the same way.
void client_worker::server_busy(const std::stop_token& token, const std::string& why) {
  connection_.close();
  show_state(thread_state::reconnecting);
  const auto now = std::chrono::steady_clock::now();
  if (!busy_until_) {
    busy_until_ = now + shared_.options.busy_wait;
  }
  if (now >= *busy_until_) {
    failures_ = attempt_budget();  // the budget is spent: give up
  }
  // Another node of a cluster may have room: the retry goes to the next server, and
  // --busy-wait bounds the time all of them together may answer busy.
  next_server(why);
  if (failures_ >= attempt_budget()) {
    return;
  }
  constexpr std::chrono::milliseconds max_busy_backoff{2000};
  const auto doublings = std::min(busy_retries_++, 10);
  const auto delay = std::min<std::chrono::milliseconds>(
      {shared_.options.reconnect_delay * (std::int64_t{1} << doublings), max_busy_backoff,
       std::chrono::duration_cast<std::chrono::milliseconds>(*busy_until_ - now)});
  pause(token, delay);
}

void client_worker::deliver(const reply& answer, std::string_view server_line) {
  if (answer.result.error) {
    shared_.counts.record_error(*answer.result.error);
  } else {
    shared_.counts.record_ok();
  }
  shared_.board.add_answer(index_, answer.result.error.has_value());
  if (!shared_.printer.print(answer, server_line)) {
    shared_.stop.request_stop();
    return;
  }
  shared_.bar.update(shared_.counts, progress::clock::now());
}

void client_worker::protocol_error(std::string_view what) {
  // Once per run: a server that speaks another protocol would otherwise flood stderr.
  shared_.log.line_once("protocol error", "protocol error: " + std::string(what));
}

}  // namespace wordcrawl
