#pragma once

// The robots.txt verdicts of the origins seen lately, shared by every worker. An origin's
// robots.txt is fetched by one worker at a time: the others asking for the same origin wait
// for that fetch (single flight) instead of each fetching it. Verdicts are kept for their
// time-to-live, which the verdict names (short for a failed fetch). The fair queue asks
// fetching_for() so that it does not hand out more jobs of a host whose robots.txt is on its
// way, and is woken by the landing callback when it arrives. Safe from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "fetch/robots_rules.hpp"
#include "fetch/url_check.hpp"
#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// What an origin's robots.txt says, or why it could not be read.
struct robots_verdict {
  /// Null when the fetch failed without an HTTP answer (see error).
  std::shared_ptr<const robots_rules> rules;
  /// Why everything is disallowed when the rules say so without a file ("robots.txt answered
  /// HTTP 503"); empty for parsed rules.
  std::string reason;
  /// The fetch's own failure (dns, connect, timeout, ...), when rules is null.
  std::optional<page_error> error;
  /// How long the verdict may be kept (0: not kept).
  std::chrono::seconds keep{0};
};

class robots_cache {
 public:
  using clock = std::chrono::steady_clock;
  using fetch_function = std::function<robots_verdict()>;

  /// max_origins bounds the verdicts kept (the oldest go first).
  explicit robots_cache(std::size_t max_origins = 10000);

  /// The verdict for where's origin: kept, or fetched by fetch() on this thread, or fetched by
  /// another thread while this one waits (until deadline or cancel: then a timeout or
  /// shutting_down error verdict). fetch must not throw.
  robots_verdict get(const robots_location& where, const fetch_function& fetch,
                     clock::time_point deadline, const std::atomic<bool>& cancel);

  /// True while a robots.txt of host is being fetched.
  bool fetching_for(const std::string& host) const;
  /// True if origin's verdict is kept and fresh: a URL of it needs no robots.txt fetch.
  bool knows(const std::string& origin) const;
  /// Called (on the fetching thread, no lock held) each time a fetch lands; set before use.
  void on_landed(std::function<void()> callback) { on_landed_ = std::move(callback); }

  /// robots.txt fetches started so far.
  std::uint64_t fetches() const { return fetches_.load(); }
  /// Verdicts kept now.
  std::size_t size() const;

 private:
  struct flight {
    bool done = false;
    robots_verdict verdict;
  };
  struct entry {
    robots_verdict verdict;
    clock::time_point expires;
  };

  robots_verdict wait_for(std::unique_lock<std::mutex>& lock, const std::shared_ptr<flight>& f,
                          clock::time_point deadline, const std::atomic<bool>& cancel);
  void keep_locked(const std::string& origin, const robots_verdict& verdict);

  const std::size_t max_origins_;
  mutable std::mutex mutex_;
  std::condition_variable landed_;
  std::unordered_map<std::string, entry> entries_;
  std::deque<std::pair<std::string, clock::time_point>> order_;       // entries_, oldest first
  std::unordered_map<std::string, std::shared_ptr<flight>> flights_;  // by origin
  std::unordered_map<std::string, std::size_t> hosts_in_flight_;
  std::function<void()> on_landed_;
  std::atomic<std::uint64_t> fetches_{0};
};

}  // namespace wordcrawl
