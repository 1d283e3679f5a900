#pragma once

// Politeness across workers: at most N fetches in flight per host, however many workers pick
// URLs of that host from the queue. Hosts with nothing in flight are forgotten, so the map
// holds at most one entry per fetch in flight and never grows with the number of hosts seen.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace wordcrawl {

class host_limiter {
 public:
  /// A slot for one fetch from one host; gives the slot back when destroyed.
  class permit {
   public:
    permit(permit&& other) noexcept;
    permit& operator=(permit&& other) noexcept;
    permit(const permit&) = delete;
    permit& operator=(const permit&) = delete;
    ~permit();

   private:
    friend class host_limiter;
    permit(host_limiter* owner, std::string host) : owner_(owner), host_(std::move(host)) {}
    void release();

    host_limiter* owner_;
    std::string host_;
  };

  /// Waits until host has fewer than limit fetches in flight and takes a slot; nullopt if
  /// cancel became true first. A limit of 0 means unlimited.
  std::optional<permit> acquire(const std::string& host, std::size_t limit,
                                const std::atomic<bool>& cancel);

  /// Fetches in flight for host.
  std::size_t in_flight(const std::string& host) const;

  /// Hosts with at least one fetch in flight (the size of the map).
  std::size_t tracked_hosts() const;

 private:
  void release(const std::string& host);

  // A waiter re-checks cancel this often: the flag is a plain atomic nobody notifies on.
  static constexpr std::chrono::milliseconds cancel_poll{50};

  mutable std::mutex mutex_;
  std::condition_variable released_;
  std::unordered_map<std::string, std::size_t> in_flight_;
};

}  // namespace wordcrawl
