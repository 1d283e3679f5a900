// The redis fixture itself: the cluster tests trust it to start a private server, to keep
// every acknowledged write across a SIGKILL, and to never hand two tests the same server.

#include "support/redis_server.hpp"

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

// Designated initializers that leave out a member trip -Wmissing-field-initializers on g++ 12.
redis_server_options unix_socket_options() {
  redis_server_options options;
  options.unix_socket = true;
  return options;
}

TEST(RedisServerFixture, StartsAndAnswersPing) {
  WORDCRAWL_REQUIRE_REDIS_SERVER();
  const redis_server redis;
  EXPECT_NE(redis.port(), 0);
  EXPECT_EQ(redis.url(), "redis://127.0.0.1:" + std::to_string(redis.port()));
  const auto pong = redis.command("PING");
  EXPECT_EQ(pong.type, redis_reply::kind::status);
  EXPECT_EQ(pong.str, "PONG");
  // The fixture's settings, not the defaults of a system redis.
  EXPECT_EQ(redis.command("CONFIG", "GET", "appendfsync").flatten(),
            (std::vector<std::string>{"appendfsync", "always"}));
  EXPECT_EQ(redis.command("CONFIG", "GET", "dir").flatten().at(1),
            std::filesystem::canonical(redis.dir()).string());
}

TEST(RedisServerFixture, ErrorRepliesAreReturnedNotThrown) {
  WORDCRAWL_REQUIRE_REDIS_SERVER();
  const redis_server redis;
  const auto reply = redis.command("NO-SUCH-COMMAND");
  EXPECT_TRUE(reply.is_error()) << reply.to_string();
}

TEST(RedisServerFixture, StreamEntrySurvivesKillAndRestart) {
  WORDCRAWL_REQUIRE_REDIS_SERVER();
  redis_server redis;
  const auto port = redis.port();
  const auto id = redis.command("XADD", "jobs", "*", "url", "http://a.test/", "n", 1);
  ASSERT_EQ(id.type, redis_reply::kind::string) << id.to_string();
  ASSERT_EQ(redis.command("XGROUP", "CREATE", "jobs", "workers", "0").str, "OK");
  const auto read =
      redis.command("XREADGROUP", "GROUP", "workers", "node-1", "COUNT", 1, "STREAMS", "jobs", ">");
  ASSERT_EQ(read.type, redis_reply::kind::array) << read.to_string();

  // SIGKILL skips every shutdown flush: only what appendfsync always wrote at once survives.
  redis.kill();
  EXPECT_FALSE(redis.running());
  EXPECT_THROW(redis.command("PING"), std::runtime_error);
  redis.restart();

  EXPECT_TRUE(redis.running());
  EXPECT_EQ(redis.port(), port);
  EXPECT_EQ(redis.command("XLEN", "jobs").integer, 1);
  EXPECT_EQ(redis.command("EXISTS", "jobs").integer, 1);
  // The consumer group and its pending entry came back too: a node that died mid-job leaves
  // the job claimable.
  const auto pending = redis.command("XPENDING", "jobs", "workers");
  ASSERT_EQ(pending.type, redis_reply::kind::array) << pending.to_string();
  EXPECT_EQ(pending.elements.at(0).integer, 1) << pending.to_string();
  EXPECT_EQ(pending.elements.at(1).str, id.str) << pending.to_string();
}

TEST(RedisServerFixture, StopThenRestartKeepsData) {
  WORDCRAWL_REQUIRE_REDIS_SERVER();
  redis_server redis;
  ASSERT_EQ(redis.command("SET", "k", "v").str, "OK");
  redis.stop();
  EXPECT_FALSE(redis.running());
  redis.restart();
  EXPECT_EQ(redis.command("GET", "k").str, "v");
}

TEST(RedisServerFixture, UnixSocketForm) {
  WORDCRAWL_REQUIRE_REDIS_SERVER();
  redis_server redis(unix_socket_options());
  EXPECT_EQ(redis.port(), 0);
  EXPECT_EQ(redis.url(), "unix:" + redis.socket_path());
  EXPECT_TRUE(std::filesystem::is_socket(redis.socket_path()));
  EXPECT_EQ(redis.command("PING").str, "PONG");
  EXPECT_EQ(redis.command("XADD", "jobs", "*", "f", "v").type, redis_reply::kind::string);
  redis.kill();
  redis.restart();
  EXPECT_EQ(redis.command("XLEN", "jobs").integer, 1);
}

TEST(RedisServerFixture, TwoFixturesAreSeparateServers) {
  WORDCRAWL_REQUIRE_REDIS_SERVER();
  const redis_server first;
  const redis_server second;
  EXPECT_NE(first.port(), second.port());
  EXPECT_NE(first.dir(), second.dir());
  ASSERT_EQ(first.command("SET", "only-here", 1).str, "OK");
  EXPECT_EQ(second.command("EXISTS", "only-here").integer, 0);
}

TEST(RedisServerFixture, ExtraArgsReachTheServer) {
  WORDCRAWL_REQUIRE_REDIS_SERVER();
  redis_server_options options;
  options.extra_args = {"--maxmemory", "10mb"};
  const redis_server redis(options);
  EXPECT_EQ(redis.command("CONFIG", "GET", "maxmemory").flatten().at(1), "10485760");
}

TEST(RedisServerFixture, DestructorKillsAndCleansUp) {
  WORDCRAWL_REQUIRE_REDIS_SERVER();
  std::filesystem::path dir;
  std::string socket;
  {
    const redis_server redis(unix_socket_options());
    dir = redis.dir();
    socket = redis.socket_path();
    ASSERT_TRUE(std::filesystem::exists(dir));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(socket).parent_path()));
}

}  // namespace
}  // namespace wordcrawl::testing
