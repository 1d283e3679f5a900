#include "server_harness.hpp"

#include <poll.h>
#include <regex>
#include <stdexcept>
#include <utility>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/write.hpp>
#include <sys/socket.h>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

using boost::asio::ip::tcp;
using clock = std::chrono::steady_clock;

class FakeProcessor final : public url_processor {
 public:
  FakeProcessor(FakeProcessors& state, const std::atomic<bool>& cancel)
      : state_(state), cancel_(cancel) {}
  page_result process(const std::string& url) override { return state_.process(url, cancel_); }
  page_result process_with(const std::string& url, const answer_settings& settings) override {
    state_.record(settings);
    return state_.process(url, cancel_);
  }

 private:
  FakeProcessors& state_;
  const std::atomic<bool>& cancel_;
};

}  // namespace

FakeProcessors::FakeProcessors(fake_mode mode) : mode_(mode) {}

processor_factory FakeProcessors::factory() {
  return [this](const std::atomic<bool>& cancel) {
    return std::make_unique<FakeProcessor>(*this, cancel);
  };
}

void FakeProcessors::open_gate() {
  {
    const std::lock_guard lock(mutex_);
    gate_open_ = true;
  }
  gate_changed_.notify_all();
}

std::vector<std::string> FakeProcessors::order() const {
  const std::lock_guard lock(mutex_);
  return order_;
}

std::vector<answer_settings> FakeProcessors::settings() const {
  const std::lock_guard lock(mutex_);
  return settings_;
}

void FakeProcessors::record(const answer_settings& settings) {
  const std::lock_guard lock(mutex_);
  settings_.push_back(settings);
}

page_result FakeProcessors::process(const std::string& url, const std::atomic<bool>& cancel) {
  {
    const std::lock_guard lock(mutex_);
    order_.push_back(url);
  }
  ++started_;
  if (mode_ == fake_mode::throwing) {
    throw std::runtime_error("fake failure");
  }
  if (mode_ == fake_mode::gated) {
    // The server's cancel flag has no notification, so it is checked in short slices, the
    // way the real fetcher checks it; the overall wait is bounded so a broken test cannot hang.
    const auto deadline = clock::now() + 30s;
    std::unique_lock lock(mutex_);
    while (!gate_open_ && !cancel.load() && clock::now() < deadline) {
      gate_changed_.wait_for(lock, 5ms);
    }
    if (!gate_open_) {
      return page_result::failure(error_kind::shutting_down, shutting_down_message);
    }
  }
  return page_result{.words = {{"word", 1}}, .details = {.status = 200}};
}

server_options test_options() {
  server_options options;
  options.port = 0;
  options.workers = 2;
  options.grace = 10s;
  options.rate_interval = 1h;
  return options;
}

std::optional<server_summary> parse_summary(const std::string& err) {
  static const std::regex line(
      R"(summary: processed (\d+) \(ok (\d+), failed (\d+)\), rejected (\d+), dropped (\d+), )"
      R"(shutting down (\d+))");
  std::smatch match;
  if (!std::regex_search(err, match, line)) {
    return std::nullopt;
  }
  const auto number = [&match](std::size_t i) {
    return std::stoull(match[i].str());
  };
  return server_summary{.processed = number(1),
                        .ok = number(2),
                        .failed = number(3),
                        .rejected = number(4),
                        .dropped = number(5),
                        .shutting_down = number(6)};
}

std::string CapturedText::text(std::size_t from) const {
  const std::lock_guard lock(mutex_);
  return from < text_.size() ? text_.substr(from) : std::string();
}

std::size_t CapturedText::size() const {
  const std::lock_guard lock(mutex_);
  return text_.size();
}

std::streamsize CapturedText::xsputn(const char* data, std::streamsize count) {
  const std::lock_guard lock(mutex_);
  text_.append(data, static_cast<std::size_t>(count));
  return count;
}

CapturedText::int_type CapturedText::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) {
    return traits_type::not_eof(c);
  }
  const char byte = traits_type::to_char_type(c);
  xsputn(&byte, 1);
  return c;
}

RunningServer::RunningServer(const server_options& options, const processor_factory& factory,
                             crawl_policy policy)
    : server_(std::make_unique<server>(options, factory, out_, err_, policy)), thread_([this] {
        server_->run();
        finished_ = true;
      }) {}

RunningServer::~RunningServer() {
  server_->stop();
  thread_.join();
}

bool RunningServer::wait_finished(std::chrono::milliseconds timeout) {
  return eventually([this] { return finished_.load(); }, timeout);
}

std::optional<server_summary> RunningServer::finish(std::chrono::milliseconds timeout) {
  stop();
  if (!wait_finished(timeout)) {
    return std::nullopt;
  }
  return parse_summary(err());
}

std::size_t RunningServer::rate_lines() const {
  const std::string text = err();
  std::size_t count = 0;
  for (auto at = text.find("rate: "); at != std::string::npos; at = text.find("rate: ", at + 1)) {
    count += at == 0 || text[at - 1] == '\n' ? 1U : 0U;
  }
  return count;
}

bool RunningServer::rate_line_since(std::string_view ending, std::size_t since) const {
  // Rate lines end ", queue Q, clients C"; the newline keeps "clients 1" from matching
  // "clients 10".
  return err_text_.text(since).find(", " + std::string(ending) + "\n") != std::string::npos;
}

bool RunningServer::wait_for_rate_line(std::string_view ending,
                                       std::chrono::milliseconds timeout) const {
  const auto since = err_size();
  return eventually([&] { return rate_line_since(ending, since); }, timeout);
}

bool RunningServer::wait_for_clients(std::size_t clients, std::chrono::milliseconds timeout) const {
  return wait_for_rate_line("clients " + std::to_string(clients), timeout);
}

LineClient::LineClient(std::uint16_t port) : socket_(io_) {
  socket_.connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), port));
}

void LineClient::send(std::string_view bytes) {
  boost::asio::write(socket_, boost::asio::buffer(bytes));
}

void LineClient::start_send(std::string bytes) {
  outgoing_ = std::move(bytes);
  send_done_ = false;
  boost::asio::async_write(socket_, boost::asio::buffer(outgoing_),
                           [this](const boost::system::error_code& ec, std::size_t /*bytes*/) {
    send_done_ = true;
    send_error_ = ec;
  });
}

void LineClient::start_read() {
  if (read_pending_ || read_error_) {
    return;
  }
  read_pending_ = true;
  socket_.async_read_some(boost::asio::buffer(chunk_),
                          [this](const boost::system::error_code& ec, std::size_t bytes) {
    read_pending_ = false;
    if (ec) {
      read_error_ = ec;
      return;
    }
    input_.append(chunk_.data(), bytes);
  });
}

bool LineClient::run_one_until(clock::time_point deadline) {
  if (clock::now() >= deadline) {
    return false;
  }
  if (io_.stopped()) {
    io_.restart();
  }
  io_.run_one_until(deadline);
  return true;
}

std::optional<std::string> LineClient::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (true) {
    if (!read_pending_) {
      if (const auto newline = input_.find('\n', input_start_); newline != std::string::npos) {
        auto line = input_.substr(input_start_, newline - input_start_);
        input_start_ = newline + 1;
        return line;
      }
      // Drop what was returned only when no line is left, so each line costs O(1).
      input_.erase(0, input_start_);
      input_start_ = 0;
      if (read_error_) {
        return std::nullopt;
      }
    }
    start_read();
    if (!run_one_until(deadline)) {
      return std::nullopt;
    }
  }
}

std::vector<std::string> LineClient::read_lines(std::size_t count,
                                                std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  std::vector<std::string> lines;
  while (lines.size() < count) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    auto line = read_line(std::max(left, 0ms));
    if (!line) {
      break;
    }
    lines.push_back(std::move(*line));
  }
  return lines;
}

bool LineClient::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (!read_error_) {
    start_read();
    if (!run_one_until(deadline)) {
      return false;
    }
  }
  return true;
}

bool LineClient::run_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = clock::now() + timeout;
  while (!pred()) {
    // Short slices, so that a predicate on another thread's state is seen soon.
    if (!run_one_until(std::min(deadline, clock::now() + 5ms)) && clock::now() >= deadline) {
      return false;
    }
  }
  return true;
}

std::size_t LineClient::send_until_blocked(const std::string& chunk, std::size_t limit,
                                           std::chrono::milliseconds quiet_for) {
  socket_.non_blocking(true);
  std::size_t sent = 0;
  std::size_t offset = 0;
  while (sent < limit) {
    boost::system::error_code ec;
    const auto n =
        socket_.write_some(boost::asio::buffer(chunk.data() + offset, chunk.size() - offset), ec);
    if (ec == boost::asio::error::would_block) {
      pollfd ready{socket_.native_handle(), POLLOUT, 0};
      if (::poll(&ready, 1, static_cast<int>(quiet_for.count())) == 0) {
        break;  // no room for quiet_for: the peer has stopped reading
      }
      continue;
    }
    if (ec) {
      break;
    }
    sent += n;
    offset = (offset + n) % chunk.size();
  }
  socket_.non_blocking(false);
  return sent;
}

void LineClient::reset() {
  socket_.set_option(boost::asio::socket_base::linger(true, 0));
  socket_.close();
}

void LineClient::shutdown_send() {
  socket_.shutdown(tcp::socket::shutdown_send);
}

std::string url(std::size_t i) {
  return "http://example.com/" + std::to_string(i);
}

std::string url_lines(std::size_t first, std::size_t count) {
  std::string lines;
  for (std::size_t i = first; i < first + count; ++i) {
    lines += url(i);
    lines += '\n';
  }
  return lines;
}

server_options ServerTest::default_options() {
  auto options = test_options();
  options.rate_interval = 5ms;
  return options;
}

void ServerTest::start(fake_mode mode) {
  fakes_.emplace(mode);
  server_.emplace(options_, fakes_->factory());
}

RunningServer& ServerTest::server() {
  if (!server_) {
    throw std::logic_error("the test did not start() the server");
  }
  return *server_;
}

FakeProcessors& ServerTest::fakes() {
  if (!fakes_) {
    throw std::logic_error("the test did not start() the server");
  }
  return *fakes_;
}

}  // namespace wordcrawl::testing
