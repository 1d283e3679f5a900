#pragma once

#include <cstddef>
#include <functional>
#include <mutex>
#include <utility>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {

/// The memory all sessions together may hold for replies. A job reserves the longest reply
/// there can be when a worker starts it; its answer then holds its real size until written.
/// So the replies queued, being written and still to come never exceed the limit, whatever
/// clients do. Queued jobs reserve nothing: a client that sends many URLs takes no room from
/// a client that sends one. Safe from any thread.
class reply_budget {
 public:
  /// What one job reserves: the longest reply line, its "\n" included.
  static constexpr std::size_t per_job = max_reply_bytes + 1;

  explicit reply_budget(std::size_t limit) : limit_(limit < per_job ? per_job : limit) {}

  /// Called, with no lock held, whenever room was given back: a job may now be started.
  void on_room(std::function<void()> callback) { on_room_ = std::move(callback); }

  /// Reserves room for one job's reply; false when it does not fit.
  bool try_reserve() {
    const std::lock_guard lock(mutex_);
    if (held_ + per_job > limit_) {
      return false;
    }
    change(held_ + per_job);
    return true;
  }
  /// A started job was answered: its reservation becomes the reply's real size.
  void settle_job(std::size_t reply_bytes) {
    {
      const std::lock_guard lock(mutex_);
      change(held_ - per_job + reply_bytes);
    }
    notify();
  }
  /// A reply that had no reservation (bad lines, answers at shutdown); bounded by the
  /// sessions' own write caps.
  void add(std::size_t bytes) {
    const std::lock_guard lock(mutex_);
    change(held_ + bytes);
  }
  /// Bytes written, or dropped with their session; reservations given back.
  void release(std::size_t bytes) {
    {
      const std::lock_guard lock(mutex_);
      change(held_ - bytes);
    }
    notify();
  }

  /// Bytes reserved or held now.
  std::size_t held() const {
    const std::lock_guard lock(mutex_);
    return held_;
  }
  /// The most ever held at once.
  std::size_t peak() const {
    const std::lock_guard lock(mutex_);
    return peak_;
  }
  std::size_t limit() const { return limit_; }

 private:
  void change(std::size_t held) {
    held_ = held;
    if (held > peak_) {
      peak_ = held;
    }
  }

  void notify() const {
    if (on_room_) {
      on_room_();
    }
  }

  const std::size_t limit_;
  mutable std::mutex mutex_;
  std::size_t held_ = 0;
  std::size_t peak_ = 0;
  std::function<void()> on_room_;  // set before any other thread uses the budget
};

}  // namespace wordcrawl
