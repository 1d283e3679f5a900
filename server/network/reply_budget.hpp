#pragma once

#include <atomic>
#include <cstddef>
#include <deque>
#include <memory>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {

/// Told when the budget has room for the job it waits to hand to the workers.
class budget_waiter {
 public:
  /// The reservation is already made: the waiter owns it from now on.
  virtual void on_budget_granted() = 0;

 protected:
  budget_waiter() = default;
  budget_waiter(const budget_waiter&) = default;
  budget_waiter& operator=(const budget_waiter&) = default;
  budget_waiter(budget_waiter&&) = default;
  budget_waiter& operator=(budget_waiter&&) = default;
  ~budget_waiter() = default;
};

/// The memory all sessions together may hold for replies. A job reserves the largest reply
/// there can be before it is handed to the workers; its answer then holds its real size until
/// written. So the replies queued, being written and still to come never exceed the limit,
/// whatever clients do. A job that does not fit waits (its session stops reading) and waiters
/// are served in arrival order, so the budget is shared round-robin. I/O thread only, except
/// held().
class reply_budget {
 public:
  /// What one job reserves: the longest reply line, its "\n" included.
  static constexpr std::size_t per_job = max_reply_bytes + 1;

  explicit reply_budget(std::size_t limit) : limit_(limit < per_job ? per_job : limit) {}

  /// Reserves room for one job's reply; false when it does not fit, or others wait first: then
  /// waiter is told when it is its turn.
  bool reserve_job(const std::weak_ptr<budget_waiter>& waiter) {
    if (!waiters_.empty() || !fits()) {
      waiters_.push_back(waiter);
      return false;
    }
    change(held_ + per_job);
    return true;
  }
  /// A job was answered: its reservation becomes the reply's real size.
  void settle_job(std::size_t reply_bytes) {
    change(held_ - per_job + reply_bytes);
    wake();
  }
  /// A reply the session wrote itself (bad lines); bounded by the session's own write cap.
  void add(std::size_t bytes) { change(held_ + bytes); }
  /// Bytes written, or dropped with their session; reservations given back.
  void release(std::size_t bytes) {
    change(held_ - bytes);
    wake();
  }

  /// Bytes reserved or held now; safe from any thread.
  std::size_t held() const { return held_mirror_.load(); }
  /// The most ever held at once; safe from any thread.
  std::size_t peak() const { return peak_mirror_.load(); }
  std::size_t limit() const { return limit_; }

 private:
  bool fits() const { return held_ + per_job <= limit_; }

  void change(std::size_t held) {
    held_ = held;
    held_mirror_ = held;
    if (held > peak_mirror_.load()) {
      peak_mirror_ = held;
    }
  }

  void wake() {
    // A granted waiter may release or wait again from inside; the outer loop carries on.
    if (waking_) {
      return;
    }
    waking_ = true;
    while (!waiters_.empty() && fits()) {
      auto waiter = waiters_.front().lock();
      waiters_.pop_front();
      if (waiter) {
        change(held_ + per_job);
        waiter->on_budget_granted();
      }
    }
    waking_ = false;
  }

  const std::size_t limit_;
  std::size_t held_ = 0;
  std::atomic<std::size_t> held_mirror_{0};
  std::atomic<std::size_t> peak_mirror_{0};
  std::deque<std::weak_ptr<budget_waiter>> waiters_;
  bool waking_ = false;
};

}  // namespace wordcrawl
