// Protected mode: a server listening beyond loopback with neither tokens nor --no-auth serves
// loopback clients only. A peer that is not loopback needs a second address: each test runs on
// a thread of its own in a private network namespace (root only; skipped otherwise) whose
// loopback interface also holds 10.77.0.1, so a connection to 10.77.0.1 comes from 10.77.0.1.

#include <functional>
#include <memory>
#include <sched.h>
#include <string>
#include <thread>
#include <variant>

#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>

#include "connection.hpp"
#include "network/auth_tokens.hpp"
#include "network/peer_address.hpp"
#include "server_harness.hpp"
#include "support/child_process.hpp"
#include "support/private_network.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

constexpr const char* other_address = "10.77.0.1";
constexpr const char* token = "protected-test-token-0123456789";

// Sends lines from other_address (or loopback) and returns the first line back, "" if none.
std::string first_answer(const std::string& host, std::uint16_t port, const std::string& lines) {
  connection link(max_reply_bytes);
  if (const auto ec = link.connect(host, port, 5s)) {
    return "cannot connect: " + ec.message();
  }
  if (const auto ec = link.write(lines, 5s)) {
    return "cannot send: " + ec.message();
  }
  framed_line line;
  if (const auto ec = link.read_line(line, 10s)) {
    return "no answer: " + ec.message();
  }
  return line.text;
}

bool is_answer_to(const std::string& line, const std::string& expected_url) {
  const auto answer = parse_reply(line);
  return answer && answer->url == expected_url && !answer->result.error;
}

class LinkProtectedTest : public ServerTest {
 protected:
  void SetUp() override { options_.host = "0.0.0.0"; }
};

TEST_F(LinkProtectedTest, AnExposedServerWithoutAuthRefusesOtherAddresses) {
  std::string remote;
  std::string local;
  const bool ran = in_private_network(other_address, [&] {
    start();
    remote = first_answer(other_address, server().port(), url_lines(0, 1));
    local = first_answer("127.0.0.1", server().port(), url_lines(1, 1));
  });
  if (!ran) {
    GTEST_SKIP() << "no private network namespace here (needs root)";
  }
  const auto refusal = parse_connection_error(remote);
  ASSERT_TRUE(refusal.has_value()) << remote;
  EXPECT_EQ(refusal->kind, error_kind::unauthorized);
  EXPECT_NE(refusal->message.find("protected mode"), std::string::npos) << remote;
  EXPECT_NE(refusal->message.find("--auth-token-file"), std::string::npos) << remote;
  EXPECT_NE(refusal->message.find("--tls-cert"), std::string::npos) << remote;
  EXPECT_NE(refusal->message.find("--no-auth"), std::string::npos) << remote;
  EXPECT_TRUE(is_answer_to(local, url(1))) << "loopback is served: " << local;
  EXPECT_EQ(fakes().order(), std::vector<std::string>{url(1)});
  EXPECT_NE(server().get().exposure_warning().find("protected mode"), std::string::npos);
}

TEST_F(LinkProtectedTest, NoAuthServesOtherAddresses) {
  options_.link.no_auth = true;
  std::string remote;
  const bool ran = in_private_network(other_address, [&] {
    start();
    remote = first_answer(other_address, server().port(), url_lines(0, 1));
  });
  if (!ran) {
    GTEST_SKIP() << "no private network namespace here (needs root)";
  }
  EXPECT_TRUE(is_answer_to(remote, url(0))) << remote;
  EXPECT_NE(server().get().exposure_warning().find("--no-auth"), std::string::npos);
}

TEST_F(LinkProtectedTest, ATokenServesOtherAddresses) {
  options_.link.tokens = std::get<auth_tokens>(auth_tokens::parse(token));
  std::string remote;
  std::string without_token;
  const bool ran = in_private_network(other_address, [&] {
    start();
    remote = first_answer(other_address, server().port(), encode_auth(token) + url_lines(0, 1));
    without_token = first_answer(other_address, server().port(), url_lines(1, 1));
  });
  if (!ran) {
    GTEST_SKIP() << "no private network namespace here (needs root)";
  }
  EXPECT_TRUE(is_answer_to(remote, url(0))) << remote;
  const auto refusal = parse_connection_error(without_token);
  ASSERT_TRUE(refusal.has_value()) << without_token;
  EXPECT_EQ(refusal->kind, error_kind::unauthorized);
  EXPECT_NE(server().get().exposure_warning().find("clear text"), std::string::npos);
}

TEST(LinkProtectedDefaults, ALoopbackServerHasNothingToWarnAbout) {
  FakeProcessors fakes;
  RunningServer running(test_options(), fakes.factory());
  EXPECT_EQ(running.get().exposure_warning(), "");
}

TEST(LinkPeerAddress, LoopbackIsOnly127And1AndTheirMappedForm) {
  using boost::asio::ip::make_address;
  for (const auto* text : {"127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"}) {
    EXPECT_TRUE(is_loopback(make_address(text))) << text;
  }
  for (const auto* text : {"0.0.0.0", "::", "10.77.0.1", "::ffff:10.0.0.1", "128.0.0.1"}) {
    EXPECT_FALSE(is_loopback(make_address(text))) << text;
  }
  EXPECT_EQ(canonical_address(make_address("::ffff:10.0.0.1")), make_address("10.0.0.1"));
}

}  // namespace
}  // namespace wordcrawl::testing
