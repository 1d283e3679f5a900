// The server under conditions it does not control: its own output blocked, clients that send
// nothing useful, signals, and too few file descriptors.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <poll.h>
#include <sstream>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/buffer.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <sys/socket.h>

#include "dispatch/progress_log.hpp"
#include "dispatch/reply_budget.hpp"
#include "fetch/url_processor.hpp"
#include "network/fd_limit.hpp"
#include "network/server.hpp"
#include "server_harness.hpp"
#include "server_options.hpp"
#include "support/child_process.hpp"
#include "support/http_fixture.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using steady = std::chrono::steady_clock;

// These tests keep their own small server and client helpers (they wait with the harness's
// eventually()) so that they need no more of the harness than that.

// Processors that answer at once, or only once the gate opens (or the server cancels).
class Fakes {
 public:
  explicit Fakes(bool gated = false) : gated_(gated) {}
  // Every answer carries these words instead of one.
  void answer_with(std::vector<word_count> words) { words_ = std::move(words); }

  processor_factory factory() {
    return [this](const std::atomic<bool>& cancel) {
      return std::make_unique<Processor>(*this, cancel);
    };
  }
  void open_gate() {
    {
      const std::lock_guard lock(mutex_);
      open_ = true;
    }
    changed_.notify_all();
  }
  int started() const { return started_.load(); }

 private:
  class Processor final : public url_processor {
   public:
    Processor(Fakes& fakes, const std::atomic<bool>& cancel) : fakes_(fakes), cancel_(cancel) {}
    page_result process(const std::string& /*url*/) override {
      ++fakes_.started_;
      if (fakes_.gated_) {
        // The cancel flag has no notification: it is looked at in short slices, boundedly.
        const auto deadline = steady::now() + 30s;
        std::unique_lock lock(fakes_.mutex_);
        while (!fakes_.open_ && !cancel_.load() && steady::now() < deadline) {
          fakes_.changed_.wait_for(lock, 5ms);
        }
      }
      if (!fakes_.words_.empty()) {
        return page_result{.words = fakes_.words_, .details = {.status = 200}};
      }
      return page_result{.words = {{"word", 1}}, .details = {.status = 200}};
    }

   private:
    Fakes& fakes_;
    const std::atomic<bool>& cancel_;
  };

  bool gated_;
  std::atomic<int> started_{0};
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;
  std::vector<word_count> words_;
};

// Loopback, a free port, two workers, no rate lines.
server_options quiet_options() {
  server_options options;
  options.port = 0;
  options.workers = 2;
  options.rate_interval = 1h;
  return options;
}

// A server running on its own thread, writing to the given streams; stopped on destruction.
class ServerThread {
 public:
  ServerThread(const server_options& options, const processor_factory& factory, std::ostream& out,
               std::ostream& err)
      : server_(std::make_unique<server>(options, factory, out, err)), thread_([this] {
          server_->run();
          finished_ = true;
        }) {}
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;
  ServerThread(ServerThread&&) = delete;
  ServerThread& operator=(ServerThread&&) = delete;
  ~ServerThread() { stop_and_join(); }

  std::uint16_t port() const { return server_->local_endpoint().port(); }
  server& get() { return *server_; }
  bool wait_finished(std::chrono::milliseconds timeout = 20s) {
    return eventually([this] { return finished_.load(); }, timeout);
  }
  void stop_and_join() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }

 private:
  std::unique_ptr<server> server_;
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

// A blocking loopback client whose reads have deadlines.
class Client {
 public:
  // receive_buffer: SO_RCVBUF set before connecting (0: the kernel's default).
  explicit Client(std::uint16_t port, int receive_buffer = 0) : socket_(io_) {
    socket_.open(tcp::v4());
    if (receive_buffer > 0) {
      socket_.set_option(boost::asio::socket_base::receive_buffer_size(receive_buffer));
    }
    socket_.connect(tcp::endpoint(boost::asio::ip::address_v4::loopback(), port));
  }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Client(Client&&) = delete;
  Client& operator=(Client&&) = delete;
  ~Client() {
    if (sender_.joinable()) {
      sender_.join();
    }
  }

  // Writes every byte; false if the server closed first.
  bool send(std::string_view bytes) {
    boost::system::error_code ec;
    boost::asio::write(socket_, boost::asio::buffer(bytes), ec);
    return !ec;
  }
  // Writes bytes from a thread of its own, so that replies can be read meanwhile.
  void send_in_background(std::string bytes) {
    sender_ = std::thread([this, data = std::move(bytes)] { send(data); });
  }
  // The next line without "\n", or nullopt on timeout or end of stream.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 10s) {
    const auto deadline = steady::now() + timeout;
    while (true) {
      if (const auto newline = input_.find('\n', start_); newline != std::string::npos) {
        auto line = input_.substr(start_, newline - start_);
        start_ = newline + 1;
        return line;
      }
      input_.erase(0, start_);
      start_ = 0;
      if (!fill(deadline)) {
        return std::nullopt;
      }
    }
  }
  std::size_t count_lines(std::size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = steady::now() + timeout;
    std::size_t lines = 0;
    while (lines < count && read_line(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::max(deadline - steady::now(), steady::duration::zero())))) {
      ++lines;
    }
    return lines;
  }
  // True if the server closes the connection within timeout (lines meanwhile are kept).
  bool wait_closed(std::chrono::milliseconds timeout) {
    const auto deadline = steady::now() + timeout;
    while (!closed_) {
      if (!fill(deadline) && !closed_) {
        return false;
      }
    }
    return true;
  }

 private:
  // Reads what arrives before deadline; false on timeout or end of stream.
  bool fill(steady::time_point deadline) {
    if (closed_) {
      return false;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - steady::now());
    pollfd ready{socket_.native_handle(), POLLIN, 0};
    if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) {
      return false;
    }
    std::array<char, 65536> chunk{};
    boost::system::error_code ec;
    const auto n = socket_.read_some(boost::asio::buffer(chunk), ec);
    if (ec) {
      closed_ = true;
      return false;
    }
    input_.append(chunk.data(), n);
    return true;
  }

  boost::asio::io_context io_;
  tcp::socket socket_;
  std::string input_;
  std::size_t start_ = 0;
  bool closed_ = false;
  std::thread sender_;
};

std::string url_lines(std::size_t first, std::size_t count) {
  std::string lines;
  for (std::size_t i = first; i < first + count; ++i) {
    lines += "http://example.com/" + std::to_string(i) + "\n";
  }
  return lines;
}

// A stream buffer that takes nothing until released, like a pipe nobody reads.
class BlockedBuffer final : public std::streambuf {
 public:
  void release() {
    {
      const std::lock_guard lock(mutex_);
      released_ = true;
    }
    changed_.notify_all();
  }
  std::string text() const {
    const std::lock_guard lock(mutex_);
    return text_;
  }
  bool writer_waiting() const {
    const std::lock_guard lock(mutex_);
    return waiting_;
  }

 protected:
  int_type overflow(int_type c) override {
    if (traits_type::eq_int_type(c, traits_type::eof())) {
      return traits_type::not_eof(c);
    }
    const char ch = traits_type::to_char_type(c);
    xsputn(&ch, 1);
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::unique_lock lock(mutex_);
    waiting_ = true;
    changed_.wait(lock, [this] { return released_; });
    text_.append(s, static_cast<std::size_t>(n));
    return n;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool released_ = false;
  bool waiting_ = false;
  std::string text_;
};

std::size_t count_of(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// The N of every "(N progress lines skipped: output too slow)" line, added up.
std::size_t skipped_progress_lines(const std::string& text) {
  std::size_t total = 0;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(" progress lines skipped: output too slow)") != std::string::npos) {
      total += std::stoul(line.substr(1));
    }
  }
  return total;
}

// --- a full stdout must not freeze the server ---

TEST(BlockedOutputTest, ServingGoesOnWhileStdoutTakesNothing) {
  BlockedBuffer blocked;
  std::ostream out(&blocked);
  std::ostringstream err;
  Fakes fakes;
  constexpr std::size_t urls = 4000;
  {
    ServerThread srv(quiet_options(), fakes.factory(), out, err);
    {
      Client client(srv.port());
      client.send_in_background(url_lines(0, urls));
      EXPECT_EQ(client.count_lines(urls, 30s), urls);
      EXPECT_TRUE(blocked.writer_waiting());
    }
    blocked.release();
    srv.stop_and_join();
  }
  // Every processed URL is either printed or counted in a "skipped" line.
  const auto text = blocked.text();
  const auto printed = count_of(text, "processed ");
  EXPECT_LT(printed, urls);
  EXPECT_EQ(printed + skipped_progress_lines(text), urls) << text.substr(0, 200);
}

TEST(BlockedOutputTest, ProgressLogSaysHowManyLinesItSkipped) {
  BlockedBuffer blocked;
  std::ostream out(&blocked);
  std::ostringstream err;
  {
    progress_log log(out, err, 4);
    for (int i = 0; i < 100; ++i) {
      log.record_processed(page_result{});
    }
    EXPECT_EQ(log.snapshot().processed, 100U);
    blocked.release();
    log.flush();
    log.record_processed(page_result{});
  }
  const auto text = blocked.text();
  EXPECT_EQ(count_of(text, "processed ") + skipped_progress_lines(text), 101U) << text;
  EXPECT_NE(text.find("processed 101 (ok 101, failed 0)\n"), std::string::npos) << text;
  EXPECT_NE(text.find(" progress lines skipped: output too slow)\n"), std::string::npos) << text;
}

TEST(BlockedOutputTest, BannerAndSummaryAreNeverSkipped) {
  BlockedBuffer blocked;
  std::ostream out(&blocked);
  std::ostringstream err;
  progress_log log(out, err, 2);
  for (int i = 0; i < 10; ++i) {
    log.record_processed(page_result{});
  }
  log.write_line("listening on 127.0.0.1:1");
  blocked.release();
  log.write_summary();
  EXPECT_NE(blocked.text().find("listening on 127.0.0.1:1\n"), std::string::npos);
  EXPECT_NE(err.str().find("summary: processed 10 (ok 10, failed 0)"), std::string::npos);
}

// --- blank lines are not activity ---

TEST(IdleTest, BlankLinesDoNotKeepAConnectionOpen) {
  std::ostringstream out;
  std::ostringstream err;
  Fakes fakes;
  auto options = quiet_options();
  options.limits.idle_timeout = 300ms;
  ServerThread srv(options, fakes.factory(), out, err);
  Client client(srv.port());
  bool closed = false;
  // A blank line every 100 ms for at most 3 s; the server must close within its timeout.
  for (int i = 0; i < 30 && !closed; ++i) {
    client.send("\n");
    closed = client.wait_closed(100ms);
  }
  EXPECT_TRUE(closed);
}

TEST(IdleTest, UrlLinesStillKeepAConnectionOpen) {
  std::ostringstream out;
  std::ostringstream err;
  Fakes fakes;
  auto options = quiet_options();
  options.limits.idle_timeout = 300ms;
  ServerThread srv(options, fakes.factory(), out, err);
  Client client(srv.port());
  for (std::size_t i = 0; i < 10; ++i) {
    ASSERT_TRUE(client.send(url_lines(i, 1)));
    ASSERT_TRUE(client.read_line()) << "closed after " << i << " URLs";
    ASSERT_FALSE(client.wait_closed(100ms));
  }
}

// --- SIGHUP is a graceful stop ---

TEST(SignalTest, SighupStopsGracefullyAndAnswersTheUrlInFlight) {
  std::ostringstream out;
  std::ostringstream err;
  Fakes fakes(true);
  auto options = quiet_options();
  options.handle_signals = true;
  ServerThread srv(options, fakes.factory(), out, err);
  Client client(srv.port());
  ASSERT_TRUE(client.send(url_lines(0, 1)));
  ASSERT_TRUE(eventually([&] { return fakes.started() == 1; }));
  ASSERT_EQ(::raise(SIGHUP), 0);
  // The stop has begun once new connections are refused.
  const auto port = srv.port();
  ASSERT_TRUE(eventually([&] {
    try {
      const Client probe(port);
      return false;
    } catch (const std::exception&) {
      return true;
    }
  }));
  fakes.open_gate();
  const auto answer = client.read_line();
  ASSERT_TRUE(answer);
  EXPECT_NE(answer->find("\"word\""), std::string::npos) << *answer;
  EXPECT_TRUE(client.wait_closed(10s));
  EXPECT_TRUE(srv.wait_finished());
}

// --- running out of file descriptors ---

TEST(FdLimitTest, ClientsFittingTheLimitLeaveRoomForWorkers) {
  EXPECT_EQ(clients_for_fd_limit(1024, 8), 1024U - fixed_fds - 8 * fds_per_worker);
  EXPECT_EQ(clients_for_fd_limit(10, 8), 1U);
  EXPECT_GT(raise_fd_limit(), 0U);
}

constexpr std::string_view busy_reply =
    R"({"error":"server busy: too many clients","kind":"busy"})";

// The server binary under "ulimit -n fds", listening on a free port of 127.0.0.1.
class LimitedServer {
 public:
  LimitedServer(int fds, const std::vector<std::string>& extra) {
    std::vector<std::string> args{"-c",
                                  "ulimit -n " + std::to_string(fds) + R"( && exec "$0" "$@")",
                                  WORDCRAWL_SERVER_BIN,
                                  "--port",
                                  "0",
                                  "--workers",
                                  "2",
                                  "--allow-private",
                                  "127.0.0.1/32",
                                  "--rate-interval",
                                  "3600"};
    args.insert(args.end(), extra.begin(), extra.end());
    process_.emplace("/bin/sh", args);
    const std::string prefix = "listening on 127.0.0.1:";
    // Output before the banner (none is expected) is skipped, boundedly.
    for (int i = 0; i < 5 && port_ == 0; ++i) {
      const auto line = process_->read_line(10s);
      if (!line) {
        break;
      }
      if (line->rfind(prefix, 0) == 0) {
        port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
      }
    }
    if (port_ == 0) {
      throw std::runtime_error("server did not start: " + process_->stderr_text());
    }
  }
  std::uint16_t port() const { return port_; }
  child_process& process() { return *process_; }

 private:
  std::optional<child_process> process_;
  std::uint16_t port_ = 0;
};

// Opens count connections at once, each sending one line; every one must get a reply: the
// answer, or the busy line. Returns how many were served.
std::size_t served_or_refused(std::uint16_t port, std::size_t count, const std::string& line,
                              const std::string& expected_in_answer) {
  std::vector<std::unique_ptr<Client>> clients;
  clients.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    clients.push_back(std::make_unique<Client>(port));
  }
  std::size_t served = 0;
  for (std::size_t i = 0; i < count; ++i) {
    // A refused client may already be closed; that is no failure here.
    clients[i]->send(line + "\n");
    const auto reply = clients[i]->read_line(20s);
    EXPECT_TRUE(reply) << "connection " << i << " got no reply";
    if (!reply) {
      continue;
    }
    if (*reply == busy_reply) {
      continue;
    }
    EXPECT_NE(reply->find(expected_in_answer), std::string::npos) << *reply;
    ++served;
  }
  return served;
}

TEST(FdLimitTest, ExplicitClientLimitOverTheFdLimitStillAnswersEveryConnection) {
#ifdef __SANITIZE_ADDRESS__
  // UBSan's vptr check probes memory through a pipe: in a process out of descriptors it
  // reports objects as invalid that are not. The release and TSan builds run this test.
  GTEST_SKIP() << "needs descriptors the sanitizer runtime takes";
#endif
  LimitedServer srv(64, {"--max-clients", "1000"});
  const auto served = served_or_refused(srv.port(), 150, "ftp://example.com/", "unsupported");
  EXPECT_GT(served, 0U);
  EXPECT_LT(served, 64U);
  // Once those are gone (the server may take a moment to see them close), it serves again.
  std::string reply;
  EXPECT_TRUE(eventually([&] {
    Client again(srv.port());
    again.send("ftp://example.com/\n");
    reply = again.read_line(20s).value_or("");
    return reply.find("unsupported") != std::string::npos;
  })) << reply;
  srv.process().send_signal(SIGTERM);
  EXPECT_EQ(srv.process().wait(20s), 0);
}

TEST(FdLimitTest, DefaultClientLimitLeavesDescriptorsForFetches) {
  http_fixture web;
  web.add_page("/p", "<p>enough descriptors</p>");
  LimitedServer srv(128, {});
  const auto served = served_or_refused(srv.port(), 150, web.url("/p"), "\"descriptors\"");
  EXPECT_EQ(served, clients_for_fd_limit(128, 2));
  srv.process().send_signal(SIGTERM);
  EXPECT_EQ(srv.process().wait(20s), 0);
  EXPECT_NE(srv.process().stderr_text().find("serving at most 80 clients"), std::string::npos)
      << srv.process().stderr_text();
}

// --- the memory of unsent replies is bounded for all clients together ---

// About 600 KB once encoded, as a page of long words gives.
std::vector<word_count> long_words() {
  std::vector<word_count> words;
  for (std::size_t i = 0; i < 5000; ++i) {
    words.push_back({std::string(100, 'a') + std::to_string(i), 1});
  }
  return words;
}

// A client that never reads, with a small receive buffer so the kernel absorbs little.
std::unique_ptr<Client> non_reading_client(std::uint16_t port) {
  return std::make_unique<Client>(port, 4096);
}

TEST(ReplyBudgetTest, ClientsThatDoNotReadHoldNoMoreThanTheBudget) {
  std::ostringstream out;
  std::ostringstream err;
  Fakes fakes;
  fakes.answer_with(long_words());
  auto options = quiet_options();
  options.max_unsent_bytes = std::size_t{8} << 20;
  options.limits.write_timeout = 60s;  // the non-readers stay connected for the whole test
  ServerThread srv(options, fakes.factory(), out, err);
  std::vector<std::unique_ptr<Client>> stuck;
  for (std::size_t i = 0; i < 3; ++i) {
    stuck.push_back(non_reading_client(srv.port()));
    ASSERT_TRUE(stuck.back()->send(url_lines(i * 100, 64)));
  }
  ASSERT_TRUE(eventually([&] { return fakes.started() >= 6; }));
  // While they hold their replies unread, a client that reads is served at once: their queued
  // URLs are not started, so they cannot fill the budget everyone shares.
  Client reader(srv.port());
  ASSERT_TRUE(reader.send(url_lines(1000, 1)));
  const auto answer = reader.read_line(20s);
  ASSERT_TRUE(answer);
  EXPECT_NE(answer->find("http://example.com/1000"), std::string::npos);
  // Of their 192 URLs, only what their unsent-reply cap and the kernel's socket buffers held
  // was fetched (without the pause, all of them: 64 in flight per connection).
  EXPECT_LT(fakes.started(), 96);
  EXPECT_LE(srv.get().reply_bytes_peak(), options.max_unsent_bytes);
  // What they held is given back when they go.
  stuck.clear();
  EXPECT_TRUE(eventually([&] { return srv.get().reply_bytes_held() == 0; }, 20s));
}

TEST(ReplyBudgetTest, ASmallBudgetStillAnswersEveryUrlOnce) {
  std::ostringstream out;
  std::ostringstream err;
  Fakes fakes;
  fakes.answer_with(long_words());
  auto options = quiet_options();
  options.max_unsent_bytes = std::size_t{3} << 20;
  ServerThread srv(options, fakes.factory(), out, err);
  Client first(srv.port());
  Client second(srv.port());
  first.send_in_background(url_lines(0, 20));
  second.send_in_background(url_lines(100, 20));
  // Both are read in turns: a client left unread would hold the budget.
  std::vector<std::string> answers;
  const auto deadline = steady::now() + 60s;
  while (answers.size() < 40 && steady::now() < deadline) {
    for (auto* client : {&first, &second}) {
      if (auto line = client->read_line(20ms)) {
        answers.push_back(line->substr(0, line->find(',')));
      }
    }
  }
  std::sort(answers.begin(), answers.end());
  EXPECT_EQ(std::adjacent_find(answers.begin(), answers.end()), answers.end());
  EXPECT_EQ(answers.size(), 40U);
  EXPECT_EQ(fakes.started(), 40);
  EXPECT_LE(srv.get().reply_bytes_peak(), options.max_unsent_bytes);
  EXPECT_FALSE(first.wait_closed(50ms));
}

}  // namespace
}  // namespace wordcrawl::testing
