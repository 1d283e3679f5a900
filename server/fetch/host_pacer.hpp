#pragma once

// Spaces the requests to one host, across every worker: after a request to a host starts,
// the next may start only a gap later (--delay, or the host's robots.txt Crawl-delay up to
// --max-crawl-delay). The fair queue asks ready_at() so that it hands a worker only a job whose
// host may be asked now, and takes that turn for the worker; any further request of the same
// job (the page after its robots.txt) waits for its turn in wait_turn(). Safe from any thread.

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace wordcrawl {

/// Why a URL whose host's turn did not come before its deadline is answered "timeout".
inline constexpr const char* no_turn_message =
    "timeout waiting for a turn at the host (--delay, Crawl-delay)";

class host_pacer {
 public:
  using clock = std::chrono::steady_clock;

  /// delay: the least gap between two requests to one host (0: none).
  explicit host_pacer(std::chrono::milliseconds delay);

  /// The configured least gap.
  std::chrono::milliseconds delay() const { return delay_; }

  /// When the next request to host may start (a past time if it may now).
  clock::time_point ready_at(const std::string& host) const;
  /// The queue hands the calling worker thread a job of host whose turn has come: its first
  /// request starts now, and the next wait_turn() for host on this thread goes without
  /// waiting (if the turn has not come after all, that wait_turn() waits for it).
  void take_turn(const std::string& host);
  /// Blocks until a request to host may start and takes that turn; gap is the host's gap
  /// (at least delay()). False if deadline passes or cancel turns true first.
  bool wait_turn(const std::string& host, std::chrono::milliseconds gap, clock::time_point deadline,
                 const std::atomic<bool>& cancel);

  /// Hosts remembered now (bounded: hosts whose turn has passed are forgotten).
  std::size_t tracked_hosts() const;

 private:
  struct host_state {
    clock::time_point next{};          // the next request may start then
    std::chrono::milliseconds gap{0};  // of the last request
    std::uint64_t turn = 0;            // which start that was
  };

  std::uint64_t start_locked(const std::string& host, clock::time_point now,
                             std::chrono::milliseconds gap);
  void prune_locked(clock::time_point now);

  const std::chrono::milliseconds delay_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, host_state> hosts_;
  std::size_t prune_at_ = 1024;
  std::uint64_t last_turn_ = 0;  // map size that triggers the next pruning
};

}  // namespace wordcrawl
