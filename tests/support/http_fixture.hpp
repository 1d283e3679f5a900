#pragma once

// A scripted HTTP/1.1 server on 127.0.0.1 for tests. It listens on an ephemeral port and runs
// on its own thread from construction to destruction. A test registers routes (a target such
// as "/page" and the response to give), points a client at url("/page"), then asserts on what
// the server saw: requests per route, TCP connections accepted (to prove keep-alive), peak
// concurrency per route and the last request headers. Unknown targets get a 404.
//
//   wordcrawl::testing::http_fixture server;
//   server.add_page("/hello", "<p>hello world</p>");
//   fetch(server.url("/hello"));
//   EXPECT_EQ(server.requests("/hello"), 1U);

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wordcrawl::testing {

/// One scripted response. Every member has a default, so a route names only what it changes:
/// http_route{.status = 410} or http_route{.pieces = {"<p>"}, .end = http_route::ending::hang}.
struct http_route {
  /// How the response ends once its pieces are written.
  enum class ending {
    complete,  // normally; the connection stays open for the next request (keep-alive)
    hang,      // the connection stays open and silent until the client gives up
    reset      // the connection is reset (RST), e.g. mid-body
  };

  unsigned status = 200;
  /// Header lines as given; Content-Length or Transfer-Encoding is added by the server.
  std::vector<std::pair<std::string, std::string>> headers{};
  /// The body, written piece by piece.
  std::vector<std::string> pieces{};
  /// Pause before each piece (an Asio timer, the server thread stays free).
  std::chrono::milliseconds piece_delay{0};
  ending end = ending::complete;
  /// Content-Length to advertise; by default the real size of the pieces.
  std::optional<std::uint64_t> content_length{};
  /// Send the body with chunked transfer coding instead of a Content-Length.
  bool chunked = false;
};

/// One request as the server saw it arrive.
struct request_arrival {
  std::string target;
  std::chrono::steady_clock::time_point at;
};

/// What the server saw of one route.
struct route_stats {
  std::size_t requests = 0;       // requests received
  std::size_t max_in_flight = 0;  // most responses in progress at once
  std::vector<std::pair<std::string, std::string>> last_headers;  // of the latest request
};

class http_fixture {
 public:
  /// Starts listening on address (a loopback one: 127.0.0.2 is another host to the server
  /// under test), port chosen by the kernel.
  explicit http_fixture(std::string address = "127.0.0.1");
  /// Stops the server thread and closes every connection.
  ~http_fixture();
  http_fixture(const http_fixture&) = delete;
  http_fixture& operator=(const http_fixture&) = delete;
  http_fixture(http_fixture&&) = delete;
  http_fixture& operator=(http_fixture&&) = delete;

  /// The listening port.
  std::uint16_t port() const;
  /// "http://<address>:<port><target>".
  std::string url(std::string_view target) const;
  /// "http://<host>:<port><target>" (e.g. host "127.0.0.2": another loopback address).
  std::string url_on(std::string_view host, std::string_view target) const;

  /// Registers (or replaces) the response for target.
  void add(const std::string& target, http_route route);
  /// A complete page with the given body, content type and status.
  void add_page(const std::string& target, std::string body,
                std::string content_type = "text/html; charset=utf-8", unsigned status = 200);
  /// A redirect to location.
  void add_redirect(const std::string& target, std::string location, unsigned status = 302);

  /// What the server saw of target so far.
  route_stats stats(const std::string& target) const;
  /// Every request received so far, all targets, in order of arrival.
  std::vector<request_arrival> arrivals() const;
  /// Requests received for target.
  std::size_t requests(const std::string& target) const;
  /// TCP connections accepted so far.
  std::size_t connections() const;
  /// The value of header name in the latest request for target, or empty.
  std::string last_header(const std::string& target, std::string_view name) const;
  /// Waits until target has received at least count requests; false at timeout.
  bool wait_for_requests(const std::string& target, std::size_t count,
                         std::chrono::milliseconds timeout) const;

  struct state;

 private:
  std::unique_ptr<state> state_;
};

/// data compressed in gzip format (for a route with Content-Encoding: gzip).
std::string gzip(std::string_view data);

}  // namespace wordcrawl::testing
