// The fair queue on its own: lanes served in turn, hosts never over their limit, the reply
// budget respected, and a full queue that still lets a new client in.

#include "dispatch/fair_queue.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

job make_job(lane_id lane, const std::string& host, int n) {
  return job{"http://" + host + "/" + std::to_string(n), {}, lane, host};
}

// A budget with room for any number of replies the tests start.
reply_budget& roomy_budget() {
  static reply_budget budget(std::size_t{1} << 40);
  return budget;
}

// Pops with a bound: the job, or nullopt if none came within the wait.
std::optional<job> pop_within(fair_queue& queue, std::chrono::milliseconds wait) {
  auto popped = std::async(std::launch::async, [&queue] { return queue.pop(); });
  if (popped.wait_for(wait) != std::future_status::ready) {
    queue.close();  // releases the pop, which then drains the queue: the test is over
    popped.wait();
    return std::nullopt;
  }
  return popped.get();
}

TEST(FairQueue, RejectsZeroCapacity) {
  EXPECT_THROW(fair_queue(0, 0, roomy_budget()), std::invalid_argument);
}

TEST(FairQueue, KeepsArrivalOrderWithinALane) {
  fair_queue queue(8, 0, roomy_budget());
  for (int i = 0; i < 3; ++i) {
    auto item = make_job(1, "a.test", i);
    ASSERT_TRUE(queue.try_push(item));
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(queue.pop()->url, "http://a.test/" + std::to_string(i));
  }
}

TEST(FairQueue, ServesLanesInTurn) {
  fair_queue queue(64, 0, roomy_budget());
  // Lane 1 floods first; lanes 2 and 3 come later with two jobs each.
  for (int i = 0; i < 10; ++i) {
    auto item = make_job(1, "a.test", i);
    ASSERT_TRUE(queue.try_push(item));
  }
  for (lane_id lane = 2; lane <= 3; ++lane) {
    for (int i = 0; i < 2; ++i) {
      auto item = make_job(lane, "b.test", i);
      ASSERT_TRUE(queue.try_push(item));
    }
  }
  std::vector<lane_id> order;
  order.reserve(6);
  for (int i = 0; i < 6; ++i) {
    order.push_back(queue.pop()->lane);
  }
  EXPECT_EQ(order, (std::vector<lane_id>{1, 2, 3, 1, 2, 3}));
}

TEST(FairQueue, ABusyHostDoesNotHoldBackOtherHosts) {
  fair_queue queue(64, 2, roomy_budget());
  for (int i = 0; i < 5; ++i) {
    auto item = make_job(1, "slow.test", i);
    ASSERT_TRUE(queue.try_push(item));
  }
  auto other = make_job(1, "fast.test", 0);
  ASSERT_TRUE(queue.try_push(other));
  const auto first = queue.pop();
  const auto second = queue.pop();
  EXPECT_EQ(first->host, "slow.test");
  EXPECT_EQ(second->host, "slow.test");
  // slow.test is at its limit: the same lane's later job of another host starts instead.
  const auto third = pop_within(queue, 5s);
  ASSERT_TRUE(third);
  EXPECT_EQ(third->host, "fast.test");
  EXPECT_EQ(queue.in_flight("slow.test"), 2U);
}

TEST(FairQueue, AFinishedJobFreesItsHostSlot) {
  fair_queue queue(64, 1, roomy_budget());
  for (int i = 0; i < 2; ++i) {
    auto item = make_job(1, "one.test", i);
    ASSERT_TRUE(queue.try_push(item));
  }
  const auto first = queue.pop();
  auto second = std::async(std::launch::async, [&queue] { return queue.pop(); });
  EXPECT_EQ(second.wait_for(50ms), std::future_status::timeout);  // the host is busy
  queue.finish(*first);
  ASSERT_EQ(second.wait_for(10s), std::future_status::ready);
  const auto item = second.get();
  EXPECT_EQ(item->url, "http://one.test/1");
  queue.finish(*item);
  // Hosts with nothing in flight are forgotten: the map never grows with hosts seen.
  EXPECT_EQ(queue.tracked_hosts(), 0U);
}

TEST(FairQueue, AFullQueueStillTakesANewLanesFirstJob) {
  fair_queue queue(2, 0, roomy_budget());
  for (int i = 0; i < 2; ++i) {
    auto item = make_job(1, "a.test", i);
    ASSERT_TRUE(queue.try_push(item));
  }
  auto third = make_job(1, "a.test", 2);
  EXPECT_FALSE(queue.try_push(third));
  EXPECT_EQ(third.url, "http://a.test/2");  // not moved from: the caller still owns it
  auto newcomer = make_job(2, "b.test", 0);
  EXPECT_TRUE(queue.try_push(newcomer));
  auto second_of_newcomer = make_job(2, "b.test", 1);
  EXPECT_FALSE(queue.try_push(second_of_newcomer));
  EXPECT_EQ(queue.size(), 3U);
}

TEST(FairQueue, WaitingOthersKeepAnOccupiedLaneOut) {
  fair_queue queue(8, 0, roomy_budget());
  auto first = make_job(1, "a.test", 0);
  ASSERT_TRUE(queue.try_push(first, true));  // a lane's first job always gets in
  auto second = make_job(1, "a.test", 1);
  EXPECT_FALSE(queue.try_push(second, true));
  EXPECT_TRUE(queue.try_push(second, false));
}

TEST(FairQueue, APausedLaneStartsNothingUntilResumed) {
  fair_queue queue(8, 0, roomy_budget());
  auto held = make_job(1, "a.test", 0);
  ASSERT_TRUE(queue.try_push(held));
  queue.set_paused(1, true);
  auto other = make_job(2, "b.test", 0);
  ASSERT_TRUE(queue.try_push(other));
  EXPECT_EQ(queue.pop()->lane, 2U);
  auto resumed = std::async(std::launch::async, [&queue] { return queue.pop(); });
  EXPECT_EQ(resumed.wait_for(50ms), std::future_status::timeout);
  queue.set_paused(1, false);
  ASSERT_EQ(resumed.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(resumed.get()->lane, 1U);
}

TEST(FairQueue, NoJobStartsWithoutRoomForItsReply) {
  reply_budget budget(2 * reply_budget::per_job + 1000);
  fair_queue queue(8, 0, budget);
  budget.on_room([&queue] { queue.wake(); });
  for (int i = 0; i < 3; ++i) {
    auto item = make_job(1, "a.test", i);
    ASSERT_TRUE(queue.try_push(item));
  }
  EXPECT_TRUE(queue.pop()->reserved);
  EXPECT_TRUE(queue.pop()->reserved);
  EXPECT_EQ(budget.held(), 2 * reply_budget::per_job);
  auto third = std::async(std::launch::async, [&queue] { return queue.pop(); });
  EXPECT_EQ(third.wait_for(50ms), std::future_status::timeout);
  budget.settle_job(100);  // one answer of 100 bytes came back: room for one more reply
  if (third.wait_for(10s) != std::future_status::ready) {
    queue.close();  // lets the pop end, so the test fails instead of hanging
    FAIL() << "no job started after room was given back";
  }
  EXPECT_TRUE(third.get()->reserved);
  EXPECT_EQ(budget.held(), 100 + 2 * reply_budget::per_job);
  budget.on_room(nullptr);
}

TEST(FairQueue, RemovingALaneTakesOutItsJobs) {
  fair_queue queue(8, 0, roomy_budget());
  for (lane_id lane = 1; lane <= 2; ++lane) {
    for (int i = 0; i < 3; ++i) {
      auto item = make_job(lane, "a.test", i);
      ASSERT_TRUE(queue.try_push(item));
    }
  }
  EXPECT_EQ(queue.remove_lane(1).size(), 3U);
  EXPECT_EQ(queue.size(), 3U);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(queue.pop()->lane, 2U);
  }
}

TEST(FairQueue, OpenAllStartsHeldBackJobs) {
  fair_queue queue(8, 1, roomy_budget());
  for (int i = 0; i < 2; ++i) {
    auto item = make_job(1, "one.test", i);
    ASSERT_TRUE(queue.try_push(item));
  }
  ASSERT_TRUE(queue.pop());
  queue.open_all();  // grace is over: the rest is answered without fetching
  const auto second = pop_within(queue, 5s);
  ASSERT_TRUE(second);
  EXPECT_FALSE(second->reserved);
}

TEST(FairQueue, CloseDrainsThenEnds) {
  fair_queue queue(8, 1, roomy_budget());
  for (int i = 0; i < 2; ++i) {
    auto item = make_job(1, "one.test", i);
    ASSERT_TRUE(queue.try_push(item));
  }
  const auto first = queue.pop();
  queue.close();
  auto late = make_job(1, "one.test", 9);
  EXPECT_FALSE(queue.try_push(late));
  queue.finish(*first);  // the host limit still holds while draining
  EXPECT_TRUE(queue.pop());
  EXPECT_FALSE(queue.pop());
}

TEST(FairQueue, CloseWakesAnIdlePopper) {
  fair_queue queue(8, 0, roomy_budget());
  auto waiting = std::async(std::launch::async, [&queue] { return queue.pop(); });
  EXPECT_EQ(waiting.wait_for(20ms), std::future_status::timeout);
  queue.close();
  ASSERT_EQ(waiting.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(waiting.get());
}

// Many producers and workers at once: every job comes out once and no host ever has more
// than its limit started (run under ThreadSanitizer in CI).
TEST(FairQueue, ConcurrentUseKeepsEveryJobAndTheHostLimit) {
  constexpr int lanes = 4;
  constexpr int per_lane = 500;
  constexpr std::size_t per_host = 2;
  fair_queue queue(16, per_host, roomy_budget());
  std::mutex seen_mutex;
  std::map<std::string, int> seen;
  std::map<std::string, std::size_t> running;
  std::size_t worst = 0;
  std::vector<std::thread> workers;
  workers.reserve(4);
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      while (auto item = queue.pop()) {
        {
          const std::lock_guard lock(seen_mutex);
          ++seen[item->url];
          worst = std::max(worst, ++running[item->host]);
        }
        std::this_thread::yield();
        {
          const std::lock_guard lock(seen_mutex);
          --running[item->host];
        }
        queue.finish(*item);
      }
    });
  }
  std::vector<std::thread> producers;
  producers.reserve(lanes);
  for (int lane = 1; lane <= lanes; ++lane) {
    producers.emplace_back([&queue, lane] {
      const auto deadline = std::chrono::steady_clock::now() + 30s;
      for (int i = 0; i < per_lane && std::chrono::steady_clock::now() < deadline;) {
        auto item = make_job(static_cast<lane_id>(lane), "h" + std::to_string(i % 3) + ".test",
                             lane * per_lane + i);
        if (queue.try_push(item)) {
          ++i;
        } else {
          std::this_thread::yield();
        }
      }
    });
  }
  for (auto& producer : producers) {
    producer.join();
  }
  queue.close();
  for (auto& worker : workers) {
    worker.join();
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(lanes * per_lane));
  for (const auto& [url, times] : seen) {
    EXPECT_EQ(times, 1) << url;
  }
  EXPECT_LE(worst, per_host);
  EXPECT_EQ(queue.tracked_hosts(), 0U);
}

}  // namespace
}  // namespace wordcrawl::testing
