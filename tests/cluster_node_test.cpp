// Cluster nodes in this process (the server class with --redis options and fake processors)
// on a private redis-server: the path of a URL from one node's client through the shared
// queue to another node's worker and back, the request's settings on the way, shutdown, and
// errors.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iostream>
#include <memory>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cluster/cluster_store.hpp"
#include "server_harness.hpp"
#include "status_support.hpp"
#include "support/redis_server.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

class ClusterNodeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WORDCRAWL_REQUIRE_REDIS_SERVER();
    redis_ = std::make_unique<redis_server>();
  }

  server_options node_options() const {
    auto options = test_options();
    options.cluster.redis = std::get<redis_address>(parse_redis_url(redis_->url()));
    options.cluster.name = "in-process";
    options.cluster.visibility = 1s;
    return options;
  }

  // The lines' URLs, each checked to be a words answer.
  static std::multiset<std::string> answered(const std::vector<std::string>& lines) {
    std::multiset<std::string> urls;
    for (const auto& line : lines) {
      const auto parsed = parse_reply(line);
      EXPECT_TRUE(parsed && parsed->result.ok()) << line;
      if (parsed) {
        urls.insert(parsed->url);
      }
    }
    return urls;
  }

  std::unique_ptr<redis_server> redis_;
};

TEST_F(ClusterNodeTest, UrlsSentToOneNodeAreWorkedByBothAndAnsweredOnce) {
  FakeProcessors work_a(fake_mode::gated);
  FakeProcessors work_b;
  RunningServer a(node_options(), work_a.factory());
  RunningServer b(node_options(), work_b.factory());
  LineClient client(a.port());
  std::multiset<std::string> sent;
  std::string lines;
  for (int i = 0; i < 40; ++i) {
    const auto url = "http://h" + std::to_string(i % 5) + ".test/" + std::to_string(i);
    sent.insert(url);
    lines += url + "\n";
  }
  client.send(lines);
  // A's workers are held: B answers what A's client sent, through the cluster.
  const auto first = client.read_lines(20);
  ASSERT_EQ(first.size(), 20U) << a.err() << b.err();
  EXPECT_GE(work_b.started(), 20);
  work_a.open_gate();
  auto all = first;
  const auto rest = client.read_lines(20);
  all.insert(all.end(), rest.begin(), rest.end());
  EXPECT_EQ(answered(all), sent);
  EXPECT_EQ(work_a.started() + work_b.started(), 40);
  EXPECT_EQ(redis_->command("XLEN", "in-process:work").integer, 0);
  const auto summary = a.finish();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->processed, static_cast<std::uint64_t>(work_a.started()));
}

// The status page draws a cluster node's workers as it draws a lone server's.
TEST_F(ClusterNodeTest, ItsWorkersShowTheirStateOnTheStatusPort) {
  auto options = node_options();
  options.status_port = 0;
  FakeProcessors work(fake_mode::gated);
  RunningServer a(options, work.factory());
  const auto port = a.get().status_endpoint()->port();
  const auto states = [&] {
    const auto reply = http_request("127.0.0.1", port, "GET", "/status");
    std::multiset<std::string> seen;
    const auto status = nlohmann::json::parse(reply.body, nullptr, false);
    if (!status.is_discarded()) {
      for (const auto& worker : status["workers"]) {
        seen.insert(worker.value("state", "") + " " + worker.value("url", ""));
      }
    }
    return seen;
  };
  EXPECT_EQ(states(), (std::multiset<std::string>{"idle ", "idle "}));
  LineClient client(a.port());
  client.send("http://a.test/1\nhttp://a.test/2\n");
  EXPECT_TRUE(eventually([&] {
    return states() ==
           std::multiset<std::string>{"fetching http://a.test/1", "fetching http://a.test/2"};
  })) << a.err();
  work.open_gate();
  EXPECT_EQ(client.read_lines(2).size(), 2U);
  EXPECT_TRUE(eventually([&] { return states() == std::multiset<std::string>{"idle ", "idle "}; }));
}

TEST_F(ClusterNodeTest, ARequestsSettingsTravelWithIt) {
  FakeProcessors work;
  RunningServer a(node_options(), work.factory());
  LineClient client(a.port());
  client.send(R"({"url": "http://a.test/x", "k": 3, "stem": true, "content": "main"})"
              "\n");
  const auto line = client.read_line();
  ASSERT_TRUE(line) << a.err();
  const auto recorded = work.settings();
  ASSERT_EQ(recorded.size(), 1U);
  const auto& settings = recorded.front();
  EXPECT_EQ(settings.k, 3U);
  EXPECT_TRUE(settings.words.stem);
  EXPECT_EQ(settings.words.content, content_scope::main);
  EXPECT_TRUE(settings.words.detect_language);  // a JSON request reports the language
}

TEST_F(ClusterNodeTest, AFailingProcessorIsAnsweredThroughTheCluster) {
  FakeProcessors work(fake_mode::throwing);
  RunningServer a(node_options(), work.factory());
  LineClient client(a.port());
  client.send("http://a.test/boom\n");
  const auto line = client.read_line();
  ASSERT_TRUE(line) << a.err();
  const auto parsed = parse_reply(*line);
  ASSERT_TRUE(parsed);
  ASSERT_FALSE(parsed->result.ok());
  EXPECT_EQ(parsed->result.error->kind, error_kind::internal);
}

TEST_F(ClusterNodeTest, PastTheGracePeriodWaitingUrlsAreAnsweredShuttingDown) {
  FakeProcessors work(fake_mode::gated);
  auto options = node_options();
  options.grace = 200ms;
  RunningServer a(options, work.factory());
  LineClient client(a.port());
  client.send("http://a.test/1\nhttp://a.test/2\nhttp://a.test/3\nhttp://a.test/4\n");
  ASSERT_TRUE(eventually([&] { return work.started() == 2; }));  // two workers, both held
  a.stop();
  const auto lines = client.read_lines(4);
  ASSERT_EQ(lines.size(), 4U) << a.err();
  for (const auto& line : lines) {
    const auto parsed = parse_reply(line);
    ASSERT_TRUE(parsed) << line;
    ASSERT_FALSE(parsed->result.ok()) << line;
    EXPECT_EQ(parsed->result.error->kind, error_kind::shutting_down) << line;
  }
  EXPECT_TRUE(a.wait_finished());
  // The held fetches were cut short by the stop: another node would work them again.
  EXPECT_EQ(redis_->command("XLEN", "in-process:work").integer, 4);
}

// Entries a dead node had claimed: a live node reclaims them after the visibility timeout and
// answers them to their origin; one delivered --max-tries times already is given up.
TEST_F(ClusterNodeTest, ALiveNodeReclaimsWhatADeadOneHeld) {
  auto options = node_options();
  options.cluster.max_tries = 2;
  cluster_store dead(options.cluster, 2s);
  ASSERT_TRUE(dead.ensure_group());
  ASSERT_TRUE(dead.beat("origin", true));
  std::vector<work_entry> entries(3);
  for (std::size_t i = 0; i < entries.size(); ++i) {
    entries[i].request = "origin:" + std::to_string(i);
    entries[i].origin = "origin";
    entries[i].url = "http://a.test/" + std::to_string(i);
    entries[i].host = "a.test";
  }
  ASSERT_TRUE(dead.submit(entries));
  ASSERT_EQ(dead.read_new("dead-1", 2, 100ms)->size(), 2U);  // one delivery each
  ASSERT_EQ(dead.read_new("dead-2", 1, 100ms)->size(), 1U);
  // The third was delivered twice: to dead-2, then claimed by dead-3, which died too.
  ASSERT_TRUE(eventually([&] { return !dead.reclaim("dead-3", 1)->claimed.empty(); }, 5s));

  FakeProcessors work;
  RunningServer b(options, work.factory());
  ASSERT_TRUE(
      eventually([&] { return redis_->command("XLEN", "in-process:work").integer == 0; }, 10s))
      << b.err();
  EXPECT_EQ(work.started(), 2);
  // Notes reach stderr through the log's own writer thread: awaited, not read at once.
  const auto noted = [&b](const std::string& note) {
    return eventually([&] { return b.err().find(note) != std::string::npos; }, 10s);
  };
  // Two URLs reclaimed, in one round or, on a loaded machine, in two.
  const auto reclaimed = [&b] {
    const auto err = b.err();
    const std::regex note(R"(cluster: reclaimed (\d+) URLs)");
    int total = 0;
    for (std::sregex_iterator it(err.begin(), err.end(), note), end; it != end; ++it) {
      total += std::stoi((*it)[1].str());
    }
    return total;
  };
  EXPECT_TRUE(eventually([&] { return reclaimed() == 2; }, 10s)) << b.err();
  EXPECT_TRUE(noted("cluster: gave up on 1 URLs after 2 tries")) << b.err();
  const auto replies = dead.read_replies("origin", "0", 10ms);
  ASSERT_TRUE(replies);
  ASSERT_EQ(replies->size(), 3U);
  std::size_t gave_up = 0;
  for (const auto& reply : *replies) {
    gave_up += reply.gave_up > 0 ? 1 : 0;
  }
  EXPECT_EQ(gave_up, 1U);
  EXPECT_EQ(redis_->command("XLEN", "in-process:dead").integer, 1);
}

TEST_F(ClusterNodeTest, RedisOnAUnixSocketServesAsWell) {
  redis_server_options socket_options;
  socket_options.unix_socket = true;
  const redis_server local(socket_options);
  auto options = node_options();
  options.cluster.redis = std::get<redis_address>(parse_redis_url(local.url()));
  ASSERT_FALSE(options.cluster.redis->unix_path.empty());
  FakeProcessors work;
  RunningServer a(options, work.factory());
  LineClient client(a.port());
  client.send("http://a.test/1\nhttp://a.test/2\n");
  EXPECT_EQ(answered(client.read_lines(2)),
            (std::multiset<std::string>{"http://a.test/1", "http://a.test/2"}));
  EXPECT_EQ(local.command("GET", "in-process:processed").str, "2");
}

TEST_F(ClusterNodeTest, ANodeWithoutRedisDoesNotStart) {
  redis_->kill();
  FakeProcessors work;
  EXPECT_THROW(
      {
        try {
          const server node(node_options(), work.factory(), std::cout, std::cerr);
        } catch (const std::runtime_error& e) {
          EXPECT_NE(std::string(e.what()).find("cannot join the cluster"), std::string::npos);
          throw;
        }
      },
      std::runtime_error);
}

}  // namespace
}  // namespace wordcrawl::testing
