#pragma once

// A line server on 127.0.0.1 (port chosen by the system) standing in for the wordcrawl server
// in client tests. It answers each line with a canned reply and has knobs to misbehave:
// hold replies until released (then in either order), drop connections after some lines,
// close every connection, refuse new ones. Runs its own I/O thread; all methods are
// thread-safe, and every wait is bounded by a deadline.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace wordcrawl::testing {

class fake_line_server {
 public:
  /// Makes the reply line ("\n" included) for a received URL line.
  using reply_function = std::function<std::string(const std::string& url)>;

  /// The reply sent unless set_reply() says otherwise: words {"w": 10, "x": 5}.
  static std::string default_reply(const std::string& url);

  fake_line_server();
  ~fake_line_server();
  fake_line_server(const fake_line_server&) = delete;
  fake_line_server& operator=(const fake_line_server&) = delete;
  fake_line_server(fake_line_server&&) = delete;
  fake_line_server& operator=(fake_line_server&&) = delete;

  /// The listening port.
  std::uint16_t port() const;

  /// Replaces the reply function for lines received from now on.
  void set_reply(reply_function reply);

  /// Replies to lines received from now on wait for release_held() or stop_holding().
  void hold_replies();

  /// Sends up to count held replies, newest first or oldest first; the rest stay held.
  void release_held(std::size_t count, bool newest_first);

  /// Sends every held reply (oldest first) and replies at once from now on.
  void stop_holding();

  /// The next `connections` connections are closed, unanswered, on reading their lines-th line.
  void drop_connections_after(std::size_t lines, std::size_t connections = 1);

  /// From now on, dropping a connection for drop_connections_after() also stops listening, as
  /// refuse() does: a server that dies mid-stream and stays down.
  void refuse_after_drop();

  /// Closes every open connection once the replies already sent are written.
  void close_connections();

  /// Stops listening: later connection attempts are refused.
  void refuse();

  /// Non-blank lines received on all connections.
  std::size_t lines_received() const;

  /// Connections accepted so far.
  std::size_t connections() const;

  /// The lines received, per connection in the order the connections were accepted.
  std::vector<std::vector<std::string>> lines_by_connection() const;

  /// The most lines one connection ever had received and not yet answered.
  std::size_t max_outstanding() const;

  /// Waits until at least count lines were received; false on timeout.
  bool wait_for_lines(std::size_t count,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;

 private:
  struct impl;
  class session;
  std::unique_ptr<impl> impl_;
};

}  // namespace wordcrawl::testing
