#include "fetch/page_fetcher.hpp"

#include <algorithm>
#include <cstring>
#include <exception>
#include <optional>
#include <stdexcept>
#include <thread>

#include <netinet/in.h>
#include <sys/socket.h>

#include "fetch/url_check.hpp"

namespace wordcrawl {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Cancel is a plain atomic nobody notifies on, so a retry wait re-checks it this often.
constexpr milliseconds cancel_poll{50};
// libcurl may fire its timer a millisecond early; this close to the deadline is the deadline.
constexpr milliseconds deadline_slack{50};

template <typename T>
void set_option(CURL* easy, CURLoption option, T value) {
  const CURLcode rc = curl_easy_setopt(easy, option, value);
  if (rc != CURLE_OK) {
    throw std::runtime_error(std::string("curl_easy_setopt failed: ") + curl_easy_strerror(rc));
  }
}

// "8 MiB", "512 KiB" or "1000 bytes": the limit as an operator wrote it.
std::string format_size(std::size_t bytes) {
  constexpr std::size_t kib = 1024;
  if (bytes >= kib * kib && bytes % (kib * kib) == 0) {
    return std::to_string(bytes / (kib * kib)) + " MiB";
  }
  if (bytes >= kib && bytes % kib == 0) {
    return std::to_string(bytes / kib) + " KiB";
  }
  return std::to_string(bytes) + " bytes";
}

std::string format_duration(milliseconds duration) {
  if (duration.count() % 1000 == 0) {
    return std::to_string(duration.count() / 1000) + " s";
  }
  return std::to_string(duration.count()) + " ms";
}

// The first "quoted" word of a libcurl message (Protocol "file" not supported ...).
std::optional<std::string> quoted_word(std::string_view message) {
  const std::size_t open = message.find('"');
  const std::size_t close = message.find('"', open == std::string_view::npos ? open : open + 1);
  if (close == std::string_view::npos) {
    return std::nullopt;
  }
  return std::string(message.substr(open + 1, close - open - 1));
}

// libcurl gives CURLE_UNSUPPORTED_PROTOCOL for two unrelated things: a scheme it may not use
// (only a redirect can bring one, check_url vetted the URL itself) and a response without a
// status line (HTTP/0.9, refused by default). Only its message tells them apart.
page_error unsupported_protocol(std::string_view message) {
  if (message.find("HTTP/0.9") != std::string_view::npos) {
    return {error_kind::transfer, "HTTP/0.9 response: not allowed"};
  }
  if (const auto scheme = quoted_word(message)) {
    return {error_kind::unsupported_scheme, "redirect to unsupported scheme '" + *scheme + "'"};
  }
  return {error_kind::transfer, message.empty()
                                    ? std::string(curl_easy_strerror(CURLE_UNSUPPORTED_PROTOCOL))
                                    : std::string(message)};
}

std::optional<boost::asio::ip::address> peer_address(const curl_sockaddr& address) {
  namespace ip = boost::asio::ip;
  const auto length = static_cast<std::size_t>(address.addrlen);
  if (address.family == AF_INET && length >= sizeof(sockaddr_in)) {
    sockaddr_in v4{};
    std::memcpy(&v4, &address.addr, sizeof v4);
    return ip::address_v4(ntohl(v4.sin_addr.s_addr));
  }
  if (address.family == AF_INET6 && length >= sizeof(sockaddr_in6)) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &address.addr, sizeof v6);
    ip::address_v6::bytes_type bytes{};
    std::memcpy(bytes.data(), &v6.sin6_addr, bytes.size());
    return ip::address_v6(bytes, v6.sin6_scope_id);
  }
  return std::nullopt;
}

bool retryable_status(curl_long status) {
  return status == 408 || status == 429 || status >= 500;
}

// How a failed transfer that no callback explains is answered.
struct curl_failure {
  error_kind kind;
  bool retryable;  // another attempt may succeed
};

curl_failure describe(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return {error_kind::dns, false};
    case CURLE_COULDNT_CONNECT:
      return {error_kind::connect, true};
    case CURLE_OPERATION_TIMEDOUT:
      return {error_kind::timeout, true};
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return {error_kind::transfer, true};
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
      return {error_kind::tls, false};
    case CURLE_TOO_MANY_REDIRECTS:
      return {error_kind::too_many_redirects, false};
    case CURLE_URL_MALFORMAT:
      return {error_kind::bad_request, false};
    case CURLE_UNSUPPORTED_PROTOCOL:
      return {error_kind::unsupported_scheme, false};
    case CURLE_FILESIZE_EXCEEDED:
      return {error_kind::too_large, false};
    case CURLE_ABORTED_BY_CALLBACK:
      return {error_kind::shutting_down, false};
    case CURLE_OUT_OF_MEMORY:
    case CURLE_FAILED_INIT:
      return {error_kind::internal, false};
    default:
      return {error_kind::transfer, false};
  }
}

}  // namespace

page_fetcher::page_fetcher(fetch_options options, curl_share_state& shared,
                           const std::atomic<bool>& cancel)
    : options_(std::move(options)), shared_(shared), cancel_(cancel), easy_(curl_easy_init()) {
  if (options_.user_agent.find_first_of("\r\n") != std::string::npos) {
    throw std::invalid_argument("user agent must not contain CR or LF");
  }
  if (!easy_) {
    throw std::runtime_error("curl_easy_init failed");
  }
  configure();
}

page_fetcher::~page_fetcher() = default;

// Everything but the URL and the time budget is set once, so the handle's connection cache,
// DNS and TLS state carry over from page to page.
void page_fetcher::configure() {
  CURL* easy = easy_.get();
  set_option(easy, CURLOPT_NOSIGNAL, 1L);  // signals and longjmp do not mix with threads
  set_option(easy, CURLOPT_SHARE, shared_.handle());
  // The threaded resolver's getaddrinfo cannot be interrupted. Without quick exit, libcurl
  // joins that thread when a transfer ends, so a name server that never answers would hold a
  // timed-out or cancelled fetch (and shutdown) for the resolver's own timeout. With it the
  // thread is detached and ends by itself when getaddrinfo gives up.
  set_option(easy, CURLOPT_QUICK_EXIT, 1L);
  set_option(easy, CURLOPT_ERRORBUFFER, error_buffer_.data());
  set_option(easy, CURLOPT_PROTOCOLS_STR, "http,https");
  set_option(easy, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  set_option(easy, CURLOPT_FOLLOWLOCATION, 1L);
  set_option(easy, CURLOPT_MAXREDIRS, options_.max_redirects);
  set_option(easy, CURLOPT_CONNECTTIMEOUT_MS,
             static_cast<curl_long>(options_.connect_timeout.count()));
  set_option(easy, CURLOPT_LOW_SPEED_LIMIT, options_.low_speed_limit);
  set_option(easy, CURLOPT_LOW_SPEED_TIME, static_cast<curl_long>(options_.low_speed_time.count()));
  set_option(easy, CURLOPT_PROXY, "");  // a proxy would see the origin, not our filter
  set_option(easy, CURLOPT_NETRC, static_cast<curl_long>(CURL_NETRC_IGNORED));
  set_option(easy, CURLOPT_SSL_VERIFYPEER, 1L);
  set_option(easy, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options_.ca_bundle.empty()) {
    set_option(easy, CURLOPT_CAINFO, options_.ca_bundle.c_str());
  }
  set_option(easy, CURLOPT_ACCEPT_ENCODING, "");
  set_option(easy, CURLOPT_USERAGENT, options_.user_agent.c_str());
  // Only rejects an advertised Content-Length (libcurl 7.88); on_body caps decoded bytes.
  set_option(easy, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_body));
  set_option(easy, CURLOPT_WRITEFUNCTION, &page_fetcher::write_callback);
  set_option(easy, CURLOPT_WRITEDATA, static_cast<void*>(this));
  set_option(easy, CURLOPT_NOPROGRESS, 0L);
  set_option(easy, CURLOPT_XFERINFOFUNCTION, &page_fetcher::progress_callback);
  set_option(easy, CURLOPT_XFERINFODATA, static_cast<void*>(this));
  set_option(easy, CURLOPT_OPENSOCKETFUNCTION, &page_fetcher::open_socket_callback);
  set_option(easy, CURLOPT_OPENSOCKETDATA, static_cast<void*>(this));
}

std::string robots_agent_token(std::string_view user_agent) {
  const auto token = user_agent.substr(0, user_agent.find_first_of("/ \t"));
  return token.empty() ? std::string("wordcrawl") : std::string(token);
}

page_result page_fetcher::fetch(const std::string& url, body_sink& sink) {
  return fetch(url, sink, steady_clock::now() + options_.total_timeout);
}

page_result page_fetcher::fetch(const std::string& url, body_sink& sink,
                                steady_clock::time_point deadline) {
  const auto start = steady_clock::now();
  if (auto error = check_url(url)) {
    return page_result::failure(std::move(*error));
  }
  sink_ = &sink;
  attempt_result result{page_error{error_kind::shutting_down, shutting_down_message}};
  bool attempted = false;
  for (int tries = 0; !cancel_.load(); ++tries) {
    attempted = true;
    result = attempt(url, deadline);
    if (!result.error || !result.retryable || tries >= options_.retries) {
      break;
    }
    const steady_clock::duration wait =
        result.retry_after.count() > 0
            ? steady_clock::duration(std::min(result.retry_after, options_.max_retry_after))
            : steady_clock::duration(options_.retry_backoff * (1 << std::min(tries, 16)));
    if (steady_clock::now() + wait >= deadline) {
      break;
    }
    if (!wait_before_retry(wait)) {
      result.error = page_error{error_kind::shutting_down, shutting_down_message};
      break;
    }
  }
  sink_ = nullptr;
  page_result outcome;
  outcome.error = std::move(result.error);
  if (attempted) {
    fill_details(outcome.details);
  }
  outcome.details.elapsed_ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<milliseconds>(steady_clock::now() - start).count());
  return outcome;
}

page_fetcher::attempt_result page_fetcher::attempt(const std::string& url,
                                                   steady_clock::time_point deadline) {
  const auto budget = std::chrono::duration_cast<milliseconds>(deadline - steady_clock::now());
  if (budget.count() <= 0) {
    return {page_error{error_kind::timeout,
                       "timeout after " + format_duration(options_.total_timeout)}};
  }
  attempt_ = attempt_state{};
  error_buffer_.front() = '\0';
  CURL* easy = easy_.get();
  set_option(easy, CURLOPT_URL, url.c_str());
  set_option(easy, CURLOPT_TIMEOUT_MS, static_cast<curl_long>(budget.count()));
  CURLcode rc = curl_easy_perform(easy);
  // A body-less response never reached on_body: check its status and type now.
  if (rc == CURLE_OK && !attempt_.body_started && !begin_body()) {
    rc = CURLE_WRITE_ERROR;
  }
  return classify(rc, deadline);
}

page_fetcher::attempt_result page_fetcher::classify(CURLcode rc,
                                                    steady_clock::time_point deadline) const {
  attempt_result result;
  if (rc == CURLE_OK) {
    return result;
  }
  if (attempt_.abort) {
    result.error = attempt_.abort;
    result.retryable = attempt_.status != 0 && retryable_status(attempt_.status);
    curl_off_t retry_after = 0;
    if (curl_easy_getinfo(easy_.get(), CURLINFO_RETRY_AFTER, &retry_after) == CURLE_OK) {
      result.retry_after = std::chrono::seconds(std::max<curl_off_t>(retry_after, 0));
    }
    return result;
  }
  const auto failure = describe(rc);
  result.retryable = failure.retryable;
  if (rc == CURLE_ABORTED_BY_CALLBACK) {
    result.error = page_error{error_kind::shutting_down, shutting_down_message};
  } else if (rc == CURLE_COULDNT_CONNECT && !attempt_.blocked.empty()) {
    result.retryable = false;
    result.error = page_error{error_kind::blocked_address, "blocked address " + attempt_.blocked +
                                                               " (private; see --allow-private)"};
  } else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
    result.error = unsupported_protocol(error_buffer_.data());
  } else if (rc == CURLE_FILESIZE_EXCEEDED) {
    result.error = page_error{error_kind::too_large, too_large_message()};
  } else if (rc == CURLE_OPERATION_TIMEDOUT && steady_clock::now() + deadline_slack >= deadline) {
    result.error =
        page_error{error_kind::timeout, "timeout after " + format_duration(options_.total_timeout)};
  } else {
    result.error = page_error{failure.kind, error_buffer_.front() != '\0'
                                                ? std::string(error_buffer_.data())
                                                : std::string(curl_easy_strerror(rc))};
  }
  return result;
}

// The status decides whether the body is worth reading at all; the sink decides by its type.
bool page_fetcher::begin_body() {
  attempt_.body_started = true;
  CURL* easy = easy_.get();
  curl_long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  attempt_.status = status;
  if (status < 200 || status > 299) {
    attempt_.abort = page_error{error_kind::http_status, "HTTP " + std::to_string(status)};
    return false;
  }
  const char* content_type = nullptr;
  curl_easy_getinfo(easy, CURLINFO_CONTENT_TYPE, &content_type);
  attempt_.abort = sink_->begin(content_type != nullptr ? content_type : "");
  return !attempt_.abort;
}

std::size_t page_fetcher::on_body(std::string_view bytes) {
  if (!attempt_.body_started && !begin_body()) {
    return 0;
  }
  // Counted after decoding, so a small compressed body cannot expand past the limit.
  if (bytes.size() > options_.max_body - attempt_.bytes) {
    attempt_.abort = page_error{error_kind::too_large, too_large_message()};
    return 0;
  }
  attempt_.bytes += bytes.size();
  attempt_.abort = sink_->feed(bytes);
  return attempt_.abort ? 0 : bytes.size();
}

std::string page_fetcher::too_large_message() const {
  return "body larger than " + format_size(options_.max_body);
}

bool page_fetcher::wait_before_retry(steady_clock::duration wait) const {
  const auto until = steady_clock::now() + wait;
  while (!cancel_.load()) {
    const auto now = steady_clock::now();
    if (now >= until) {
      return true;
    }
    std::this_thread::sleep_for(std::min<steady_clock::duration>(until - now, cancel_poll));
  }
  return false;
}

std::string page_fetcher::response_header(const char* name) const {
  curl_header* header = nullptr;
  // -1: the last request of the transfer, i.e. the page after any redirect.
  if (curl_easy_header(easy_.get(), name, 0, CURLH_HEADER, -1, &header) != CURLHE_OK ||
      header == nullptr || header->value == nullptr) {
    return {};
  }
  return header->value;
}

bool page_fetcher::reached_peer() const {
  curl_off_t connect_time = 0;
  return curl_easy_getinfo(easy_.get(), CURLINFO_CONNECT_TIME_T, &connect_time) == CURLE_OK &&
         connect_time > 0;
}

void page_fetcher::fill_details(fetch_details& details) const {
  CURL* easy = easy_.get();
  curl_long status = 0;
  curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
  details.status = status;
  const char* final_url = nullptr;
  curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &final_url);
  details.final_url = final_url != nullptr ? final_url : "";
  details.bytes = attempt_.bytes;
}

std::size_t page_fetcher::write_callback(char* data, std::size_t size, std::size_t count,
                                         void* self) {
  auto* fetcher = static_cast<page_fetcher*>(self);
  // libcurl is C: nothing may be thrown through it.
  try {
    return fetcher->on_body(std::string_view(data, size * count));
  } catch (const std::exception& error) {
    fetcher->attempt_.abort =
        page_error{error_kind::internal, std::string("cannot count words: ") + error.what()};
    return 0;
  }
}

int page_fetcher::progress_callback(void* self, curl_off_t /*download_total*/,
                                    curl_off_t /*download_now*/, curl_off_t /*upload_total*/,
                                    curl_off_t /*upload_now*/) {
  return static_cast<page_fetcher*>(self)->cancel_.load() ? 1 : 0;
}

// Called with the resolved peer address of every new connection, redirects included: the
// only point where the address a socket will reach is known and cannot change any more.
curl_socket_t page_fetcher::open_socket_callback(void* self, curlsocktype /*purpose*/,
                                                 curl_sockaddr* address) {
  auto* fetcher = static_cast<page_fetcher*>(self);
  const auto peer = peer_address(*address);
  if (!peer || !fetcher->options_.filter.permits(*peer)) {
    fetcher->attempt_.blocked = peer ? peer->to_string() : std::string("of unknown family");
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

}  // namespace wordcrawl
