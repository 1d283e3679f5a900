#include "fetch/page_fetcher.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "fetch/curl_global.hpp"
#include "fetch/curl_share_state.hpp"
#include "fetch/fetching_processor.hpp"
#include "support/child_process.hpp"
#include "support/http_fixture.hpp"
#include "support/temp_dir.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

constexpr std::size_t kib = 1024;
constexpr const char* openssl_program = "/usr/bin/openssl";

// Sets (or, with nullopt, removes) an environment variable for one test and puts the old
// value back, so the rest of the process sees the environment it started with.
class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::optional<std::string>& value) : name_(std::move(name)) {
    if (const char* old = std::getenv(name_.c_str())) {  // NOLINT(concurrency-mt-unsafe): see below
      old_ = old;
    }
    set(value);
  }
  ~ScopedEnv() { set(old_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ScopedEnv(ScopedEnv&&) = delete;
  ScopedEnv& operator=(ScopedEnv&&) = delete;

 private:
  // The fixture's server thread never reads the environment, and no fetch runs while the
  // variables change, so the unsynchronised setenv cannot race.
  void set(const std::optional<std::string>& value) const {
    if (value) {
      ::setenv(name_.c_str(), value->c_str(), 1);  // NOLINT(concurrency-mt-unsafe): see above
    } else {
      ::unsetenv(name_.c_str());  // NOLINT(concurrency-mt-unsafe): see above
    }
  }

  std::string name_;
  std::optional<std::string> old_;
};

// openssl s_server announces "ACCEPT 127.0.0.1:<port>" once it listens; port 0 lets the
// kernel choose, so no other process can take the port between choosing and binding.
std::optional<std::uint16_t> await_accepting_port(child_process& server) {
  const std::string prefix = "ACCEPT 127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  for (int line_count = 0; line_count < 20; ++line_count) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    const auto line = server.read_line(std::max(left, 0ms));
    if (!line) {
      return std::nullopt;
    }
    if (line->rfind(prefix, 0) == 0) {
      return static_cast<std::uint16_t>(std::stoul(line->substr(prefix.size())));
    }
  }
  return std::nullopt;
}

// An HTML page that starts, promises length bytes and then goes silent.
http_route hanging_route(std::uint64_t length) {
  return http_route{.headers = {{"Content-Type", "text/html"}},
                    .pieces = {"<p>"},
                    .end = http_route::ending::hang,
                    .content_length = length};
}

// A text/plain page sent with Content-Encoding: gzip.
http_route gzipped_route(std::string compressed) {
  return http_route{.headers = {{"Content-Type", "text/plain"}, {"Content-Encoding", "gzip"}},
                    .pieces = {std::move(compressed)}};
}

class PageFetcherTest : public ::testing::Test {
 protected:
  PageFetcherTest() {
    // The fixture lives on 127.0.0.1, which the default policy blocks.
    EXPECT_EQ(options_.filter.allow("127.0.0.1/32"), std::nullopt);
    options_.retry_backoff = 20ms;
  }

  // A fetch through the production processor, flattened for short assertions.
  struct fetch_outcome {
    bool ok = false;
    std::vector<word_count> words{};
    fetch_details details{};
    std::string error{};  // the message; empty on success
    std::optional<error_kind> kind{};
  };

  fetch_outcome fetch(const std::string& url, std::size_t top_k = 10) {
    fetching_processor processor(options_, shared_, cancel_, top_k);
    auto result = processor.process(url);
    fetch_outcome flat{
        .ok = result.ok(), .words = std::move(result.words), .details = std::move(result.details)};
    if (result.error) {
      flat.error = result.error->message;
      flat.kind = result.error->kind;
    }
    return flat;
  }

  static std::string text_of(const std::vector<word_count>& words) {
    std::string text;
    for (const auto& [word, count] : words) {
      text += word + "=" + std::to_string(count) + " ";
    }
    return text;
  }

  curl_global curl_;
  curl_share_state shared_;
  std::atomic<bool> cancel_{false};
  fetch_options options_;
  http_fixture server_;
};

TEST_F(PageFetcherTest, CountsTheWordsOfAPage) {
  const std::string body = "<html><body><p>apple banana apple</p></body></html>";
  server_.add_page("/page", body);
  const auto outcome = fetch(server_.url("/page"));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(text_of(outcome.words), "apple=2 banana=1 ");
  EXPECT_EQ(outcome.details.status, 200);
  EXPECT_EQ(outcome.details.final_url, server_.url("/page"));
  EXPECT_EQ(outcome.details.bytes, body.size());
  EXPECT_EQ(outcome.details.charset, "utf-8");
  EXPECT_TRUE(outcome.error.empty());
}

TEST_F(PageFetcherTest, KeepsOnlyTopK) {
  server_.add_page("/page", "a a a b b c", "text/plain");
  const auto outcome = fetch(server_.url("/page"), 2);
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(text_of(outcome.words), "a=3 b=2 ");
}

TEST_F(PageFetcherTest, ReusesTheConnectionForTheNextPage) {
  server_.add_page("/one", "<p>one</p>");
  server_.add_page("/two", "<p>two</p>");
  fetching_processor fetcher(options_, shared_, cancel_, 5);
  EXPECT_TRUE(fetcher.process(server_.url("/one")).ok());
  EXPECT_TRUE(fetcher.process(server_.url("/two")).ok());
  EXPECT_TRUE(fetcher.process(server_.url("/one")).ok());
  EXPECT_EQ(server_.requests("/one"), 2U);
  EXPECT_EQ(server_.connections(), 1U);
}

TEST_F(PageFetcherTest, IdentifiesItselfAndAcceptsCompression) {
  server_.add_page("/page", "<p>x</p>");
  ASSERT_TRUE(fetch(server_.url("/page")).ok);
  EXPECT_EQ(server_.last_header("/page", "User-Agent"), std::string("wordcrawl/") + version);
  EXPECT_NE(server_.last_header("/page", "Accept-Encoding").find("gzip"), std::string::npos);
  EXPECT_EQ(server_.last_header("/page", "Cookie"), "");
}

TEST_F(PageFetcherTest, RefusesAUserAgentThatWouldInjectHeaders) {
  options_.user_agent = "wordcrawl\r\nX-Injected: 1";
  EXPECT_THROW(page_fetcher(options_, shared_, cancel_), std::invalid_argument);
}

TEST_F(PageFetcherTest, RejectsABadUrlWithoutConnecting) {
  EXPECT_EQ(fetch("ftp://127.0.0.1/file").error, "unsupported scheme 'ftp'");
  EXPECT_EQ(fetch("http://127.0.0.1/\xff").error, "invalid UTF-8 in URL");
  EXPECT_EQ(server_.connections(), 0U);
}

TEST_F(PageFetcherTest, FollowsRedirectsAndReportsTheFinalUrl) {
  server_.add_redirect("/old", "/new");
  server_.add_page("/new", "<p>moved here</p>");
  const auto outcome = fetch(server_.url("/old"));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(outcome.details.final_url, server_.url("/new"));
  EXPECT_EQ(text_of(outcome.words), "here=1 moved=1 ");
}

TEST_F(PageFetcherTest, StopsARedirectLoop) {
  options_.max_redirects = 3;
  server_.add_redirect("/loop", "/loop");
  const auto outcome = fetch(server_.url("/loop"));
  EXPECT_FALSE(outcome.ok);
  EXPECT_NE(outcome.error.find("Maximum (3) redirects"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.kind, error_kind::too_many_redirects);
  EXPECT_EQ(server_.requests("/loop"), 4U);
}

TEST_F(PageFetcherTest, RefusesARedirectToAFile) {
  server_.add_redirect("/evil", "file:///etc/passwd");
  const auto outcome = fetch(server_.url("/evil"));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "redirect to unsupported scheme 'file'");
  EXPECT_EQ(outcome.kind, error_kind::unsupported_scheme);
  EXPECT_TRUE(outcome.words.empty());
  EXPECT_EQ(server_.requests("/evil"), 1U);
}

TEST_F(PageFetcherTest, BlocksLoopbackUnlessAllowed) {
  options_.filter = address_filter{};
  server_.add_page("/page", "<p>secret</p>");
  const auto outcome = fetch(server_.url("/page"));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "blocked address 127.0.0.1 (private; see --allow-private)");
  EXPECT_EQ(outcome.kind, error_kind::blocked_address);
  EXPECT_EQ(server_.connections(), 0U);
}

TEST_F(PageFetcherTest, BlocksANameThatResolvesToLoopback) {
  options_.filter = address_filter{};
  const auto outcome = fetch(server_.url_on("localhost", "/page"));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error.rfind("blocked address ", 0), 0U) << outcome.error;
  EXPECT_EQ(outcome.kind, error_kind::blocked_address);
  EXPECT_EQ(server_.connections(), 0U);
}

TEST_F(PageFetcherTest, BlocksARedirectToAPrivateAddress) {
  // 127.0.0.2 stands for an intranet host: only 127.0.0.1 is allowed, and nothing listens
  // on 127.0.0.2, so not a packet can reach anything even if the check failed.
  server_.add_redirect("/hop", server_.url_on("127.0.0.2", "/internal"));
  const auto outcome = fetch(server_.url("/hop"));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "blocked address 127.0.0.2 (private; see --allow-private)");
  EXPECT_EQ(outcome.kind, error_kind::blocked_address);
  EXPECT_EQ(server_.requests("/hop"), 1U);
}

TEST_F(PageFetcherTest, IgnoresProxiesFromTheEnvironment) {
  // A proxy connects on our behalf, past the address filter; the environment must not
  // be able to route fetches through one. no_proxy is cleared so it cannot excuse 127.0.0.1.
  http_fixture proxy;
  const std::string proxy_url = "http://127.0.0.1:" + std::to_string(proxy.port());
  const ScopedEnv http_proxy("http_proxy", proxy_url);
  const ScopedEnv http_proxy_upper("HTTP_PROXY", proxy_url);
  const ScopedEnv all_proxy("ALL_PROXY", proxy_url);
  const ScopedEnv no_proxy("no_proxy", std::nullopt);
  const ScopedEnv no_proxy_upper("NO_PROXY", std::nullopt);
  server_.add_page("/page", "<p>direct words</p>");
  const auto outcome = fetch(server_.url("/page"));
  EXPECT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(text_of(outcome.words), "direct=1 words=1 ");
  EXPECT_EQ(server_.requests("/page"), 1U);
  EXPECT_EQ(proxy.connections(), 0U);
  EXPECT_EQ(proxy.requests(server_.url("/page")), 0U);  // the absolute form a proxy receives
}

TEST_F(PageFetcherTest, SendsNoCookies) {
  // A cookie from one page would follow the worker to every later page on that host,
  // tying unrelated client requests together.
  server_.add("/set", http_route{.headers = {{"Set-Cookie", "session=secret; Path=/"},
                                             {"Content-Type", "text/plain"}},
                                 .pieces = {"cookie given"}});
  server_.add_page("/check", "<p>checked</p>");
  fetching_processor fetcher(options_, shared_, cancel_, 5);
  ASSERT_TRUE(fetcher.process(server_.url("/set")).ok());
  ASSERT_TRUE(fetcher.process(server_.url("/check")).ok());
  EXPECT_EQ(server_.requests("/check"), 1U);
  EXPECT_EQ(server_.last_header("/check", "Cookie"), "");
}

TEST_F(PageFetcherTest, IgnoresNetrc) {
  // The server's own credentials must never be offered to the sites it crawls.
  const temp_dir home;
  const std::string netrc = home.write(".netrc", "machine 127.0.0.1 login user password secret\n");
  std::filesystem::permissions(
      netrc, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const ScopedEnv home_env("HOME", home.path().string());
  server_.add_page("/page", "<p>public words</p>");
  const auto outcome = fetch(server_.url("/page"));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(server_.requests("/page"), 1U);
  EXPECT_EQ(server_.last_header("/page", "Authorization"), "");
}

TEST_F(PageFetcherTest, RefusesAnUntrustedCertificate) {
  // The certificate names 127.0.0.1, so the host name matches and only trust can fail.
  const temp_dir dir;
  child_process make_cert(
      openssl_program,
      {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
       "-keyout", dir.file("key.pem"), "-out", dir.file("cert.pem"), "-days", "1", "-subj",
       "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"});
  ASSERT_EQ(make_cert.wait(10s), 0) << make_cert.stderr_text();
  child_process tls_server(
      openssl_program, {"s_server", "-accept", "127.0.0.1:0", "-cert", dir.file("cert.pem"), "-key",
                        dir.file("key.pem"), "-www"});
  const auto port = await_accepting_port(tls_server);
  ASSERT_TRUE(port.has_value()) << tls_server.stderr_text();
  const auto outcome = fetch("https://127.0.0.1:" + std::to_string(*port) + "/");
  EXPECT_FALSE(outcome.ok);
  EXPECT_NE(outcome.error.find("SSL certificate problem"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.kind, error_kind::tls);
  EXPECT_TRUE(outcome.words.empty());
}

TEST_F(PageFetcherTest, NotFoundIsAnErrorAndNotRetried) {
  server_.add_page("/missing", "<p>not found here</p>", "text/html", 404);
  const auto outcome = fetch(server_.url("/missing"));
  EXPECT_FALSE(outcome.ok);
  EXPECT_EQ(outcome.error, "HTTP 404");
  EXPECT_EQ(outcome.kind, error_kind::http_status);
  EXPECT_TRUE(outcome.words.empty());
  EXPECT_EQ(outcome.details.status, 404);
  EXPECT_EQ(server_.requests("/missing"), 1U);
}

TEST_F(PageFetcherTest, BodylessErrorIsStillAnError) {
  server_.add("/gone", http_route{.status = 410});
  EXPECT_EQ(fetch(server_.url("/gone")).error, "HTTP 410");
}

TEST_F(PageFetcherTest, EmptyPageHasNoWords) {
  server_.add_page("/empty", "", "text/html");
  const auto outcome = fetch(server_.url("/empty"));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_TRUE(outcome.words.empty());
}

TEST_F(PageFetcherTest, RetriesServerErrorsThenGivesUp) {
  server_.add_page("/flaky", "<p>oops</p>", "text/html", 503);
  const auto outcome = fetch(server_.url("/flaky"));
  EXPECT_EQ(outcome.error, "HTTP 503");
  EXPECT_EQ(outcome.kind, error_kind::http_status);
  EXPECT_EQ(server_.requests("/flaky"), 3U);
}

TEST_F(PageFetcherTest, NoRetriesWhenDisabled) {
  options_.retries = 0;
  server_.add_page("/flaky", "<p>oops</p>", "text/html", 500);
  EXPECT_EQ(fetch(server_.url("/flaky")).error, "HTTP 500");
  EXPECT_EQ(server_.requests("/flaky"), 1U);
}

TEST_F(PageFetcherTest, HonoursRetryAfter) {
  options_.retries = 1;
  server_.add("/busy", http_route{.status = 429,
                                  .headers = {{"Retry-After", "1"}, {"Content-Type", "text/plain"}},
                                  .pieces = {"slow down"}});
  const auto started = std::chrono::steady_clock::now();
  const auto outcome = fetch(server_.url("/busy"));
  EXPECT_EQ(outcome.error, "HTTP 429");
  EXPECT_EQ(outcome.kind, error_kind::http_status);
  EXPECT_EQ(server_.requests("/busy"), 2U);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 950ms);
}

TEST_F(PageFetcherTest, GivesUpWhenRetryAfterPassesTheDeadline) {
  options_.total_timeout = 3s;
  server_.add("/busy", http_route{.status = 429, .headers = {{"Retry-After", "3600"}}});
  const auto outcome = fetch(server_.url("/busy"));
  EXPECT_EQ(outcome.error, "HTTP 429");
  EXPECT_EQ(outcome.kind, error_kind::http_status);
  EXPECT_EQ(server_.requests("/busy"), 1U);
  EXPECT_LT(outcome.details.elapsed_ms, 2000U);
}

TEST_F(PageFetcherTest, RetriesAConnectionResetMidBody) {
  server_.add("/reset", http_route{.headers = {{"Content-Type", "text/html"}},
                                   .pieces = {"<p>half a"},
                                   .end = http_route::ending::reset,
                                   .content_length = 1000});
  const auto outcome = fetch(server_.url("/reset"));
  EXPECT_FALSE(outcome.ok);
  EXPECT_FALSE(outcome.error.empty());
  EXPECT_TRUE(outcome.words.empty());
  EXPECT_EQ(server_.requests("/reset"), 3U);
}

TEST_F(PageFetcherTest, RejectsAnUnsupportedContentType) {
  server_.add_page("/image", std::string("\x89PNG\r\n\x1a\n", 8), "image/png");
  const auto outcome = fetch(server_.url("/image"));
  EXPECT_EQ(outcome.error, "unsupported content type 'image/png'");
  EXPECT_EQ(outcome.kind, error_kind::content_type);
}

TEST_F(PageFetcherTest, SniffsABodyWithoutContentType) {
  server_.add_page("/text", "<html><p>sniffed words</p></html>", "");
  server_.add_page("/binary", std::string("\x00\x01\x02\x03\xff\xfe\x00\x00", 8), "");
  const auto text = fetch(server_.url("/text"));
  ASSERT_TRUE(text.ok) << text.error;
  EXPECT_EQ(text_of(text.words), "sniffed=1 words=1 ");
  const auto binary = fetch(server_.url("/binary"));
  EXPECT_EQ(binary.error, "unsupported content: binary body without type");
  EXPECT_EQ(binary.kind, error_kind::content_type);
}

TEST_F(PageFetcherTest, CapsAChunkedBodyWithoutLength) {
  options_.max_body = 64 * kib;
  server_.add("/big", http_route{.headers = {{"Content-Type", "text/plain"}},
                                 .pieces = std::vector(20, std::string(16 * kib, 'a')),
                                 .chunked = true});
  const auto outcome = fetch(server_.url("/big"));
  EXPECT_EQ(outcome.error, "body larger than 64 KiB");
  EXPECT_EQ(outcome.kind, error_kind::too_large);
  EXPECT_LE(outcome.details.bytes, 64 * kib);
  EXPECT_TRUE(outcome.words.empty());
}

TEST_F(PageFetcherTest, NamesAnOddCapInBytes) {
  options_.max_body = 1000;
  server_.add_page("/page", std::string(1001, 'a'), "text/plain");
  EXPECT_EQ(fetch(server_.url("/page")).error, "body larger than 1000 bytes");
}

TEST_F(PageFetcherTest, NamesTheMediaTypeWithoutParameters) {
  server_.add_page("/pdf", "%PDF-1.4", " application/pdf ; name=x");
  EXPECT_EQ(fetch(server_.url("/pdf")).error, "unsupported content type 'application/pdf'");
}

TEST_F(PageFetcherTest, TimeoutIsNamedInSeconds) {
  options_.low_speed_limit = 0;
  options_.retries = 0;
  options_.total_timeout = 1s;
  server_.add("/hang", hanging_route(100));
  EXPECT_EQ(fetch(server_.url("/hang")).error, "timeout after 1 s");
}

TEST_F(PageFetcherTest, RejectsAHugeAdvertisedLengthEarly) {
  server_.add("/huge", hanging_route(std::uint64_t{10} << 30));
  const auto outcome = fetch(server_.url("/huge"));
  EXPECT_EQ(outcome.error, "body larger than 8 MiB");
  EXPECT_EQ(outcome.kind, error_kind::too_large);
  EXPECT_EQ(outcome.details.bytes, 0U);
  EXPECT_LT(outcome.details.elapsed_ms, 5000U);
}

TEST_F(PageFetcherTest, DecodesGzip) {
  server_.add("/zipped", gzipped_route(gzip("zipped words zipped")));
  const auto outcome = fetch(server_.url("/zipped"));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(text_of(outcome.words), "zipped=2 words=1 ");
  EXPECT_EQ(outcome.details.bytes, 19U);
}

TEST_F(PageFetcherTest, StopsAGzipBombAtTheDecodedCap) {
  options_.max_body = std::size_t{1} << 20;
  const std::string bomb = gzip(std::string(std::size_t{32} << 20, ' '));
  ASSERT_LT(bomb.size(), 64 * kib);  // far below the cap: only decoded counting can stop it
  server_.add("/bomb", gzipped_route(bomb));
  const auto outcome = fetch(server_.url("/bomb"));
  EXPECT_EQ(outcome.error, "body larger than 1 MiB");
  EXPECT_EQ(outcome.kind, error_kind::too_large);
  EXPECT_LE(outcome.details.bytes, std::size_t{1} << 20);
  EXPECT_GT(outcome.details.bytes, (std::size_t{1} << 20) - 64 * kib);
}

TEST_F(PageFetcherTest, AbortsAStalledTransferAtTheLowSpeedLimit) {
  options_.retries = 0;
  options_.low_speed_time = 1s;
  server_.add("/stall", hanging_route(100));
  const auto outcome = fetch(server_.url("/stall"));
  EXPECT_FALSE(outcome.ok);
  EXPECT_NE(outcome.error.find("too slow"), std::string::npos) << outcome.error;
  EXPECT_EQ(outcome.kind, error_kind::timeout);
  EXPECT_LT(outcome.details.elapsed_ms, 5000U);
}

TEST_F(PageFetcherTest, TotalTimeoutCoversEveryAttempt) {
  options_.low_speed_limit = 0;
  options_.total_timeout = 1500ms;
  server_.add("/slow", http_route{.headers = {{"Content-Type", "text/plain"}},
                                  .pieces = std::vector<std::string>(20, "slow "),
                                  .piece_delay = 300ms});
  const auto outcome = fetch(server_.url("/slow"));
  EXPECT_EQ(outcome.error, "timeout after 1500 ms");
  EXPECT_EQ(outcome.kind, error_kind::timeout);
  EXPECT_GE(outcome.details.elapsed_ms, 1400U);
  EXPECT_LT(outcome.details.elapsed_ms, 3000U);
  EXPECT_EQ(server_.requests("/slow"), 1U);
}

TEST_F(PageFetcherTest, CancelAbortsARunningTransfer) {
  server_.add("/hang", hanging_route(100));
  auto result = std::async(std::launch::async, [this] { return fetch(server_.url("/hang")); });
  ASSERT_TRUE(server_.wait_for_requests("/hang", 1, 5s));
  cancel_ = true;
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  const auto outcome = result.get();
  EXPECT_EQ(outcome.error, "server shutting down");
  EXPECT_EQ(outcome.kind, error_kind::shutting_down);
  EXPECT_EQ(server_.requests("/hang"), 1U);
}

TEST_F(PageFetcherTest, CancelInterruptsTheWaitBeforeARetry) {
  options_.retry_backoff = 60s;
  options_.total_timeout = 120s;
  server_.add_page("/down", "", "text/html", 502);
  auto result = std::async(std::launch::async, [this] { return fetch(server_.url("/down")); });
  ASSERT_TRUE(server_.wait_for_requests("/down", 1, 5s));
  cancel_ = true;
  ASSERT_EQ(result.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(result.get().error, "server shutting down");
  EXPECT_EQ(server_.requests("/down"), 1U);
}

TEST_F(PageFetcherTest, WorkersShareStateSafely) {
  server_.add_page("/page", "<p>shared state</p>");
  std::vector<std::future<int>> results;
  results.reserve(4);
  for (int worker = 0; worker < 4; ++worker) {
    results.push_back(std::async(std::launch::async, [this] {
      fetching_processor fetcher(options_, shared_, cancel_, 5);
      int ok = 0;
      for (int i = 0; i < 10; ++i) {
        ok += fetcher.process(server_.url("/page")).ok() ? 1 : 0;
      }
      return ok;
    }));
  }
  for (auto& result : results) {
    ASSERT_EQ(result.wait_for(30s), std::future_status::ready);
    EXPECT_EQ(result.get(), 10);
  }
}

TEST_F(PageFetcherTest, DecodesAWindows1251Page) {
  // "Привет мир, привет!" in windows-1251.
  const std::string body =
      "<p>\xcf\xf0\xe8\xe2\xe5\xf2 \xec\xe8\xf0, \xef\xf0\xe8\xe2\xe5\xf2!</p>";
  server_.add_page("/ru", body, "text/html; charset=windows-1251");
  const auto outcome = fetch(server_.url("/ru"));
  ASSERT_TRUE(outcome.ok) << outcome.error;
  EXPECT_EQ(text_of(outcome.words), "привет=2 мир=1 ");
  EXPECT_EQ(outcome.details.charset, "windows-1251");
}

}  // namespace
}  // namespace wordcrawl::testing
