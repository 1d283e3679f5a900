#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace wordcrawl {

/// A flag the cluster's threads wait on between retries, so that stopping never waits for a
/// backoff to run out.
class stop_signal {
 public:
  void raise() {
    {
      const std::lock_guard lock(mutex_);
      raised_ = true;
    }
    changed_.notify_all();
  }
  bool raised() const {
    const std::lock_guard lock(mutex_);
    return raised_;
  }
  /// Waits up to delay; true if raised meanwhile (or before).
  bool wait_for(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, delay, [this] { return raised_; });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  bool raised_ = false;
};

}  // namespace wordcrawl
