#include "fetch/host_limiter.hpp"

#include <atomic>
#include <chrono>
#include <future>
#include <optional>
#include <thread>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

// Waits (bounded) until condition holds; the tests never sleep to synchronise.
template <typename Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return false;
    }
    std::this_thread::yield();
  }
  return true;
}

TEST(HostLimiterTest, CountsFetchesPerHostAndForgetsIdleHosts) {
  host_limiter limiter;
  const std::atomic<bool> cancel{false};
  {
    auto first = limiter.acquire("a.example", 2, cancel);
    auto second = limiter.acquire("a.example", 2, cancel);
    auto other = limiter.acquire("b.example", 2, cancel);
    ASSERT_TRUE(first && second && other);
    EXPECT_EQ(limiter.in_flight("a.example"), 2U);
    EXPECT_EQ(limiter.in_flight("b.example"), 1U);
    EXPECT_EQ(limiter.tracked_hosts(), 2U);
  }
  EXPECT_EQ(limiter.in_flight("a.example"), 0U);
  EXPECT_EQ(limiter.tracked_hosts(), 0U);
}

TEST(HostLimiterTest, BlocksAtTheLimitUntilASlotIsReleased) {
  host_limiter limiter;
  const std::atomic<bool> cancel{false};
  std::optional<host_limiter::permit> held = limiter.acquire("a.example", 1, cancel);
  ASSERT_TRUE(held);
  std::atomic<bool> acquired{false};
  auto waiter = std::async(std::launch::async, [&] {
    auto permit = limiter.acquire("a.example", 1, cancel);
    acquired = permit.has_value();
    return limiter.in_flight("a.example");
  });
  // Another host is not held up by the busy one.
  EXPECT_TRUE(limiter.acquire("b.example", 1, cancel).has_value());
  EXPECT_EQ(waiter.wait_for(100ms), std::future_status::timeout);
  EXPECT_FALSE(acquired);
  held.reset();
  ASSERT_EQ(waiter.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(waiter.get(), 1U);
  EXPECT_TRUE(acquired);
  EXPECT_EQ(limiter.tracked_hosts(), 0U);
}

TEST(HostLimiterTest, CancelWakesAWaiter) {
  host_limiter limiter;
  std::atomic<bool> cancel{false};
  auto held = limiter.acquire("a.example", 1, cancel);
  ASSERT_TRUE(held);
  auto waiter = std::async(std::launch::async,
                           [&] { return limiter.acquire("a.example", 1, cancel).has_value(); });
  cancel = true;
  ASSERT_EQ(waiter.wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(waiter.get());
  EXPECT_EQ(limiter.in_flight("a.example"), 1U);
}

TEST(HostLimiterTest, ZeroMeansUnlimited) {
  host_limiter limiter;
  const std::atomic<bool> cancel{false};
  std::vector<host_limiter::permit> permits;
  for (int i = 0; i < 50; ++i) {
    auto permit = limiter.acquire("a.example", 0, cancel);
    ASSERT_TRUE(permit);
    permits.push_back(std::move(*permit));
  }
  EXPECT_EQ(limiter.in_flight("a.example"), 50U);
}

TEST(HostLimiterTest, MovedPermitReleasesOnce) {
  host_limiter limiter;
  const std::atomic<bool> cancel{false};
  auto first = limiter.acquire("a.example", 2, cancel);
  auto second = limiter.acquire("a.example", 2, cancel);
  ASSERT_TRUE(first && second);
  host_limiter::permit moved(std::move(*first));
  first.reset();
  EXPECT_EQ(limiter.in_flight("a.example"), 2U);
  moved = std::move(*second);  // releases the slot moved held before
  second.reset();
  EXPECT_EQ(limiter.in_flight("a.example"), 1U);
}

TEST(HostLimiterTest, ManyThreadsNeverExceedTheLimit) {
  host_limiter limiter;
  const std::atomic<bool> cancel{false};
  std::atomic<int> inside{0};
  std::atomic<int> peak{0};
  std::vector<std::thread> threads;
  threads.reserve(8);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto permit = limiter.acquire("a.example", 3, cancel);
        const int now = ++inside;
        int seen = peak.load();
        while (now > seen && !peak.compare_exchange_weak(seen, now)) {
        }
        --inside;
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_LE(peak.load(), 3);
  EXPECT_GE(peak.load(), 1);
  EXPECT_TRUE(eventually([&] { return limiter.tracked_hosts() == 0; }));
}

}  // namespace
}  // namespace wordcrawl::testing
