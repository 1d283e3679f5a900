// The fetcher's guards against peers the test controls: a private CA's certificate, a body
// that trickles below the low-speed limit, deflate and zstd bombs, a DNS cache entry that is
// rebound to a private address between two fetches.

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>
#include <poll.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <unistd.h>
#include <vector>
#include <zlib.h>
#include <zstd.h>

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "fetch/curl_global.hpp"
#include "fetch/curl_share_state.hpp"
#include "fetch/fetching_processor.hpp"
#include "fetch/page_fetcher.hpp"
#include "server_options.hpp"
#include "support/child_process.hpp"
#include "support/http_fixture.hpp"
#include "support/temp_dir.hpp"

namespace wordcrawl {
namespace {

using namespace std::chrono_literals;
using testing::http_route;

constexpr const char* openssl_program = "/usr/bin/openssl";
constexpr std::size_t mib = std::size_t{1} << 20;

// Runs openssl with args; an empty string on success, else what it wrote to stderr.
std::string run_openssl(const std::vector<std::string>& args) {
  testing::child_process openssl(openssl_program, args);
  const auto status = openssl.wait(20s);
  return status == 0 ? std::string() : "openssl failed: " + openssl.stderr_text();
}

// openssl s_server announces "ACCEPT 127.0.0.1:<port>" once it listens.
std::optional<std::uint16_t> await_accepting_port(testing::child_process& server) {
  const std::string prefix = "ACCEPT 127.0.0.1:";
  for (int line_count = 0; line_count < 20; ++line_count) {
    const auto line = server.read_line(5s);
    if (!line) {
      return std::nullopt;
    }
    if (line->rfind(prefix, 0) == 0) {
      return static_cast<std::uint16_t>(std::stoul(line->substr(prefix.size())));
    }
  }
  return std::nullopt;
}

// zlib-wrapped deflate, what HTTP's "deflate" coding means.
std::string deflate(std::string_view data) {
  uLongf size = compressBound(static_cast<uLong>(data.size()));
  std::string out(size, '\0');
  const int rc = compress2(reinterpret_cast<Bytef*>(out.data()), &size,  // NOLINT: zlib's API
                           reinterpret_cast<const Bytef*>(data.data()),  // NOLINT: zlib's API
                           static_cast<uLong>(data.size()), Z_BEST_COMPRESSION);
  out.resize(rc == Z_OK ? size : 0);
  return out;
}

std::string zstd(std::string_view data) {
  std::string out(ZSTD_compressBound(data.size()), '\0');
  const std::size_t size = ZSTD_compress(out.data(), out.size(), data.data(), data.size(), 19);
  out.resize(ZSTD_isError(size) != 0U ? 0 : size);
  return out;
}

// A TCP listener on 127.0.0.1 that reads one request and answers it with reply, byte for
// byte, then closes the connection: responses no HTTP library would write.
class RawResponder {
 public:
  explicit RawResponder(std::string reply)
      : listener_(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    auto* generic = reinterpret_cast<sockaddr*>(&address);  // NOLINT: the socket API
    if (listener_ < 0 || ::bind(listener_, generic, length) != 0 || ::listen(listener_, 4) != 0 ||
        ::getsockname(listener_, generic, &length) != 0) {
      throw std::runtime_error("cannot listen on 127.0.0.1");
    }
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this, reply = std::move(reply)] { serve(reply); });
  }
  ~RawResponder() {
    // Wakes the poll in serve() if no client came.
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  RawResponder(const RawResponder&) = delete;
  RawResponder& operator=(const RawResponder&) = delete;
  RawResponder(RawResponder&&) = delete;
  RawResponder& operator=(RawResponder&&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  void serve(const std::string& reply) const {
    pollfd waiting{listener_, POLLIN, 0};
    if (::poll(&waiting, 1, 10000) != 1) {
      return;
    }
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) {
      return;
    }
    std::string request;
    std::array<char, 4096> buffer{};
    while (request.find("\r\n\r\n") == std::string::npos) {
      pollfd reading{client, POLLIN, 0};
      if (::poll(&reading, 1, 10000) != 1) {
        break;
      }
      const ssize_t got = ::recv(client, buffer.data(), buffer.size(), 0);
      if (got <= 0) {
        break;
      }
      request.append(buffer.data(), static_cast<std::size_t>(got));
    }
    ::send(client, reply.data(), reply.size(), MSG_NOSIGNAL);
    ::close(client);
  }

  int listener_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

class FetchGuardTest : public ::testing::Test {
 protected:
  FetchGuardTest() {
    EXPECT_EQ(options_.filter.allow("127.0.0.1/32"), std::nullopt);
    options_.retries = 0;
  }

  page_result fetch(const std::string& url) {
    fetching_processor processor(options_, shared_, cancel_, 10);
    return processor.process(url);
  }

  static std::string message(const page_result& result) {
    return result.error ? result.error->message : std::string();
  }

  // Puts name:port -> address into the DNS cache every fetcher shares, as a resolver's answer
  // would; no packet is sent (the socket callback refuses every connection).
  void cache_address(const std::string& name, std::uint16_t port, const std::string& address) {
    CURL* easy = curl_easy_init();
    ASSERT_NE(easy, nullptr);
    const std::string entry = name + ":" + std::to_string(port) + ":" + address;
    curl_slist* resolve = curl_slist_append(nullptr, entry.c_str());
    const std::string url = "http://" + name + ":" + std::to_string(port) + "/";
    curl_easy_setopt(easy, CURLOPT_SHARE, shared_.handle());
    curl_easy_setopt(easy, CURLOPT_RESOLVE, resolve);
    curl_easy_setopt(easy, CURLOPT_URL, url.c_str());
    curl_easy_setopt(easy, CURLOPT_PROXY, "");
    curl_easy_setopt(easy, CURLOPT_OPENSOCKETFUNCTION, &refuse_socket);
    EXPECT_EQ(curl_easy_perform(easy), CURLE_COULDNT_CONNECT);
    curl_easy_cleanup(easy);
    curl_slist_free_all(resolve);
  }

  static curl_socket_t refuse_socket(void* /*self*/, curlsocktype /*purpose*/,
                                     curl_sockaddr* /*address*/) {
    return CURL_SOCKET_BAD;
  }

  curl_global curl_;
  curl_share_state shared_;
  std::atomic<bool> cancel_{false};
  fetch_options options_;
  testing::http_fixture server_;
};

TEST_F(FetchGuardTest, TrustsACertificateFromAPrivateCaBundle) {
  const testing::temp_dir dir;
  const std::array<std::string, 5> ec{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                      "-nodes"};
  std::vector<std::string> make_ca{"req", "-x509"};
  make_ca.insert(make_ca.end(), ec.begin(), ec.end());
  make_ca.insert(make_ca.end(), {"-keyout", dir.file("ca.key"), "-out", dir.file("ca.pem"), "-days",
                                 "1", "-subj", "/CN=wordcrawl test CA"});
  ASSERT_EQ(run_openssl(make_ca), "");
  std::vector<std::string> make_request{"req"};
  make_request.insert(make_request.end(), ec.begin(), ec.end());
  make_request.insert(make_request.end(), {"-keyout", dir.file("key.pem"), "-out",
                                           dir.file("cert.csr"), "-subj", "/CN=127.0.0.1"});
  ASSERT_EQ(run_openssl(make_request), "");
  const std::string extensions =
      dir.write("ext.cnf", "basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n");
  ASSERT_EQ(run_openssl({"x509", "-req", "-in", dir.file("cert.csr"), "-CA", dir.file("ca.pem"),
                         "-CAkey", dir.file("ca.key"), "-CAcreateserial", "-out",
                         dir.file("cert.pem"), "-days", "1", "-extfile", extensions}),
            "");
  testing::child_process tls_server(
      openssl_program, {"s_server", "-accept", "127.0.0.1:0", "-cert", dir.file("cert.pem"), "-key",
                        dir.file("key.pem"), "-www"});
  const auto port = await_accepting_port(tls_server);
  ASSERT_TRUE(port.has_value()) << tls_server.stderr_text();
  const std::string url = "https://127.0.0.1:" + std::to_string(*port) + "/";

  const auto untrusted = fetch(url);
  ASSERT_TRUE(untrusted.error.has_value());
  EXPECT_EQ(untrusted.error->kind, error_kind::tls) << untrusted.error->message;

  options_.ca_bundle = dir.file("ca.pem");
  const auto trusted = fetch(url);
  EXPECT_TRUE(trusted.ok()) << message(trusted);
  EXPECT_EQ(trusted.details.status, 200);
  EXPECT_FALSE(trusted.words.empty());
}

TEST_F(FetchGuardTest, CaBundleIsAServerOption) {
  const testing::temp_dir dir;
  const std::string bundle = dir.write("ca.pem", "");
  const std::string missing = dir.file("missing.pem");
  std::ostringstream out;
  std::ostringstream err;
  const auto parse = [&out, &err](const std::vector<const char*>& argv) {
    return parse_server_options(static_cast<int>(argv.size()), argv.data(), out, err);
  };
  const auto parsed = parse({"server", "--ca-bundle", bundle.c_str()});
  ASSERT_TRUE(parsed.options.has_value()) << err.str();
  EXPECT_EQ(parsed.options->fetch.ca_bundle, bundle);
  EXPECT_EQ(parse({"server", "--ca-bundle", missing.c_str()}).exit_code, 2);
  const auto defaults = parse({"server"});
  ASSERT_TRUE(defaults.options.has_value());
  EXPECT_EQ(defaults.options->fetch.ca_bundle, "");
}

TEST_F(FetchGuardTest, LowSpeedLimitStopsATrickleOnItsOwn) {
  // Bytes keep arriving, so only the rate can end this before the 30 s total timeout.
  options_.low_speed_limit = 1024;
  options_.low_speed_time = 1s;
  http_route route{.headers = {{"Content-Type", "text/plain"}}, .piece_delay = 100ms};
  route.pieces.assign(600, "trickle ");
  server_.add("/trickle", route);
  const auto result = fetch(server_.url("/trickle"));
  ASSERT_TRUE(result.error.has_value());
  EXPECT_NE(result.error->message.find("too slow"), std::string::npos) << result.error->message;
  EXPECT_EQ(result.error->kind, error_kind::timeout);
  EXPECT_GT(result.details.bytes, 0U);
  EXPECT_GE(result.details.elapsed_ms, 1000U);
  EXPECT_LT(result.details.elapsed_ms, 5000U);
}

TEST_F(FetchGuardTest, StopsADeflateBombAtTheDecodedCap) {
  options_.max_body = mib;
  const std::string bomb = deflate(std::string(32 * mib, ' '));
  ASSERT_FALSE(bomb.empty());
  ASSERT_LT(bomb.size(), 64U * 1024U);
  server_.add("/bomb", http_route{.headers = {{"Content-Type", "text/plain"},
                                              {"Content-Encoding", "deflate"}},
                                  .pieces = {bomb}});
  const auto result = fetch(server_.url("/bomb"));
  EXPECT_EQ(message(result), "body larger than 1 MiB");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->kind, error_kind::too_large);
  EXPECT_LE(result.details.bytes, mib);
}

TEST_F(FetchGuardTest, StopsAZstdBombAtTheDecodedCap) {
  curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  if ((info->features & CURL_VERSION_ZSTD) == 0) {
    GTEST_SKIP() << "this libcurl cannot decode zstd";
  }
  options_.max_body = mib;
  const std::string bomb = zstd(std::string(32 * mib, ' '));
  ASSERT_FALSE(bomb.empty());
  ASSERT_LT(bomb.size(), 64U * 1024U);
  server_.add("/bomb",
              http_route{.headers = {{"Content-Type", "text/plain"}, {"Content-Encoding", "zstd"}},
                         .pieces = {bomb}});
  const auto result = fetch(server_.url("/bomb"));
  EXPECT_EQ(message(result), "body larger than 1 MiB");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->kind, error_kind::too_large);
  EXPECT_LE(result.details.bytes, mib);
}

TEST_F(FetchGuardTest, BlocksANameReboundToAPrivateAddressInTheDnsCache) {
  // The first answer is an allowed address; the cached answer is then replaced by 127.0.0.2,
  // where nothing listens, so even a broken filter could not reach anything.
  const std::string name = "rebind.wordcrawl.test";
  server_.add("/page",
              http_route{.headers = {{"Content-Type", "text/html"}, {"Connection", "close"}},
                         .pieces = {"<p>public page</p>"}});
  const std::string url = "http://" + name + ":" + std::to_string(server_.port()) + "/page";
  cache_address(name, server_.port(), "127.0.0.1");
  const auto first = fetch(url);
  ASSERT_TRUE(first.ok()) << message(first);

  cache_address(name, server_.port(), "127.0.0.2");
  const auto second = fetch(url);
  EXPECT_EQ(message(second), "blocked address 127.0.0.2 (private; see --allow-private)");
  ASSERT_TRUE(second.error.has_value());
  EXPECT_EQ(second.error->kind, error_kind::blocked_address);
  EXPECT_EQ(server_.requests("/page"), 1U);
}

TEST_F(FetchGuardTest, NamesAnHttp09ResponseForWhatItIs) {
  // No status line: libcurl refuses HTTP/0.9 with the code it also uses for a refused scheme.
  const RawResponder peer("just some words, no status line\n");
  const auto result = fetch(peer.url());
  EXPECT_EQ(message(result), "HTTP/0.9 response: not allowed");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->kind, error_kind::transfer);
  EXPECT_TRUE(result.words.empty());
}

TEST_F(FetchGuardTest, StillNamesARedirectToAnUnsupportedScheme) {
  server_.add_redirect("/hop", "gopher://example.org/");
  const auto result = fetch(server_.url("/hop"));
  EXPECT_EQ(message(result), "redirect to unsupported scheme 'gopher'");
  ASSERT_TRUE(result.error.has_value());
  EXPECT_EQ(result.error->kind, error_kind::unsupported_scheme);
}

}  // namespace
}  // namespace wordcrawl
