#include "dispatch/fair_queue.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "fetch/url_check.hpp"

namespace wordcrawl {

fair_queue::fair_queue(std::size_t capacity, std::size_t per_host, reply_budget& budget,
                       crawl_policy policy)
    : capacity_(capacity), per_host_(per_host), budget_(budget), policy_(policy) {
  if (capacity == 0) {
    throw std::invalid_argument("fair_queue capacity must be at least 1");
  }
}

bool fair_queue::try_push(job& item, bool others_wait) {
  {
    const std::lock_guard lock(mutex_);
    if (closed_) {
      return false;
    }
    const auto found = lanes_.find(item.lane);
    if (found != lanes_.end() && (size_ >= capacity_ || others_wait)) {
      return false;
    }
    const lane_id id = item.lane;
    if (policy_.robots != nullptr && item.origin.empty()) {
      if (const auto where = robots_location_of(item.url)) {
        item.origin = where->origin;
      }
    }
    if (found == lanes_.end()) {
      lanes_[id].push_back(std::move(item));
      turns_.push_back(id);
    } else {
      found->second.push_back(std::move(item));
    }
    ++size_;
  }
  ready_.notify_one();
  return true;
}

std::optional<job> fair_queue::pop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (auto item = take_startable()) {
      return item;
    }
    if (closed_ && size_ == 0) {
      return std::nullopt;
    }
    if (next_turn_ != host_pacer::clock::time_point::max()) {
      ready_.wait_until(lock, next_turn_);  // a held-back host's turn comes then
    } else {
      ready_.wait(lock);
    }
  }
}

std::optional<job> fair_queue::try_pop() {
  const std::lock_guard lock(mutex_);
  return take_startable();
}

bool fair_queue::may_start(lane_id id, const job& item, host_pacer::clock::time_point now) {
  if (open_) {
    return true;
  }
  // Once closed, what is queued is drained: no client waits for a resumed lane any more.
  if (!closed_ && paused_.contains(id)) {
    return false;
  }
  if (item.host.empty()) {
    return true;
  }
  if (per_host_ > 0) {
    const auto found = hosts_.find(item.host);
    if (found != hosts_.end() && found->second >= per_host_) {
      return false;
    }
  }
  return polite_to_start(item, now);
}

// Called with the lock held (the robots_cache and the pacer take their own, never ours).
bool fair_queue::polite_to_start(const job& item, host_pacer::clock::time_point now) {
  if (policy_.robots != nullptr && !item.origin.empty()) {
    if (policy_.robots->fetching_for(item.host)) {
      return false;  // wake_all() comes when it lands
    }
    // The host's started job will fetch the robots.txt (or is about to): wait for it here
    // rather than in a worker. finish() or the landing wakes this queue.
    if (hosts_.contains(item.host) && !policy_.robots->knows(item.origin)) {
      return false;
    }
  }
  if (policy_.pacer != nullptr) {
    const auto turn = policy_.pacer->ready_at(item.host);
    if (turn > now) {
      next_turn_ = std::min(next_turn_, turn);
      return false;
    }
  }
  return true;
}

// Called with the lock held. One round over the lanes, each asked for its oldest job that may
// start; the lane served goes to the back of the turns.
std::optional<job> fair_queue::take_startable() {
  // Answers at shutdown are short, and once closed nobody is left to read the replies.
  const bool unlimited = open_ || closed_;
  const auto now = host_pacer::clock::now();
  next_turn_ = host_pacer::clock::time_point::max();
  for (std::size_t turn = 0, lanes = turns_.size(); turn < lanes; ++turn) {
    const lane_id id = turns_.front();
    turns_.pop_front();
    auto& jobs = lanes_.at(id);
    const auto found = std::find_if(jobs.begin(), jobs.end(),
                                    [&](const job& item) { return may_start(id, item, now); });
    if (found == jobs.end()) {
      turns_.push_back(id);
      continue;
    }
    const bool reserved = !unlimited && budget_.try_reserve();
    if (!unlimited && !reserved) {
      // Every later candidate needs the same room: wait for the budget to give some back.
      budget_blocked_ = true;
      turns_.push_front(id);
      return std::nullopt;
    }
    job item = std::move(*found);
    jobs.erase(found);
    --size_;
    item.reserved = reserved;
    if (tracks_hosts() && !item.host.empty()) {
      ++hosts_[item.host];
    }
    if (policy_.pacer != nullptr && !open_ && !item.host.empty()) {
      policy_.pacer->take_turn(item.host);
    }
    if (jobs.empty()) {
      lanes_.erase(id);
    } else {
      turns_.push_back(id);
    }
    return item;
  }
  return std::nullopt;
}

void fair_queue::finish(const job& item) {
  if (!tracks_hosts() || item.host.empty()) {
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    const auto found = hosts_.find(item.host);
    if (found != hosts_.end() && --found->second == 0) {
      hosts_.erase(found);
    }
  }
  ready_.notify_one();
}

void fair_queue::set_paused(lane_id lane, bool paused) {
  {
    const std::lock_guard lock(mutex_);
    if (paused) {
      paused_.insert(lane);
      return;
    }
    paused_.erase(lane);
  }
  ready_.notify_all();
}

std::deque<job> fair_queue::remove_lane(lane_id lane) {
  const std::lock_guard lock(mutex_);
  paused_.erase(lane);
  const auto found = lanes_.find(lane);
  if (found == lanes_.end()) {
    return {};
  }
  auto jobs = std::move(found->second);
  lanes_.erase(found);
  turns_.erase(std::remove(turns_.begin(), turns_.end(), lane), turns_.end());
  size_ -= jobs.size();
  return jobs;
}

void fair_queue::open_all() {
  {
    const std::lock_guard lock(mutex_);
    open_ = true;
  }
  ready_.notify_all();
}

void fair_queue::close() {
  {
    const std::lock_guard lock(mutex_);
    closed_ = true;
  }
  ready_.notify_all();
}

void fair_queue::wake() {
  {
    const std::lock_guard lock(mutex_);
    if (!budget_blocked_) {
      return;
    }
    budget_blocked_ = false;
  }
  ready_.notify_all();
}

void fair_queue::wake_all() {
  { const std::lock_guard lock(mutex_); }  // a waiter is either waiting or sees the change
  ready_.notify_all();
}

std::size_t fair_queue::size() const {
  const std::lock_guard lock(mutex_);
  return size_;
}

std::size_t fair_queue::tracked_hosts() const {
  const std::lock_guard lock(mutex_);
  return hosts_.size();
}

std::size_t fair_queue::in_flight(const std::string& host) const {
  const std::lock_guard lock(mutex_);
  const auto found = hosts_.find(host);
  return found == hosts_.end() ? 0 : found->second;
}

}  // namespace wordcrawl
