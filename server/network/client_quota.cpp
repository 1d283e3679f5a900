#include "network/client_quota.hpp"

#include <algorithm>

#include "network/peer_address.hpp"

namespace wordcrawl {
namespace {

constexpr std::chrono::minutes refill_period{1};

}  // namespace

client_quota::entry& client_quota::find(const address& peer, clock::time_point now) {
  // Pruned once a minute, or sooner when the table doubled since: a flood of new addresses
  // cannot grow it much past what the last minute saw.
  if (now >= next_prune_ || table_.size() >= prune_above_) {
    prune(now);
  }
  const auto [found, added] = table_.try_emplace(canonical_address(peer));
  if (added) {
    found->second.tokens = static_cast<double>(limits_.urls_per_minute);
    found->second.refilled = now;
  }
  return found->second;
}

void client_quota::refill(entry& item, clock::time_point now) const {
  const auto capacity = static_cast<double>(limits_.urls_per_minute);
  const std::chrono::duration<double> elapsed = now - item.refilled;
  const std::chrono::duration<double> period = refill_period;
  item.tokens = std::min(capacity, item.tokens + capacity * (elapsed / period));
  item.refilled = now;
}

void client_quota::prune(clock::time_point now) {
  const auto capacity = static_cast<double>(limits_.urls_per_minute);
  for (auto it = table_.begin(); it != table_.end();) {
    refill(it->second, now);
    if (it->second.connections == 0 && it->second.tokens >= capacity) {
      it = table_.erase(it);
    } else {
      ++it;
    }
  }
  next_prune_ = now + refill_period;
  prune_above_ = std::max(min_prune_size, table_.size() * 2);
}

bool client_quota::try_connect(const address& peer, clock::time_point now) {
  if (!enabled()) {
    return true;
  }
  auto& item = find(peer, now);
  if (limits_.connections > 0 && item.connections >= limits_.connections) {
    return false;
  }
  ++item.connections;
  return true;
}

void client_quota::disconnect(const address& peer, clock::time_point now) {
  if (!enabled()) {
    return;
  }
  auto& item = find(peer, now);
  if (item.connections > 0) {
    --item.connections;
  }
}

bool client_quota::take_url(const address& peer, clock::time_point now) {
  if (limits_.urls_per_minute == 0) {
    return true;
  }
  auto& item = find(peer, now);
  refill(item, now);
  if (item.tokens < 1.0) {
    return false;
  }
  item.tokens -= 1.0;
  return true;
}

}  // namespace wordcrawl
