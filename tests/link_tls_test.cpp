// TLS on the client link (server --tls-cert/--tls-key, client --tls): the real client binary
// against an in-process server with a certificate from a CA the test makes with openssl, the
// client's verification (another CA, a host name the certificate lacks), and the server's
// deadlines, idle timeout and graceful stop over TLS.

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <boost/asio/ssl/context.hpp>
#include <gtest/gtest.h>

#include "client_tls.hpp"
#include "connection.hpp"
#include "network/auth_tokens.hpp"
#include "network/tls_context.hpp"
#include "server_harness.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

constexpr const char* openssl_program = "/usr/bin/openssl";
constexpr const char* token = "tls-test-token-0123456789abcdef";

// Runs openssl with args; an empty string on success, else what it wrote to stderr.
std::string run_openssl(const std::vector<std::string>& args) {
  child_process openssl(openssl_program, args);
  const auto status = openssl.wait(30s);
  return status == 0 ? std::string() : "openssl failed: " + openssl.stderr_text();
}

// A CA, a server certificate it signed for DNS:localhost only, and a second CA that signed
// nothing here; made once for the whole suite.
struct test_certificates {
  temp_dir dir;
  std::string error;

  test_certificates() {
    const std::vector<std::string> ec{"-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                                      "-nodes"};
    for (const std::string name : {"ca", "other-ca"}) {
      std::vector<std::string> make_ca{"req", "-x509"};
      make_ca.insert(make_ca.end(), ec.begin(), ec.end());
      make_ca.insert(make_ca.end(),
                     {"-keyout", dir.file(name + ".key"), "-out", dir.file(name + ".pem"), "-days",
                      "1", "-subj", "/CN=wordcrawl " + name});
      error += run_openssl(make_ca);
    }
    std::vector<std::string> request{"req", "-new"};
    request.insert(request.end(), ec.begin(), ec.end());
    request.insert(request.end(), {"-keyout", dir.file("server.key"), "-out",
                                   dir.file("server.csr"), "-subj", "/CN=localhost"});
    error += run_openssl(request);
    const auto ext =
        dir.write("ext.cnf", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:localhost\n");
    error += run_openssl({"x509", "-req", "-in", dir.file("server.csr"), "-CA", dir.file("ca.pem"),
                          "-CAkey", dir.file("ca.key"), "-CAcreateserial", "-days", "1", "-extfile",
                          ext, "-out", dir.file("server.pem")});
    dir.write("token", std::string(token) + "\n");
  }
};

class LinkTlsTest : public ServerTest {
 protected:
  // Made by the first test that asks, removed when the test program exits.
  static const test_certificates& certificates() {
    static const test_certificates made;
    return made;
  }

  static std::string file(const std::string& name) { return certificates().dir.file(name); }

  void SetUp() override {
    ASSERT_EQ(certificates().error, "");
    auto tls = make_server_tls(file("server.pem"), file("server.key"));
    ASSERT_TRUE(std::holds_alternative<std::shared_ptr<boost::asio::ssl::context>>(tls))
        << std::get<std::string>(tls);
    options_.link.tls = std::get<0>(tls);
  }

  // The client binary over the given URLs with the link options, exit status and output.
  struct binary_run {
    std::optional<int> status;
    std::string out;
    std::string err;
  };
  binary_run run_client_binary(const std::string& host, const std::string& ca, std::size_t urls) {
    const temp_dir dir;
    child_process client(WORDCRAWL_CLIENT_BIN,
                         {"1", dir.write("urls.txt", url_lines(0, urls)), "--host", host, "--port",
                          std::to_string(server().port()), "--tls", "--tls-ca", ca,
                          "--auth-token-file", file("token"), "--reconnect-delay", "2"});
    binary_run run;
    run.out = client.read_rest(20s);
    run.status = client.wait(20s);
    run.err = client.stderr_text();
    return run;
  }

  // A TLS connection with the client's own code, verified against the test CA.
  std::unique_ptr<connection> tls_connection() {
    auto made = make_client_tls(file("ca.pem"));
    EXPECT_TRUE(std::holds_alternative<std::shared_ptr<boost::asio::ssl::context>>(made));
    client_tls_ = std::get<0>(made);
    auto link = std::make_unique<connection>(max_reply_bytes, client_tls_.get());
    const auto ec = link->connect("localhost", server().port(), 5s);
    EXPECT_FALSE(ec) << ec.message() << " " << link->verify_error();
    return link;
  }

 private:
  std::shared_ptr<boost::asio::ssl::context> client_tls_;
};

TEST_F(LinkTlsTest, TheClientBinaryIsServedOverTlsWithItsToken) {
  options_.link.tokens = std::get<auth_tokens>(auth_tokens::parse(token));
  start();
  const auto run = run_client_binary("localhost", file("ca.pem"), 3);
  EXPECT_EQ(run.status, 0) << run.err;
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NE(run.out.find(url(i) + ": {"), std::string::npos) << run.out;
  }
  EXPECT_EQ(fakes().started(), 3);
}

TEST_F(LinkTlsTest, ACertificateFromAnotherCaIsRefusedByTheClient) {
  start();
  const auto begun = std::chrono::steady_clock::now();
  const auto run = run_client_binary("localhost", file("other-ca.pem"), 2);
  EXPECT_LT(std::chrono::steady_clock::now() - begun, 1900ms) << "no retry after a bad certificate";
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("cannot verify the TLS certificate of localhost:"), std::string::npos)
      << run.err;
  EXPECT_EQ(fakes().started(), 0);
}

TEST_F(LinkTlsTest, AHostNameTheCertificateLacksIsRefusedByTheClient) {
  start();
  const auto run = run_client_binary("127.0.0.1", file("ca.pem"), 2);
  EXPECT_EQ(run.status, 2);
  EXPECT_NE(run.err.find("the certificate does not name 127.0.0.1"), std::string::npos) << run.err;
  EXPECT_EQ(fakes().started(), 0);
}

TEST_F(LinkTlsTest, APlainClientIsNotServed) {
  start();
  auto client = connect();
  client.send(url_lines(0, 2));
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(fakes().started(), 0);
}

TEST_F(LinkTlsTest, AStalledHandshakeIsClosedAtTheDeadline) {
  options_.limits.auth_timeout = 300ms;
  start();
  auto client = connect();  // plain TCP, says nothing: the handshake never starts
  EXPECT_TRUE(client.wait_closed(5s));
}

TEST_F(LinkTlsTest, AnIdleTlsClientIsClosed) {
  options_.limits.idle_timeout = 300ms;
  start();
  auto link = tls_connection();
  framed_line line;
  const auto begun = std::chrono::steady_clock::now();
  EXPECT_TRUE(link->read_line(line, 10s)) << "closed by the server";
  EXPECT_LT(std::chrono::steady_clock::now() - begun, 5s);
}

TEST_F(LinkTlsTest, AGracefulStopAnswersWhatATlsClientSent) {
  start(fake_mode::gated);
  auto link = tls_connection();
  ASSERT_FALSE(link->write(url_lines(0, 1), 5s));
  ASSERT_TRUE(eventually([&] { return fakes().started() == 1; }, 10s));
  server().stop();
  fakes().open_gate();
  framed_line line;
  ASSERT_FALSE(link->read_line(line, 10s));
  const auto answer = parse_reply(line.text);
  ASSERT_TRUE(answer.has_value()) << line.text;
  EXPECT_EQ(answer->url, url(0));
  EXPECT_FALSE(answer->result.error) << line.text;
  EXPECT_TRUE(link->read_line(line, 10s)) << "then the server closes";
  EXPECT_TRUE(server().wait_finished());
}

TEST_F(LinkTlsTest, ATlsClientThatDoesNotReadIsClosedAfterTheWriteTimeout) {
  options_.limits.write_timeout = 200ms;
  start();
  auto link = tls_connection();
  // Each over-long line is answered with an 8 KiB line: far more than the socket buffers hold,
  // and this client reads none of them, so the server's write stalls until its deadline.
  const std::string huge(max_line_bytes + 1, 'x');
  std::string lines;
  for (int i = 0; i < 4000; ++i) {
    lines += huge + "\n";
  }
  const auto since = server().err_size();
  EXPECT_TRUE(link->write(lines, 20s)) << "the server closed the connection";
  EXPECT_TRUE(eventually([&] { return server().rate_line_since("clients 0", since); }, 10s));
}

TEST(LinkTlsOptions, BadCertificateFilesStopTheServerWithExit2) {
  const temp_dir dir;
  const auto junk = dir.write("junk.pem", "not a certificate\n");
  for (const auto& args : std::vector<std::vector<const char*>>{
           {"server", "--tls-cert", junk.c_str(), "--tls-key", junk.c_str()},
           {"server", "--tls-cert", junk.c_str()},
           {"server", "--tls-key", junk.c_str()}}) {
    std::ostringstream out;
    std::ostringstream err;
    const auto parsed = parse_server_options(static_cast<int>(args.size()), args.data(), out, err);
    EXPECT_FALSE(parsed.options.has_value());
    EXPECT_EQ(parsed.exit_code, 2) << err.str();
    EXPECT_NE(err.str().find("--tls-"), std::string::npos) << err.str();
  }
}

}  // namespace
}  // namespace wordcrawl::testing
