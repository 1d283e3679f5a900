// Crawl delays: the host_pacer on its own, then the whole server spacing the requests to one
// host (--delay, a robots.txt Crawl-delay up to --max-crawl-delay) as the upstream fixture
// sees them arrive, while other hosts' work goes on.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "fetch/crawl_policy.hpp"
#include "fetch/curl_global.hpp"
#include "fetch/curl_share_state.hpp"
#include "fetch/fetching_processor.hpp"
#include "fetch/host_pacer.hpp"
#include "fetch/robots_cache.hpp"
#include "server_harness.hpp"
#include "support/http_fixture.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

// The server's clock and the fixture's are the same steady clock, but a request arrives a
// little after the server started it, and not always equally late: on a loaded machine (a
// sanitizer build, two test processes per core) a transfer thread can start a few hundred
// milliseconds late. The delays below are long enough that this slack still tells a spaced
// request from one sent at once (a millisecond apart).
constexpr auto arrival_jitter = 250ms;

std::string timeline(const std::vector<request_arrival>& arrivals) {
  std::string text;
  for (const auto& arrival : arrivals) {
    text += arrival.target + " at " +
            std::to_string((arrival.at - arrivals.front().at) / std::chrono::milliseconds(1)) +
            " ms\n";
  }
  return text;
}

std::vector<clock_type::duration> gaps(const std::vector<request_arrival>& arrivals) {
  std::vector<clock_type::duration> result;
  for (std::size_t i = 1; i < arrivals.size(); ++i) {
    result.push_back(arrivals[i].at - arrivals[i - 1].at);
  }
  return result;
}

TEST(HostPacer, TurnsAtOneHostAreTheDelayApart) {
  host_pacer pacer(150ms);
  const std::atomic<bool> cancel{false};
  const auto far = clock_type::now() + 10s;
  const auto before = clock_type::now();
  ASSERT_TRUE(pacer.wait_turn("a.test", 0ms, far, cancel));
  const auto first = clock_type::now();
  ASSERT_TRUE(pacer.wait_turn("a.test", 0ms, far, cancel));
  const auto second = clock_type::now();
  EXPECT_LT(first - before, 100ms) << "the first turn comes at once";
  EXPECT_GE(second - before, 150ms);
}

TEST(HostPacer, AHostsOwnGapCountsFromItsLastTurn) {
  host_pacer pacer(0ms);
  const std::atomic<bool> cancel{false};
  const auto far = clock_type::now() + 10s;
  const auto before = clock_type::now();
  ASSERT_TRUE(pacer.wait_turn("a.test", 0ms, far, cancel));
  // Its Crawl-delay became known after the first request (the robots.txt).
  ASSERT_TRUE(pacer.wait_turn("a.test", 200ms, far, cancel));
  EXPECT_GE(clock_type::now() - before, 200ms);
}

TEST(HostPacer, OtherHostsDoNotWait) {
  host_pacer pacer(2s);
  const std::atomic<bool> cancel{false};
  const auto far = clock_type::now() + 10s;
  ASSERT_TRUE(pacer.wait_turn("a.test", 0ms, far, cancel));
  const auto before = clock_type::now();
  ASSERT_TRUE(pacer.wait_turn("b.test", 0ms, far, cancel));
  EXPECT_LT(clock_type::now() - before, 1s);
  EXPECT_GT(pacer.ready_at("a.test"), clock_type::now());
  EXPECT_LE(pacer.ready_at("c.test"), clock_type::now());
}

TEST(HostPacer, ATurnPastTheDeadlineOrAfterCancelIsNotWaitedFor) {
  host_pacer pacer(5s);
  std::atomic<bool> cancel{false};
  ASSERT_TRUE(pacer.wait_turn("a.test", 0ms, clock_type::now() + 10s, cancel));
  const auto before = clock_type::now();
  EXPECT_FALSE(pacer.wait_turn("a.test", 0ms, clock_type::now() + 1s, cancel));
  EXPECT_LT(clock_type::now() - before, 1s) << "a turn after the deadline fails at once";
  std::thread canceller([&] { cancel = true; });
  EXPECT_FALSE(pacer.wait_turn("a.test", 0ms, clock_type::now() + 10s, cancel));
  canceller.join();
  EXPECT_LT(clock_type::now() - before, 4s);
}

TEST(HostPacer, ATurnTakenByTheQueueIsUsedByTheSameThreadOnly) {
  host_pacer pacer(300ms);
  const std::atomic<bool> cancel{false};
  const auto far = clock_type::now() + 10s;
  const auto before = clock_type::now();
  pacer.take_turn("a.test");
  ASSERT_TRUE(pacer.wait_turn("a.test", 0ms, far, cancel));  // this job's first request
  EXPECT_LT(clock_type::now() - before, 200ms);
  ASSERT_TRUE(pacer.wait_turn("a.test", 0ms, far, cancel));  // its second waits its turn
  EXPECT_GE(clock_type::now() - before, 300ms);
  pacer.take_turn("b.test");
  const auto taken = clock_type::now();
  std::thread other([&] {
    EXPECT_TRUE(pacer.wait_turn("b.test", 0ms, far, cancel));
    EXPECT_GE(clock_type::now() - taken, 300ms) << "another thread cannot use the turn";
  });
  other.join();
}

TEST(HostPacer, ForgetsHostsWhoseTurnHasCome) {
  host_pacer pacer(0ms);
  const std::atomic<bool> cancel{false};
  const auto far = clock_type::now() + 10s;
  for (int i = 0; i < 5000; ++i) {
    ASSERT_TRUE(pacer.wait_turn("h" + std::to_string(i), 0ms, far, cancel));
  }
  EXPECT_LT(pacer.tracked_hosts(), 2100U);
}

class CrawlDelayTest : public ::testing::Test {
 protected:
  CrawlDelayTest() {
    EXPECT_FALSE(options_.fetch.filter.allow("127.0.0.0/8"));
    options_.fetch.retries = 0;
    options_.workers = 4;
    options_.per_host = 4;
  }

  std::unique_ptr<RunningServer> start(std::chrono::milliseconds delay) {
    options_.fetch.delay = delay;
    pacer_ = std::make_unique<host_pacer>(delay);
    const crawl_policy policy{&robots_, pacer_.get()};
    return std::make_unique<RunningServer>(
        options_, make_fetching_factory(options_.fetch, shared_, options_.top_k, policy), policy);
  }

  static std::string pages(http_fixture& site, int count) {
    std::string lines;
    for (int i = 0; i < count; ++i) {
      const auto target = "/p" + std::to_string(i);
      site.add_page(target, "<p>word</p>");
      lines += site.url(target) + "\n";
    }
    return lines;
  }

  curl_global curl_;
  curl_share_state shared_;
  http_fixture web_;
  robots_cache robots_;
  std::unique_ptr<host_pacer> pacer_;
  server_options options_ = test_options();
};

TEST_F(CrawlDelayTest, RequestsToOneHostAreTheDelayApartAcrossWorkers) {
  auto server = start(600ms);
  LineClient client(server->port());
  client.send(pages(web_, 4));
  ASSERT_EQ(client.read_lines(4, 30s).size(), 4U);
  const auto arrivals = web_.arrivals();
  ASSERT_EQ(arrivals.size(), 5U) << "the robots.txt and four pages";
  EXPECT_EQ(arrivals.front().target, "/robots.txt");
  for (const auto gap : gaps(arrivals)) {
    EXPECT_GE(gap, 600ms - arrival_jitter) << timeline(arrivals);
  }
  EXPECT_GE(arrivals.back().at - arrivals.front().at, 4 * 600ms - arrival_jitter);
}

TEST_F(CrawlDelayTest, ARobotsTxtCrawlDelayIsHonoured) {
  options_.fetch.max_crawl_delay = 10s;
  web_.add_page("/robots.txt", "User-agent: *\nCrawl-delay: 0.8\n", "text/plain");
  auto server = start(0ms);
  LineClient client(server->port());
  client.send(pages(web_, 3));
  ASSERT_EQ(client.read_lines(3, 30s).size(), 3U);
  const auto arrivals = web_.arrivals();
  ASSERT_EQ(arrivals.size(), 4U);
  for (const auto gap : gaps(arrivals)) {
    EXPECT_GE(gap, 800ms - arrival_jitter) << timeline(arrivals);
  }
  EXPECT_GE(arrivals.back().at - arrivals.front().at, 3 * 800ms - arrival_jitter);
}

TEST_F(CrawlDelayTest, ACrawlDelayIsHonouredOnlyUpToTheCap) {
  options_.fetch.max_crawl_delay = 600ms;
  web_.add_page("/robots.txt", "User-agent: *\nCrawl-delay: 30\n", "text/plain");
  auto server = start(0ms);
  LineClient client(server->port());
  const auto before = clock_type::now();
  client.send(pages(web_, 3));
  ASSERT_EQ(client.read_lines(3, 30s).size(), 3U);
  EXPECT_LT(clock_type::now() - before, 20s) << "30 s asked, 0.6 s honoured";
  const auto arrivals = web_.arrivals();
  for (const auto gap : gaps(arrivals)) {
    EXPECT_GE(gap, 600ms - arrival_jitter) << timeline(arrivals);
  }
}

// Two workers, one slow host: the second worker must not wait for the slow host's next turn
// while another host's URL is queued behind it.
TEST_F(CrawlDelayTest, AWorkerTakesAnotherHostsUrlInsteadOfWaitingForATurn) {
  options_.workers = 2;
  http_fixture other("127.0.0.2");
  other.add_page("/other", "<p>other</p>");
  auto server = start(1500ms);
  LineClient client(server->port());
  client.send(pages(web_, 3) + other.url("/other") + "\n");
  ASSERT_EQ(client.read_lines(4, 30s).size(), 4U);
  const auto slow = web_.arrivals();
  const auto quick = other.arrivals();
  ASSERT_EQ(slow.size(), 4U);
  ASSERT_EQ(quick.size(), 2U) << "its robots.txt and its page";
  EXPECT_GE(quick.back().at - quick.front().at, 1500ms - arrival_jitter);
  // The other host was asked at once, not after the slow host's next turn (its own page then
  // waits for its own turn, as the delay is per host).
  EXPECT_LT(quick.front().at + 1s, slow[1].at) << [&] {
    std::string timeline;
    for (const auto& [name, seen] : {std::pair{"slow", slow}, std::pair{"other", quick}}) {
      for (const auto& arrival : seen) {
        timeline += std::string(name) + " " + arrival.target + " at " +
                    std::to_string((arrival.at - slow.front().at) / 1ms) + " ms\n";
      }
    }
    return timeline;
  }();
  for (const auto gap : gaps(slow)) {
    EXPECT_GE(gap, 1500ms - arrival_jitter);
  }
}

}  // namespace
}  // namespace wordcrawl::testing
