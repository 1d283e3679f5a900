// The cluster's Redis operations against a private redis-server: what each Lua script promises
// (answer once per request, per-host leases, reclaim and give-up, renew, release), and the
// parsing of --redis URLs and of work entries.

#include "cluster/cluster_store.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "cluster/redis_link.hpp"
#include "cluster/work_entry.hpp"
#include "support/eventually.hpp"
#include "support/redis_server.hpp"

namespace wordcrawl {
namespace {

using std::chrono::milliseconds;
using testing::redis_server;

redis_address parsed(const std::string& url) {
  auto result = parse_redis_url(url);
  EXPECT_TRUE(std::holds_alternative<redis_address>(result)) << url;
  return std::holds_alternative<redis_address>(result) ? std::get<redis_address>(result)
                                                       : redis_address{};
}

TEST(RedisUrlTest, ReadsTheForms) {
  EXPECT_EQ(parsed("redis://127.0.0.1:6380").to_string(), "redis://127.0.0.1:6380");
  EXPECT_EQ(parsed("redis://cache.example").port, 6379);
  EXPECT_EQ(parsed("redis://[::1]:6390/").host, "::1");
  EXPECT_EQ(parsed("unix:/run/redis/redis.sock").unix_path, "/run/redis/redis.sock");
  EXPECT_EQ(parsed("unix:///run/redis.sock").unix_path, "/run/redis.sock");
}

TEST(RedisUrlTest, RefusesWhatItCannotUse) {
  for (const auto* url :
       {"http://127.0.0.1:6379", "redis://", "redis://:6379", "redis://h:0", "redis://h:x",
        "redis://user:pw@h:6379", "redis://h:6379/2", "unix:relative.sock", "redis://[::1"}) {
    EXPECT_TRUE(std::holds_alternative<std::string>(parse_redis_url(url))) << url;
  }
}

TEST(WorkEntryTest, SettingsSurviveTheTrip) {
  answer_settings settings;
  settings.k = 25;
  settings.words.stopwords = word_options::stop_mode::listed;
  settings.words.stop_languages = {"en", "ru"};
  settings.words.stem = true;
  settings.words.content = content_scope::main;
  settings.words.detect_language = true;
  const auto back = decode_settings(encode_settings(settings));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->k, 25U);
  EXPECT_EQ(back->words.stopwords, word_options::stop_mode::listed);
  EXPECT_EQ(back->words.stop_languages, settings.words.stop_languages);
  EXPECT_TRUE(back->words.stem);
  EXPECT_EQ(back->words.content, content_scope::main);
  EXPECT_TRUE(back->words.detect_language);
  EXPECT_FALSE(decode_settings("{\"k\": 3}"));
  EXPECT_FALSE(decode_settings("not json"));
}

class ClusterStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WORDCRAWL_REQUIRE_REDIS_SERVER();
    redis_ = std::make_unique<redis_server>();
    options_.redis = parsed(redis_->url());
    options_.name = "t";
    options_.visibility = milliseconds(300);
    options_.max_tries = 2;
  }

  cluster_store store() const { return {options_, milliseconds(2000)}; }

  static work_entry entry(const std::string& request, const std::string& host,
                          const std::string& origin = "o") {
    work_entry item;
    item.request = request;
    item.origin = origin;
    item.url = "http://" + host + "/" + request;
    item.host = host;
    item.settings.k = 7;
    return item;
  }

  std::int64_t integer(const std::vector<std::string>& command) const {
    return redis_->command(command).integer;
  }

  std::unique_ptr<redis_server> redis_;
  cluster_options options_;
};

TEST_F(ClusterStoreTest, SubmittedEntriesAreReadBackWhole) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  std::vector<work_entry> entries{entry("o:1", "a.test"), entry("o:2", "b.test")};
  entries[1].settings.words.stem = true;
  ASSERT_TRUE(a.submit(entries));
  EXPECT_EQ(a.backlog(), 2U);
  const auto read = a.read_new("n1", 10, milliseconds(100));
  ASSERT_TRUE(read);
  ASSERT_EQ(read->size(), 2U);
  EXPECT_EQ((*read)[0].id, entries[0].id);
  EXPECT_EQ((*read)[1].url, "http://b.test/o:2");
  EXPECT_TRUE((*read)[1].settings.words.stem);
  EXPECT_EQ(a.read_new("n2", 10, milliseconds(10))->size(), 0U);  // each entry to one consumer
}

TEST_F(ClusterStoreTest, ARequestIsAnsweredOnceAndItsEntriesDeleted) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  ASSERT_TRUE(a.beat("o", true));
  // The same request twice: a resubmission.
  std::vector<work_entry> entries{entry("o:1", "a.test"), entry("o:1", "a.test")};
  ASSERT_TRUE(a.submit(entries));
  const auto read = a.read_new("n1", 10, milliseconds(100));
  ASSERT_EQ(read->size(), 2U);
  EXPECT_TRUE(a.finish((*read)[0], "line one")->sent);
  EXPECT_FALSE(a.finish((*read)[1], "line two")->sent);
  EXPECT_EQ(a.backlog(), 0U);
  EXPECT_EQ(integer({"XLEN", "t:replies:o"}), 1);
  const auto replies = a.read_replies("o", "0", milliseconds(10));
  ASSERT_EQ(replies->size(), 1U);
  EXPECT_EQ((*replies)[0].request, "o:1");
  EXPECT_EQ((*replies)[0].line, "line one");
  EXPECT_EQ(redis_->command("GET", "t:processed").str, "1");
}

TEST_F(ClusterStoreTest, HostLeasesAreLimitedAndFreedByFinish) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  ASSERT_TRUE(a.beat("o", true));
  std::vector<work_entry> entries{entry("o:1", "h.test"), entry("o:2", "h.test"),
                                  entry("o:3", "h.test"), entry("o:4", "other.test")};
  ASSERT_TRUE(a.submit(entries));
  const auto read = *a.read_new("n1", 10, milliseconds(100));
  const auto states = a.acquire(read, 2);
  ASSERT_TRUE(states);
  EXPECT_EQ(*states, (std::vector<lease_state>{lease_state::granted, lease_state::granted,
                                               lease_state::busy, lease_state::granted}));
  // Another node asking for the same host is refused too: the limit is the cluster's.
  auto b = store();
  EXPECT_EQ(b.acquire({read[2]}, 2)->front(), lease_state::busy);
  ASSERT_TRUE(a.finish(read[0], "done"));
  EXPECT_EQ(b.acquire({read[2]}, 2)->front(), lease_state::granted);
}

TEST_F(ClusterStoreTest, AFinishHandsItsHostLeaseToTheNextEntryOfTheHost) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  ASSERT_TRUE(a.beat("o", true));
  std::vector<work_entry> entries{entry("o:1", "h.test"), entry("o:2", "h.test"),
                                  entry("o:3", "h.test")};
  ASSERT_TRUE(a.submit(entries));
  const auto read = *a.read_new("n1", 10, milliseconds(100));
  ASSERT_EQ(*a.acquire({read[0]}, 1), std::vector<lease_state>{lease_state::granted});
  const auto outcome = a.finish(read[0], "done", &read[1]);
  ASSERT_TRUE(outcome);
  EXPECT_TRUE(outcome->handed_over);
  // The lease moved to the second entry: still one in use, so the third waits.
  EXPECT_EQ(integer({"ZCARD", "t:host:h.test"}), 1);
  EXPECT_EQ(a.acquire({read[2]}, 1)->front(), lease_state::busy);
  EXPECT_EQ(a.acquire({read[1]}, 1)->front(), lease_state::granted);  // it holds it already
  // An entry without a lease has none to hand over.
  EXPECT_FALSE(a.finish(read[2], "done", &read[1])->handed_over);
}

TEST_F(ClusterStoreTest, EntriesOfAGoneOriginAreDropped) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  std::vector<work_entry> entries{entry("gone:1", "a.test", "gone")};
  ASSERT_TRUE(a.submit(entries));
  const auto read = *a.read_new("n1", 10, milliseconds(100));
  EXPECT_EQ(a.acquire(read, 4)->front(), lease_state::origin_gone);
  EXPECT_EQ(a.backlog(), 0U);
}

TEST_F(ClusterStoreTest, IdleEntriesAreReclaimedThenGivenUp) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  ASSERT_TRUE(a.beat("o", true));
  std::vector<work_entry> entries{entry("o:1", "a.test")};
  ASSERT_TRUE(a.submit(entries));
  ASSERT_EQ(a.read_new("dead-node", 10, milliseconds(100))->size(), 1U);
  // Nobody renews it: past the visibility timeout another node takes it (second delivery).
  auto b = store();
  reclaim_result taken;
  ASSERT_TRUE(testing::eventually(
      [&] {
    taken = b.reclaim("n2", 10).value_or(reclaim_result{});
    return !taken.claimed.empty();
      },
      std::chrono::seconds(5)));
  EXPECT_EQ(taken.claimed[0].request, "o:1");
  EXPECT_EQ(taken.gave_up, 0U);
  // n2 dies as well: max_tries (2) deliveries, so the next reclaim gives up and answers.
  auto c = store();
  ASSERT_TRUE(testing::eventually(
      [&] {
    taken = c.reclaim("n3", 10).value_or(reclaim_result{});
    return taken.gave_up > 0;
      },
      std::chrono::seconds(5)));
  EXPECT_TRUE(taken.claimed.empty());
  EXPECT_EQ(a.backlog(), 0U);
  EXPECT_EQ(integer({"XLEN", "t:dead"}), 1);
  const auto replies = a.read_replies("o", "0", milliseconds(10));
  ASSERT_EQ(replies->size(), 1U);
  EXPECT_EQ((*replies)[0].gave_up, 2U);
}

TEST_F(ClusterStoreTest, RenewedEntriesStayWithTheirNode) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  std::vector<work_entry> entries{entry("o:1", "a.test")};
  ASSERT_TRUE(a.submit(entries));
  const auto read = *a.read_new("n1", 10, milliseconds(100));
  auto b = store();
  const auto until = std::chrono::steady_clock::now() + 3 * options_.visibility;
  while (std::chrono::steady_clock::now() < until) {  // bounded: three visibility timeouts
    ASSERT_TRUE(a.renew("n1", read));
    EXPECT_TRUE(b.reclaim("n2", 10)->claimed.empty());
    std::this_thread::sleep_for(options_.visibility / 6);  // the renew period, scaled down
  }
}

TEST_F(ClusterStoreTest, ReleasedEntriesAreReclaimedAtOnce) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  options_.visibility = milliseconds(60000);  // only a release can make it claimable now
  auto slow_a = store();
  std::vector<work_entry> entries{entry("o:1", "a.test")};
  ASSERT_TRUE(slow_a.submit(entries));
  const auto read = *slow_a.read_new("n1", 10, milliseconds(100));
  ASSERT_TRUE(slow_a.release("n1", read));
  auto b = store();
  EXPECT_EQ(b.reclaim("n2", 10)->claimed.size(), 1U);
}

TEST_F(ClusterStoreTest, ABeatNoticesALostNodeKey) {
  auto a = store();
  EXPECT_EQ(a.beat("n1", true), true);
  EXPECT_EQ(a.beat("n1", false), true);
  redis_->command("DEL", "t:node:n1");
  EXPECT_EQ(a.beat("n1", false), false);
  EXPECT_EQ(a.beat("n1", false), true);
}

TEST_F(ClusterStoreTest, CallsFailWhileRedisIsDownAndWorkAfterItRestarts) {
  auto a = store();
  ASSERT_TRUE(a.ensure_group());
  std::vector<work_entry> entries{entry("o:1", "a.test")};
  ASSERT_TRUE(a.submit(entries));
  redis_->kill();
  EXPECT_FALSE(a.backlog());
  EXPECT_FALSE(a.link().error().empty());
  redis_->restart();
  EXPECT_EQ(a.backlog(), 1U);  // appendfsync always: the entry survived
}

}  // namespace
}  // namespace wordcrawl
