#include "network/session.hpp"

#include <string_view>
#include <utility>
#include <variant>

#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/write.hpp>

#include "dispatch/job_dispatcher.hpp"
#include "dispatch/progress_log.hpp"
#include "fetch/url_check.hpp"
#include "network/session_manager.hpp"
#include "wordcrawl/defaults.hpp"
#include "wordcrawl/protocol.hpp"
#include "wordcrawl/request.hpp"

namespace wordcrawl {
namespace {

using clock = std::chrono::steady_clock;

const std::string& line_too_long_message() {
  static const std::string message =
      "line too long (over " + std::to_string(max_line_bytes) + " bytes)";
  return message;
}

}  // namespace

session::session(link_stream stream, const session_context& context, session_peer peer)
    : stream_(std::move(stream)),
      context_(context),
      peer_(std::move(peer)),
      lane_(context.jobs.open_lane()),
      framer_(max_line_bytes),
      idle_timer_(stream_.get_executor()),
      write_timer_(stream_.get_executor()),
      gate_timer_(stream_.get_executor()),
      last_activity_(clock::now()) {}

void session::start() {
  gate_timer_.expires_after(context_.limits.auth_timeout);
  gate_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->on_gate_timer(ec);
  });
  stream_.async_handshake(
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_handshake(ec); });
}

void session::on_handshake(const boost::system::error_code& ec) {
  if (closed_) {
    return;
  }
  if (ec) {
    // Not TLS, or a certificate the client refused: there is no channel to answer on.
    close();
    return;
  }
  linked_ = true;
  if (peer_.refusal) {
    refuse(*peer_.refusal);
    return;
  }
  awaiting_auth_ = !context_.link.tokens.empty();
  if (!awaiting_auth_) {
    gate_timer_.cancel();
  }
  arm_idle_timer();
  after_progress();
}

// Until the link is up and the client has shown a token, this is its deadline; once it is
// refused, the delay before the connection is closed.
void session::on_gate_timer(const boost::system::error_code& ec) {
  if (ec || closed_) {
    return;
  }
  if (refused_ || !linked_) {
    close();
  } else if (awaiting_auth_) {
    refuse({error_kind::unauthorized, "unauthorized: no auth line within " +
                                          std::to_string(context_.limits.auth_timeout.count()) +
                                          " ms"});
  }
}

void session::check_auth(const framed_line& line) {
  const auto text = url_from_line(line.text);
  if (!text && !line.too_long) {
    return;  // blank lines are no lines, here as everywhere
  }
  const auto token = line.too_long ? std::nullopt : parse_auth(*text);
  if (!token) {
    refuse(
        {error_kind::unauthorized,
         R"(unauthorized: the first line must be {"auth":"<token>"} (client --auth-token-file))"});
  } else if (!context_.link.tokens.accepts(*token)) {
    refuse({error_kind::unauthorized, "unauthorized: wrong token"});
  } else {
    awaiting_auth_ = false;
    gate_timer_.cancel();
  }
}

// The one line a refused connection gets; nothing more is read from it, and it is closed
// refuse_delay later even if the client stays.
void session::refuse(const page_error& error) {
  refused_ = true;
  context_.log.record_rejected();
  queue_reply(encode_connection_error(error.kind, error.message));
  gate_timer_.expires_after(context_.limits.refuse_delay);
  gate_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->on_gate_timer(ec);
  });
}

void session::stop_reading() {
  stopping_ = true;
  after_progress();
}

void session::on_grace_over() {
  after_progress();
}

void session::close() {
  if (closed_) {
    return;
  }
  closed_ = true;
  // What this session held is free for the others; its queued jobs are not started.
  context_.budget.release(unsent_bytes_);
  context_.jobs.close_lane(lane_);
  if (peer_.holds_slot) {
    context_.quota.disconnect(peer_.address);
  }
  stream_.close();
  idle_timer_.cancel();
  write_timer_.cancel();
  gate_timer_.cancel();
  context_.sessions.remove(shared_from_this());
}

bool session::deliver(std::string line) {
  if (closed_) {
    return false;
  }
  if (in_flight_ > 0) {
    --in_flight_;
  }
  if (in_flight_ == 0) {
    // Waiting for answers is not idleness: the idle clock starts at the last answer.
    last_activity_ = clock::now();
  }
  enqueue(std::move(line));
  after_progress();
  return true;
}

void session::on_unparked() {
  parked_ = false;
  after_progress();
}

// Called after anything that may unblock this session: handle lines that can now be handled,
// read again if the limits allow, and close once a stopping or finished client is fully served.
void session::after_progress() {
  if (closed_) {
    return;
  }
  process_lines();
  do_read();
  // A refused client is closed by its timer alone, so that it cannot hurry the next guess.
  if ((stopping_ || peer_done_) && !busy() && !refused_) {
    close();
  }
}

bool session::busy() const {
  return in_flight_ > 0 || framer_.ready() > 0 || writing_ || !replies_.empty();
}

bool session::wants_read() const {
  if (closed_ || reading_ || peer_done_ || !linked_ || refused_) {
    return false;
  }
  // While stopping, bytes are still read (and dropped) so that the client's close is seen.
  return stopping_ || (!parked_ && in_flight_ < context_.limits.max_in_flight &&
                       unsent_bytes_ <= context_.limits.max_write_bytes && framer_.ready() == 0);
}

void session::do_read() {
  if (!wants_read()) {
    return;
  }
  reading_ = true;
  stream_.async_read_some(
      boost::asio::buffer(read_buffer_),
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t bytes) {
    self->on_read(ec, bytes);
      });
}

void session::on_read(const boost::system::error_code& ec, std::size_t bytes) {
  reading_ = false;
  if (closed_) {
    return;
  }
  if (ec == boost::asio::error::eof) {
    // A half-closed client still gets every answer; a last line without "\n" counts.
    peer_done_ = true;
    if (!stopping_ && framer_.has_partial_line()) {
      framer_.feed("\n");
    }
  } else if (ec) {
    close();
    return;
  } else if (!stopping_) {
    framer_.feed(std::string_view(read_buffer_.data(), bytes));
  }
  after_progress();
}

void session::process_lines() {
  while (!closed_ && !refused_ && framer_.ready() > 0) {
    const bool limited = parked_ || in_flight_ >= context_.limits.max_in_flight;
    if (limited && !context_.jobs.abandoned()) {
      return;
    }
    handle_line(*framer_.next());
  }
}

void session::handle_line(const framed_line& line) {
  if (awaiting_auth_) {
    check_auth(line);
    return;
  }
  if (line.too_long) {
    context_.log.record_rejected();
    queue_reply(encode_reply(
        line.text, page_result::failure(error_kind::bad_request, line_too_long_message())));
    return;
  }
  const auto text = url_from_line(line.text);
  // A token sent to a server that asks none, or sent again, is no request.
  if (!text || is_auth_line(*text)) {
    return;
  }
  // Only a request is activity: blank lines sent now and then must not hold a slot forever.
  last_activity_ = clock::now();
  auto parsed = parse_request(*text);
  if (auto* bad = std::get_if<request_error>(&parsed)) {
    reject(bad->url, std::move(bad->error));
    return;
  }
  auto& asked = std::get<request>(parsed);
  if (auto error = check_url(asked.url)) {
    reject(asked.url, std::move(*error));
    return;
  }
  auto settings = resolve_settings(asked, context_.defaults);
  if (auto* error = std::get_if<page_error>(&settings)) {
    reject(asked.url, std::move(*error));
    return;
  }
  if (context_.jobs.abandoned()) {
    context_.log.record_shutting_down();
    queue_reply(encode_reply(
        asked.url, page_result::failure(error_kind::shutting_down, shutting_down_message)));
    return;
  }
  if (!context_.quota.take_url(peer_.address)) {
    reject(asked.url,
           {error_kind::quota, "quota: over --client-rate " +
                                   std::to_string(context_.quota.limits().urls_per_minute) +
                                   " URLs per minute from " + peer_.address.to_string()});
    return;
  }
  submit(std::move(asked.url), std::get<answer_settings>(std::move(settings)));
}

void session::reject(std::string_view url, page_error error) {
  context_.log.record_rejected();
  queue_reply(encode_reply(url, page_result::failure(std::move(error))));
}

void session::submit(std::string url, answer_settings settings) {
  ++in_flight_;
  auto host = url_host(url);
  job item{std::move(url), weak_from_this(), lane_, std::move(host), false, std::move(settings)};
  if (!context_.jobs.submit(item)) {
    parked_ = true;
  }
}

void session::queue_reply(std::string line) {
  if (closed_) {
    return;
  }
  context_.budget.add(line.size());
  enqueue(std::move(line));
}

// The line is already counted in the budget.
void session::enqueue(std::string line) {
  if (closed_) {
    return;
  }
  unsent_bytes_ += line.size();
  replies_.push_back(std::move(line));
  update_pause();
  do_write();
}

// A client that leaves its replies unread gets no new fetch started until it reads again, so
// its queued jobs cannot fill the budget that every client shares.
void session::update_pause() {
  const bool over = unsent_bytes_ > context_.limits.max_write_bytes;
  if (over != paused_) {
    paused_ = over;
    context_.jobs.pause_lane(lane_, over);
  }
}

void session::do_write() {
  if (writing_ || replies_.empty() || closed_) {
    return;
  }
  // Everything queued goes out in one gathered write; one write in flight at a time.
  in_write_.assign(std::make_move_iterator(replies_.begin()),
                   std::make_move_iterator(replies_.end()));
  replies_.clear();
  std::vector<boost::asio::const_buffer> buffers;
  buffers.reserve(in_write_.size());
  for (const auto& line : in_write_) {
    buffers.emplace_back(boost::asio::buffer(line));
  }
  writing_ = true;
  ++write_id_;
  write_timer_.expires_after(context_.limits.write_timeout);
  write_timer_.async_wait(
      [self = shared_from_this(), id = write_id_](const boost::system::error_code& ec) {
    self->on_write_timer(ec, id);
  });
  stream_.async_write(buffers,
                      [self = shared_from_this()](const boost::system::error_code& ec,
                                                  std::size_t /*bytes*/) { self->on_write(ec); });
}

void session::on_write(const boost::system::error_code& ec) {
  writing_ = false;
  write_timer_.cancel();
  if (closed_) {
    return;
  }
  if (ec) {
    close();
    return;
  }
  std::size_t written = 0;
  for (const auto& line : in_write_) {
    written += line.size();
  }
  unsent_bytes_ -= written;
  in_write_.clear();
  update_pause();
  context_.budget.release(written);
  do_write();
  after_progress();
}

void session::on_write_timer(const boost::system::error_code& ec, std::uint64_t write_id) {
  // A timer that expired just as its write completed must not close the session.
  if (ec || closed_ || !writing_ || write_id != write_id_) {
    return;
  }
  close();
}

void session::arm_idle_timer() {
  idle_timer_.expires_at(last_activity_ + context_.limits.idle_timeout);
  idle_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->on_idle_timer(ec);
  });
}

void session::on_idle_timer(const boost::system::error_code& ec) {
  if (ec || closed_) {
    return;
  }
  const auto now = clock::now();
  if (in_flight_ > 0 || writing_ || !replies_.empty()) {
    last_activity_ = now;
  }
  if (now - last_activity_ >= context_.limits.idle_timeout) {
    close();
    return;
  }
  arm_idle_timer();
}

}  // namespace wordcrawl
