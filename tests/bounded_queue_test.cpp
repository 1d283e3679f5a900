#include "dispatch/bounded_queue.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <numeric>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

TEST(BoundedQueue, RejectsZeroCapacity) {
  EXPECT_THROW(bounded_queue<int>(0), std::invalid_argument);
}

TEST(BoundedQueue, KeepsFifoOrder) {
  bounded_queue<int> queue(3);
  for (int i = 1; i <= 3; ++i) {
    int item = i;
    ASSERT_TRUE(queue.push(item));
  }
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_EQ(queue.pop(), 2);
  EXPECT_EQ(queue.pop(), 3);
}

TEST(BoundedQueue, TryPushFailsWhenFullAndKeepsTheItem) {
  bounded_queue<std::string> queue(1);
  std::string first = "a";
  std::string second = "b";
  ASSERT_TRUE(queue.try_push(first));
  EXPECT_FALSE(queue.try_push(second));
  EXPECT_EQ(second, "b");  // not moved from: the caller still owns it
  EXPECT_EQ(queue.size(), 1U);
}

TEST(BoundedQueue, PushBlocksWhileFullUntilAPop) {
  bounded_queue<int> queue(1);
  int first = 1;
  ASSERT_TRUE(queue.push(first));
  auto pushed = std::async(std::launch::async, [&queue] {
    int second = 2;
    return queue.push(second);
  });
  EXPECT_EQ(pushed.wait_for(50ms), std::future_status::timeout);
  EXPECT_EQ(queue.pop(), 1);
  ASSERT_EQ(pushed.wait_for(10s), std::future_status::ready);
  EXPECT_TRUE(pushed.get());
  EXPECT_EQ(queue.pop(), 2);
}

TEST(BoundedQueue, CloseWakesBlockedPopper) {
  bounded_queue<int> queue(2);
  auto popped = std::async(std::launch::async, [&queue] { return queue.pop(); });
  EXPECT_EQ(popped.wait_for(50ms), std::future_status::timeout);
  queue.close();
  ASSERT_EQ(popped.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(popped.get().has_value());
}

TEST(BoundedQueue, CloseWakesBlockedPusherWhichFails) {
  bounded_queue<int> queue(1);
  int first = 1;
  ASSERT_TRUE(queue.push(first));
  auto pushed = std::async(std::launch::async, [&queue] {
    int second = 2;
    return queue.push(second);
  });
  queue.close();
  ASSERT_EQ(pushed.wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(pushed.get());
}

TEST(BoundedQueue, DrainsQueuedItemsAfterClose) {
  bounded_queue<int> queue(4);
  for (int i = 0; i < 3; ++i) {
    int item = i;
    ASSERT_TRUE(queue.push(item));
  }
  queue.close();
  int late = 9;
  EXPECT_FALSE(queue.try_push(late));
  EXPECT_TRUE(queue.closed());
  EXPECT_EQ(queue.pop(), 0);
  EXPECT_EQ(queue.pop(), 1);
  EXPECT_EQ(queue.pop(), 2);
  EXPECT_FALSE(queue.pop().has_value());
}

// Every item pushed by any producer is popped by exactly one consumer, and the queue never
// holds more than its capacity.
TEST(BoundedQueue, ManyProducersManyConsumersLoseNothing) {
  constexpr int producers = 4;
  constexpr int consumers = 3;
  constexpr int per_producer = 5000;
  bounded_queue<int> queue(8);
  std::vector<std::vector<int>> seen(consumers);
  std::atomic<std::size_t> max_size{0};

  std::vector<std::thread> consumer_threads;
  consumer_threads.reserve(consumers);
  for (int c = 0; c < consumers; ++c) {
    consumer_threads.emplace_back([&queue, &seen, &max_size, c] {
      while (auto item = queue.pop()) {
        const auto size = queue.size();
        auto previous = max_size.load();
        while (size > previous && !max_size.compare_exchange_weak(previous, size)) {
        }
        seen[static_cast<std::size_t>(c)].push_back(*item);
      }
    });
  }
  std::vector<std::thread> producer_threads;
  producer_threads.reserve(producers);
  for (int p = 0; p < producers; ++p) {
    producer_threads.emplace_back([&queue, p] {
      for (int i = 0; i < per_producer; ++i) {
        int item = p * per_producer + i;
        queue.push(item);
      }
    });
  }
  for (auto& thread : producer_threads) {
    thread.join();
  }
  queue.close();
  for (auto& thread : consumer_threads) {
    thread.join();
  }

  std::vector<int> all;
  for (const auto& part : seen) {
    all.insert(all.end(), part.begin(), part.end());
  }
  std::sort(all.begin(), all.end());
  std::vector<int> expected(static_cast<std::size_t>(producers) * per_producer);
  std::iota(expected.begin(), expected.end(), 0);
  EXPECT_EQ(all, expected);
  EXPECT_LE(max_size.load(), queue.capacity());
}

}  // namespace
}  // namespace wordcrawl::testing
