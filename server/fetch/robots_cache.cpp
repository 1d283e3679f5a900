#include "fetch/robots_cache.hpp"

#include <algorithm>
#include <utility>

namespace wordcrawl {
namespace {

// cancel is a plain atomic nobody notifies on, so a waiter re-checks it this often.
constexpr std::chrono::milliseconds cancel_poll{50};

}  // namespace

robots_cache::robots_cache(std::size_t max_origins)
    : max_origins_(std::max<std::size_t>(1, max_origins)) {}

robots_verdict robots_cache::get(const robots_location& where, const fetch_function& fetch,
                                 clock::time_point deadline, const std::atomic<bool>& cancel) {
  const auto& origin = where.origin;
  std::unique_lock lock(mutex_);
  if (const auto found = entries_.find(origin); found != entries_.end()) {
    if (clock::now() < found->second.expires) {
      return found->second.verdict;
    }
    entries_.erase(found);  // its place in order_ goes when it comes first
  }
  if (const auto found = flights_.find(origin); found != flights_.end()) {
    // A copy: the fetching thread erases the map's entry while this one waits.
    const std::shared_ptr<flight> theirs = found->second;
    return wait_for(lock, theirs, deadline, cancel);
  }
  auto mine = std::make_shared<flight>();
  flights_.emplace(origin, mine);
  ++hosts_in_flight_[where.host];
  lock.unlock();
  ++fetches_;
  auto verdict = fetch();
  lock.lock();
  mine->done = true;
  mine->verdict = verdict;
  flights_.erase(origin);
  if (const auto found = hosts_in_flight_.find(where.host); --found->second == 0) {
    hosts_in_flight_.erase(found);
  }
  if (verdict.keep.count() > 0) {
    keep_locked(origin, verdict);
  }
  lock.unlock();
  landed_.notify_all();
  if (on_landed_) {
    on_landed_();
  }
  return verdict;
}

robots_verdict robots_cache::wait_for(std::unique_lock<std::mutex>& lock,
                                      const std::shared_ptr<flight>& f, clock::time_point deadline,
                                      const std::atomic<bool>& cancel) {
  for (;;) {
    if (f->done) {
      return f->verdict;
    }
    if (cancel.load()) {
      return {nullptr, {}, page_error{error_kind::shutting_down, shutting_down_message}, {}};
    }
    const auto now = clock::now();
    if (now >= deadline) {
      return {nullptr, {}, page_error{error_kind::timeout, "timeout waiting for robots.txt"}, {}};
    }
    landed_.wait_until(lock, std::min(deadline, now + cancel_poll));
  }
}

void robots_cache::keep_locked(const std::string& origin, const robots_verdict& verdict) {
  const auto now = clock::now();
  while (entries_.size() >= max_origins_ && !order_.empty()) {
    const auto& [oldest, expires] = order_.front();
    const auto found = entries_.find(oldest);
    // An origin fetched again since has a newer place in order_: only its latest one counts.
    if (found != entries_.end() && found->second.expires == expires) {
      entries_.erase(found);
    }
    order_.pop_front();
  }
  const auto expires = now + verdict.keep;
  entries_[origin] = entry{verdict, expires};
  order_.emplace_back(origin, expires);
  // Places of origins gone or refreshed would pile up under a steady stream of refetches.
  if (order_.size() > 2 * max_origins_) {
    std::erase_if(order_, [this](const auto& place) {
      const auto found = entries_.find(place.first);
      return found == entries_.end() || found->second.expires != place.second;
    });
  }
}

bool robots_cache::fetching_for(const std::string& host) const {
  const std::lock_guard lock(mutex_);
  return hosts_in_flight_.contains(host);
}

bool robots_cache::knows(const std::string& origin) const {
  const std::lock_guard lock(mutex_);
  const auto found = entries_.find(origin);
  return found != entries_.end() && clock::now() < found->second.expires;
}

std::size_t robots_cache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace wordcrawl
