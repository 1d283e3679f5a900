#pragma once

#include <chrono>
#include <cstddef>
#include <map>

#include <boost/asio/ip/address.hpp>

namespace wordcrawl {

/// What one client address may use, all its connections together; 0 turns a limit off.
struct quota_limits {
  std::size_t urls_per_minute = 0;  // --client-rate
  std::size_t connections = 0;      // --max-clients-per-address
};

/// Per-address connection counts and URL token buckets (I/O thread only). A bucket holds
/// urls_per_minute tokens and refills at that rate, so a client may send a burst of that many
/// URLs and then one every 60 / N seconds. Entries of addresses with no connection and a full
/// bucket say nothing and are pruned, so the table holds the connected addresses and those
/// seen within the last minute.
class client_quota {
 public:
  using clock = std::chrono::steady_clock;
  using address = boost::asio::ip::address;

  explicit client_quota(quota_limits limits) : limits_(limits) {}

  /// True if either limit is on; otherwise the calls below allow everything and keep nothing.
  bool enabled() const { return limits_.urls_per_minute > 0 || limits_.connections > 0; }
  const quota_limits& limits() const { return limits_; }

  /// Counts a new connection from peer; false (and nothing counted) when peer is at its limit.
  bool try_connect(const address& peer, clock::time_point now = clock::now());
  /// Forgets a connection try_connect() counted.
  void disconnect(const address& peer, clock::time_point now = clock::now());
  /// Takes one URL from peer's bucket; false when it is empty.
  bool take_url(const address& peer, clock::time_point now = clock::now());

  /// Addresses in the table.
  std::size_t entries() const { return table_.size(); }

 private:
  struct entry {
    std::size_t connections = 0;
    double tokens = 0;
    clock::time_point refilled{};
  };

  entry& find(const address& peer, clock::time_point now);
  void refill(entry& item, clock::time_point now) const;
  void prune(clock::time_point now);

  quota_limits limits_;
  std::map<address, entry> table_;
  clock::time_point next_prune_{};
  std::size_t prune_above_ = min_prune_size;
  static constexpr std::size_t min_prune_size = 1024;
};

}  // namespace wordcrawl
