#pragma once

// Fetches one page at a time with libcurl and hands its body to a body_sink while it streams
// in. Each worker thread owns one page_fetcher and reuses it for every URL, so its easy handle
// keeps connections alive between pages. Every limit below is enforced here, not trusted to
// the peer: see docs/fetching.md.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <curl/curl.h>

#include "fetch/address_filter.hpp"
#include "fetch/body_sink.hpp"
#include "fetch/curl_share_state.hpp"
#include "wordcrawl/defaults.hpp"
#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// The integer type of libcurl's options and infos.
using curl_long = long;  // NOLINT(google-runtime-int): libcurl's ABI fixes the type

/// Limits and policy of every fetch; each field is a server option.
struct fetch_options {
  /// DNS, TCP and TLS setup of one connection.
  std::chrono::milliseconds connect_timeout{10000};
  /// Everything for one URL: every attempt, redirect and retry wait.
  std::chrono::milliseconds total_timeout{30000};
  /// A transfer slower than low_speed_limit bytes/s for low_speed_time is aborted (0 = off).
  curl_long low_speed_limit = 1024;
  /// See low_speed_limit.
  std::chrono::seconds low_speed_time{15};
  /// Largest decoded body; a larger one is an error, not a truncated count.
  std::size_t max_body = std::size_t{8} << 20;
  /// Redirects followed per attempt.
  curl_long max_redirects = 10;
  /// Extra attempts after a transient failure (connection, timeout, 408, 429, 5xx).
  int retries = 2;
  /// Sent as User-Agent; must not contain CR or LF.
  std::string user_agent = std::string("wordcrawl/") + version;
  /// Which peer addresses may be connected to.
  address_filter filter;
  /// PEM file of the CA certificates to trust instead of the system's (empty: the system's).
  std::string ca_bundle;
  /// Wait before retry n (0-based) is retry_backoff * 2^n unless the server sent Retry-After.
  std::chrono::milliseconds retry_backoff{1000};
  /// A server's Retry-After is honoured up to this long.
  std::chrono::seconds max_retry_after{10};
  /// Obey each origin's robots.txt (--robots obey|ignore).
  bool obey_robots = true;
  /// How long an origin's robots.txt verdict is kept (--robots-ttl).
  std::chrono::seconds robots_ttl{3600};
  /// The least gap between two requests to one host, all workers together (--delay).
  std::chrono::milliseconds delay{0};
  /// A robots.txt Crawl-delay is honoured up to this long (--max-crawl-delay; 0: ignored).
  std::chrono::milliseconds max_crawl_delay{10000};
};

/// The product token robots.txt groups are matched against: the User-Agent up to its first
/// '/' or space ("wordcrawl" for "wordcrawl/1.2").
std::string robots_agent_token(std::string_view user_agent);

class page_fetcher {
 public:
  /// options are copied; shared and cancel must outlive the fetcher. Throws
  /// std::invalid_argument for an unusable option and std::runtime_error if libcurl fails.
  page_fetcher(fetch_options options, curl_share_state& shared, const std::atomic<bool>& cancel);
  ~page_fetcher();
  page_fetcher(const page_fetcher&) = delete;
  page_fetcher& operator=(const page_fetcher&) = delete;
  page_fetcher(page_fetcher&&) = delete;
  page_fetcher& operator=(page_fetcher&&) = delete;

  /// Fetches url into sink and returns what the fetch learnt, or why it failed (words stay
  /// empty: they are the sink's). Never throws for anything a URL or a server can cause;
  /// fails with shutting_down once cancel is set.
  page_result fetch(const std::string& url, body_sink& sink);
  /// The same with the deadline of a larger task (a URL whose robots.txt came first).
  page_result fetch(const std::string& url, body_sink& sink,
                    std::chrono::steady_clock::time_point deadline);

  /// True if the last fetch's last attempt connected to its peer (so a failure came after
  /// the peer was reached: a timeout or broken transfer, not DNS or connect).
  bool reached_peer() const;

  /// The options the fetcher was made with.
  const fetch_options& options() const { return options_; }

  /// A header of the response being received (the last of a redirect chain), "" if it has
  /// none; for the sink's begin().
  std::string response_header(const char* name) const;

 private:
  struct easy_deleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
  };

  /// What one attempt learnt; reset before each attempt.
  struct attempt_state {
    bool body_started = false;        // status and content type checked
    std::uint64_t bytes = 0;          // decoded body bytes accepted
    curl_long status = 0;             // HTTP status seen by the body check
    std::optional<page_error> abort;  // why a callback stopped the transfer
    std::string blocked;              // address refused when opening a socket
  };

  /// How an attempt ended.
  struct attempt_result {
    std::optional<page_error> error;  // none: the attempt succeeded
    bool retryable = false;
    std::chrono::seconds retry_after{0};
  };

  void configure();
  attempt_result attempt(const std::string& url, std::chrono::steady_clock::time_point deadline);
  attempt_result classify(CURLcode rc, std::chrono::steady_clock::time_point deadline) const;
  bool begin_body();
  std::size_t on_body(std::string_view bytes);
  std::string too_large_message() const;
  bool wait_before_retry(std::chrono::steady_clock::duration wait) const;
  void fill_details(fetch_details& details) const;

  static std::size_t write_callback(char* data, std::size_t size, std::size_t count, void* self);
  static int progress_callback(void* self, curl_off_t download_total, curl_off_t download_now,
                               curl_off_t upload_total, curl_off_t upload_now);
  static curl_socket_t open_socket_callback(void* self, curlsocktype purpose,
                                            curl_sockaddr* address);

  fetch_options options_;
  curl_share_state& shared_;
  const std::atomic<bool>& cancel_;
  std::unique_ptr<CURL, easy_deleter> easy_;
  std::array<char, CURL_ERROR_SIZE> error_buffer_{};
  body_sink* sink_ = nullptr;  // the current fetch's
  attempt_state attempt_;
};

}  // namespace wordcrawl
