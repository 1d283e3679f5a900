#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <set>

namespace wordcrawl {

class session;

/// The open client sessions, so that shutdown can reach them all. I/O thread only, except
/// size().
class session_manager {
 public:
  using session_ptr = std::shared_ptr<session>;

  session_manager() = default;
  session_manager(const session_manager&) = delete;
  session_manager& operator=(const session_manager&) = delete;
  session_manager(session_manager&&) = delete;
  session_manager& operator=(session_manager&&) = delete;
  ~session_manager() = default;

  /// Adds the session and starts it.
  void start(const session_ptr& client);
  /// Forgets a closed session; calls the on_empty callback when it was the last one.
  void remove(const session_ptr& client);
  /// Tells every session to stop reading and close once its lines are answered.
  void stop_reading_all();
  /// Tells every session that grace is over.
  void grace_over_all();
  /// Sets what to call when the last session leaves.
  void on_empty(std::function<void()> callback) { on_empty_ = std::move(callback); }

  /// Open sessions; safe from any thread.
  std::size_t size() const { return count_.load(); }

 private:
  template <typename Action>
  void for_each(Action action);

  std::set<session_ptr> sessions_;
  std::atomic<std::size_t> count_{0};
  std::function<void()> on_empty_;
};

}  // namespace wordcrawl
