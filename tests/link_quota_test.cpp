// Per-address quotas of the client link: --client-rate (a token bucket over all connections of
// one address) and --max-clients-per-address, and how the client takes a quota refusal.

#include <chrono>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <boost/asio/ip/address.hpp>
#include <gtest/gtest.h>

#include "client_options.hpp"
#include "network/client_quota.hpp"
#include "run_client.hpp"
#include "server_harness.hpp"
#include "support/temp_dir.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

using boost::asio::ip::make_address;
using quota_clock = client_quota::clock;

TEST(LinkQuotaTable, ABucketGivesItsBurstThenRefillsOverAMinute) {
  client_quota quota({.urls_per_minute = 3, .connections = 0});
  const auto start = quota_clock::now();
  const auto peer = make_address("10.0.0.1");
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(quota.take_url(peer, start)) << i;
  }
  EXPECT_FALSE(quota.take_url(peer, start));
  EXPECT_TRUE(quota.take_url(make_address("10.0.0.2"), start)) << "addresses are apart";
  EXPECT_FALSE(quota.take_url(peer, start + 19s));
  EXPECT_TRUE(quota.take_url(peer, start + 21s)) << "one URL per 20 s comes back";
  EXPECT_FALSE(quota.take_url(peer, start + 22s));
}

TEST(LinkQuotaTable, BothFormsOfAnIpv4AddressShareOneEntry) {
  client_quota quota({.urls_per_minute = 1, .connections = 0});
  const auto now = quota_clock::now();
  EXPECT_TRUE(quota.take_url(make_address("10.0.0.1"), now));
  EXPECT_FALSE(quota.take_url(make_address("::ffff:10.0.0.1"), now));
}

TEST(LinkQuotaTable, CountsConnectionsPerAddress) {
  client_quota quota({.urls_per_minute = 0, .connections = 2});
  const auto peer = make_address("10.0.0.1");
  EXPECT_TRUE(quota.try_connect(peer));
  EXPECT_TRUE(quota.try_connect(peer));
  EXPECT_FALSE(quota.try_connect(peer));
  quota.disconnect(peer);
  EXPECT_TRUE(quota.try_connect(peer));
}

TEST(LinkQuotaTable, IdleEntriesArePruned) {
  client_quota quota({.urls_per_minute = 5, .connections = 4});
  const auto start = quota_clock::now();
  const auto held = make_address("10.1.0.1");
  ASSERT_TRUE(quota.try_connect(held, start));
  constexpr int addresses = 5000;
  for (int i = 0; i < addresses; ++i) {
    const auto peer =
        make_address("10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250));
    ASSERT_TRUE(quota.take_url(peer, start + std::chrono::milliseconds(i)));
  }
  // Entries seen within the last minute are kept (their buckets are not full again), but a
  // flood never grows the table much past twice what pruning left.
  EXPECT_LE(quota.entries(), std::size_t{addresses} + 1);
  // A minute later every bucket is full again: only the connected address is left.
  EXPECT_TRUE(quota.take_url(make_address("10.3.0.1"), start + 2min));
  EXPECT_EQ(quota.entries(), 2U);
  EXPECT_FALSE(quota.try_connect(held, start + 2min) && quota.try_connect(held, start + 2min) &&
               quota.try_connect(held, start + 2min) && quota.try_connect(held, start + 2min))
      << "the connected address kept its count";
}

TEST(LinkQuotaTable, OffKeepsNothing) {
  client_quota quota({});
  EXPECT_FALSE(quota.enabled());
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(quota.take_url(make_address("10.0.0.1")));
    EXPECT_TRUE(quota.try_connect(make_address("10.0.0.1")));
  }
  EXPECT_EQ(quota.entries(), 0U);
}

class LinkQuotaTest : public ServerTest {};

TEST_F(LinkQuotaTest, TheUrlOverTheRateIsAnsweredQuotaAndNotFetched) {
  options_.link.quota.urls_per_minute = 3;
  start();
  auto client = connect();
  client.send(url_lines(0, 4));
  const auto lines = client.read_lines(4);
  ASSERT_EQ(lines.size(), 4U);
  std::set<std::string> ok;
  for (const auto& line : lines) {
    const auto answer = parse_reply(line);
    ASSERT_TRUE(answer.has_value()) << line;
    if (answer->url == url(3)) {
      ASSERT_TRUE(answer->result.error) << line;
      EXPECT_EQ(answer->result.error->kind, error_kind::quota) << line;
      EXPECT_EQ(answer->result.error->message.rfind("quota: ", 0), 0U) << line;
    } else {
      EXPECT_FALSE(answer->result.error) << line;
      ok.insert(answer->url);
    }
  }
  EXPECT_EQ(ok, (std::set<std::string>{url(0), url(1), url(2)}));
  EXPECT_EQ(fakes().started(), 3);
}

TEST_F(LinkQuotaTest, TheRateCountsEveryConnectionOfTheAddress) {
  options_.link.quota.urls_per_minute = 2;
  start();
  auto first = connect();
  first.send(url_lines(0, 2));
  ASSERT_EQ(first.read_lines(2).size(), 2U);
  auto second = connect();
  second.send(url_lines(2, 1));
  const auto answer = parse_reply(second.read_line().value_or(""));
  ASSERT_TRUE(answer && answer->result.error);
  EXPECT_EQ(answer->result.error->kind, error_kind::quota);
  EXPECT_EQ(fakes().started(), 2);
}

TEST_F(LinkQuotaTest, AConnectionOverTheAddressLimitIsRefused) {
  options_.link.quota.connections = 1;
  start();
  auto first = connect();
  first.send(url_lines(0, 1));
  ASSERT_TRUE(first.read_line().has_value());  // the first is served
  auto second = connect();
  const auto line = second.read_line();
  ASSERT_TRUE(line.has_value());
  const auto refusal = parse_connection_error(*line);
  ASSERT_TRUE(refusal.has_value()) << *line;
  EXPECT_EQ(refusal->kind, error_kind::quota);
  EXPECT_NE(refusal->message.find("quota: too many connections from 127.0.0.1"), std::string::npos)
      << *line;
  EXPECT_TRUE(second.wait_closed());
  // Once the first leaves, its address may connect again.
  first.reset();
  EXPECT_TRUE(eventually(
      [&] {
    auto third = connect();
    third.send(url_lines(1, 1));
    const auto answer = parse_reply(third.read_line().value_or(""));
    return answer && !answer->result.error;
      },
      10s));
}

TEST_F(LinkQuotaTest, TheClientRetriesAQuotaRefusalLikeBusy) {
  options_.link.quota.connections = 1;
  start();
  auto holder = connect();
  holder.send(url_lines(0, 1));
  ASSERT_TRUE(holder.read_line().has_value());
  const temp_dir dir;
  client_options options;
  options.file = dir.write("urls.txt", url_lines(10, 3));
  options.port = server().port();
  options.reconnect_delay = 50ms;
  options.busy_wait = 20s;
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  int code = -1;
  std::thread client([&] { code = run_client(options, in, out, err); });
  // A second session while the holder has the address's one slot is a refused one (it lingers
  // for the refuse delay); once the holder leaves, the client's retry gets in.
  const bool refused = server().wait_for_clients(2);
  holder.reset();
  client.join();
  EXPECT_TRUE(refused);
  EXPECT_EQ(code, exit_all_answered) << err.str();
  EXPECT_EQ(fakes().started(), 4);
  const auto summary = server().finish();
  ASSERT_TRUE(summary.has_value());
  EXPECT_GE(summary->rejected, 1U) << "the refusal";
}

}  // namespace
}  // namespace wordcrawl::testing
