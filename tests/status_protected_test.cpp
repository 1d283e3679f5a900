// The status port guarded like the client link: listening beyond loopback without tokens nor
// --no-auth, peers not on loopback get 403; with tokens they need "Authorization: Bearer".
// A second address comes from a private network namespace (root only; skipped otherwise), as
// in link_protected_test.cpp.

#include <functional>
#include <sched.h>
#include <string>
#include <thread>
#include <variant>

#include <gtest/gtest.h>

#include "network/auth_tokens.hpp"
#include "server_harness.hpp"
#include "status_support.hpp"
#include "support/child_process.hpp"
#include "support/private_network.hpp"

namespace wordcrawl::testing {
namespace {

constexpr const char* other_address = "10.77.0.2";
constexpr const char* token = "status-test-token-0123456789";

class StatusProtectedTest : public ServerTest {
 protected:
  void SetUp() override {
    options_.status_port = 0;
    options_.status_host = "0.0.0.0";
  }

  http_reply get_from(const std::string& host, const std::string& headers = "") {
    return http_request(host, server().get().status_endpoint()->port(), "GET", "/metrics", headers);
  }
};

TEST_F(StatusProtectedTest, WithoutTokensOtherAddressesGetForbidden) {
  http_reply remote;
  http_reply local;
  const bool ran = in_private_network(other_address, [&] {
    start();
    remote = get_from(other_address);
    local = get_from("127.0.0.1");
    server().finish();
  });
  if (!ran) {
    GTEST_SKIP() << "needs a private network namespace (root)";
  }
  EXPECT_EQ(remote.status, 403);
  EXPECT_NE(remote.body.find("protected mode"), std::string::npos) << remote.body;
  EXPECT_NE(remote.body.find("--auth-token-file"), std::string::npos) << remote.body;
  EXPECT_EQ(local.status, 200);
}

TEST_F(StatusProtectedTest, WithTokensOtherAddressesNeedABearerToken) {
  auto tokens = auth_tokens::parse(token);
  ASSERT_TRUE(std::holds_alternative<auth_tokens>(tokens));
  options_.link.tokens = std::get<auth_tokens>(tokens);
  http_reply none;
  http_reply wrong;
  http_reply right;
  http_reply local;
  const bool ran = in_private_network(other_address, [&] {
    start();
    none = get_from(other_address);
    wrong = get_from(other_address, "Authorization: Bearer not-the-token-0123456789\r\n");
    right = get_from(other_address, std::string("Authorization: Bearer ") + token + "\r\n");
    local = get_from("127.0.0.1");
    server().finish();
  });
  if (!ran) {
    GTEST_SKIP() << "needs a private network namespace (root)";
  }
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.header("www-authenticate"), "Bearer");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(right.status, 200);
  EXPECT_EQ(local.status, 200);
}

TEST_F(StatusProtectedTest, NoAuthServesEveryone) {
  options_.link.no_auth = true;
  http_reply remote;
  const bool ran = in_private_network(other_address, [&] {
    start();
    remote = get_from(other_address);
    server().finish();
  });
  if (!ran) {
    GTEST_SKIP() << "needs a private network namespace (root)";
  }
  EXPECT_EQ(remote.status, 200);
}

}  // namespace
}  // namespace wordcrawl::testing
