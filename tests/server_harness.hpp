#pragma once

// In-process server, fake processors and a raw loopback line client for the server tests, and
// ServerTest, the fixture that puts them together.

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <streambuf>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "fetch/url_processor.hpp"
#include "network/server.hpp"
#include "server_options.hpp"
#include "support/eventually.hpp"

namespace wordcrawl::testing {

using namespace std::chrono_literals;

/// How the fake processors answer.
enum class fake_mode {
  instant,   // words at once
  gated,     // wait until the gate opens (or cancel), then words
  throwing,  // throw from process()
};

/// State shared by every fake processor of one server: what they saw and a gate to hold them.
class FakeProcessors {
 public:
  explicit FakeProcessors(fake_mode mode = fake_mode::instant);

  /// The factory to give to the server.
  processor_factory factory();
  /// Lets every held and future process() call finish.
  void open_gate();
  /// process() calls started so far.
  int started() const { return started_.load(); }
  /// URLs in the order processing started.
  std::vector<std::string> order() const;
  /// The settings each URL was processed with, in the same order.
  std::vector<answer_settings> settings() const;
  /// Records the settings of the URL about to be processed.
  void record(const answer_settings& settings);

  /// What a fake processor does with one URL.
  page_result process(const std::string& url, const std::atomic<bool>& cancel);

 private:
  fake_mode mode_;
  std::atomic<int> started_{0};
  mutable std::mutex mutex_;
  std::condition_variable gate_changed_;
  bool gate_open_ = false;
  std::vector<std::string> order_;
  std::vector<answer_settings> settings_;
};

/// Options for a test server: loopback, a free port, two workers, no rate lines.
server_options test_options();

/// The counters of the summary line a server writes when run() returns.
struct server_summary {
  std::uint64_t processed = 0;
  std::uint64_t ok = 0;
  std::uint64_t failed = 0;
  std::uint64_t rejected = 0;
  std::uint64_t dropped = 0;
  std::uint64_t shutting_down = 0;
};

/// The counters of the summary line in a server's error output, or nullopt if it has none.
std::optional<server_summary> parse_summary(const std::string& err);

/// A stream buffer that keeps what is written, readable from any thread while the server
/// writes: a test watches the output of a running server without a data race.
class CapturedText : public std::streambuf {
 public:
  /// What was written, from byte offset from on.
  std::string text(std::size_t from = 0) const;
  /// Bytes written so far.
  std::size_t size() const;

 protected:
  std::streamsize xsputn(const char* data, std::streamsize count) override;
  int_type overflow(int_type c) override;

 private:
  mutable std::mutex mutex_;
  std::string text_;
};

/// A server running run() on its own thread; stopped and joined on destruction.
class RunningServer {
 public:
  RunningServer(const server_options& options, const processor_factory& factory,
                crawl_policy policy = {});
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;
  RunningServer(RunningServer&&) = delete;
  RunningServer& operator=(RunningServer&&) = delete;
  ~RunningServer();

  /// The bound port.
  std::uint16_t port() const { return server_->local_endpoint().port(); }
  /// The server itself.
  server& get() { return *server_; }
  /// Asks for a stop.
  void stop() { server_->stop(); }
  /// Waits up to timeout for run() to return; true if it did.
  bool wait_finished(std::chrono::milliseconds timeout = 20s);
  /// Stops the server and waits for run() to return; the counters of its summary line, or
  /// nullopt if it did not finish in time or wrote no summary.
  std::optional<server_summary> finish(std::chrono::milliseconds timeout = 20s);
  /// What the server wrote to its output and error streams so far.
  std::string out() const { return out_text_.text(); }
  std::string err() const { return err_text_.text(); }
  /// Bytes written to the error stream so far: a mark for rate_line_since().
  std::size_t err_size() const { return err_text_.size(); }
  /// Rate lines written so far.
  std::size_t rate_lines() const;
  /// True if a rate line written after the first since bytes of the error stream (an earlier
  /// err_size()) ends with ending, such as "clients 0" or "queue 0, clients 1".
  bool rate_line_since(std::string_view ending, std::size_t since) const;
  /// Waits until a rate line written after the call ends with ending. Needs a short
  /// rate_interval: test_options() writes no rate lines.
  bool wait_for_rate_line(std::string_view ending, std::chrono::milliseconds timeout = 10s) const;
  /// Waits until a rate line written after the call reports clients open connections.
  bool wait_for_clients(std::size_t clients, std::chrono::milliseconds timeout = 10s) const;

 private:
  CapturedText out_text_;
  CapturedText err_text_;
  std::ostream out_{&out_text_};
  std::ostream err_{&err_text_};
  std::unique_ptr<server> server_;
  std::atomic<bool> finished_{false};
  std::thread thread_;
};

/// A client on its own io_context, driven from the calling thread with deadlines.
class LineClient {
 public:
  /// Connects to 127.0.0.1:port; throws on failure.
  explicit LineClient(std::uint16_t port);

  /// Writes every byte, blocking.
  void send(std::string_view bytes);
  /// Starts writing bytes in the background; it progresses while read_line() or run_for() run.
  void start_send(std::string bytes);
  /// True once the background write ended; send_error() tells how.
  bool send_done() const { return send_done_; }
  boost::system::error_code send_error() const { return send_error_; }
  /// The next line without its "\n", or nullopt on timeout or end of stream.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 10s);
  /// Up to count lines; fewer if the deadline passes or the stream ends.
  std::vector<std::string> read_lines(std::size_t count, std::chrono::milliseconds timeout = 20s);
  /// Reads until the server closes the connection; true if it did within timeout. Lines
  /// received meanwhile stay available to read_line().
  bool wait_closed(std::chrono::milliseconds timeout = 10s);
  /// Runs background work (start_send) until pred holds or timeout passes.
  bool run_until(const std::function<bool()>& pred, std::chrono::milliseconds timeout);
  /// Sends copies of chunk without blocking until the server stops taking bytes (no room for
  /// quiet_for) or limit bytes went out; returns the bytes sent.
  std::size_t send_until_blocked(const std::string& chunk, std::size_t limit,
                                 std::chrono::milliseconds quiet_for = 500ms);
  /// Closes with a reset, as a crashed client would.
  void reset();
  /// Signals the end of input (half close).
  void shutdown_send();

 private:
  void start_read();
  bool run_one_until(std::chrono::steady_clock::time_point deadline);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
  std::array<char, 65536> chunk_{};
  std::string input_;
  std::size_t input_start_ = 0;  // input_ before this was already returned
  bool read_pending_ = false;
  boost::system::error_code read_error_;
  std::string outgoing_;
  bool send_done_ = false;
  boost::system::error_code send_error_;
};

/// "http://example.com/<i>\n" for i in [first, first + count).
std::string url_lines(std::size_t first, std::size_t count);
/// "http://example.com/<i>".
std::string url(std::size_t i);

/// Fake processors behind a server on loopback. A test adjusts options_, then start()s the
/// server with the way the fakes answer, and connect()s as many clients as its scenario needs.
class ServerTest : public ::testing::Test {
 protected:
  /// Starts the server on options_; its processors answer as mode says.
  void start(fake_mode mode = fake_mode::instant);
  /// A new client connection to the started server.
  LineClient connect() { return LineClient(server().port()); }
  /// The started server and its processors.
  RunningServer& server();
  FakeProcessors& fakes();

  server_options options_ = default_options();

 private:
  // test_options() with a rate line every 5 ms: the tests see the open clients in them, as an
  // operator does.
  static server_options default_options();

  // Declared first, destroyed last: the server's workers call the fakes until it is joined.
  std::optional<FakeProcessors> fakes_;
  std::optional<RunningServer> server_;
};

}  // namespace wordcrawl::testing
