#include "fetch/host_limiter.hpp"

#include <utility>

namespace wordcrawl {

host_limiter::permit::permit(permit&& other) noexcept
    : owner_(std::exchange(other.owner_, nullptr)), host_(std::move(other.host_)) {}

host_limiter::permit& host_limiter::permit::operator=(permit&& other) noexcept {
  if (this != &other) {
    release();
    owner_ = std::exchange(other.owner_, nullptr);
    host_ = std::move(other.host_);
  }
  return *this;
}

host_limiter::permit::~permit() {
  release();
}

void host_limiter::permit::release() {
  if (owner_ != nullptr) {
    std::exchange(owner_, nullptr)->release(host_);
  }
}

std::optional<host_limiter::permit> host_limiter::acquire(const std::string& host,
                                                          std::size_t limit,
                                                          const std::atomic<bool>& cancel) {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (cancel.load()) {
      return std::nullopt;
    }
    const auto found = in_flight_.find(host);
    if (limit == 0 || found == in_flight_.end() || found->second < limit) {
      break;
    }
    released_.wait_for(lock, cancel_poll);
  }
  ++in_flight_[host];
  return permit(this, host);
}

void host_limiter::release(const std::string& host) {
  {
    const std::lock_guard lock(mutex_);
    const auto found = in_flight_.find(host);
    if (found != in_flight_.end() && --found->second == 0) {
      in_flight_.erase(found);
    }
  }
  // Waiters for different hosts share the variable, so wake them all.
  released_.notify_all();
}

std::size_t host_limiter::in_flight(const std::string& host) const {
  const std::lock_guard lock(mutex_);
  const auto found = in_flight_.find(host);
  return found == in_flight_.end() ? 0 : found->second;
}

std::size_t host_limiter::tracked_hosts() const {
  const std::lock_guard lock(mutex_);
  return in_flight_.size();
}

}  // namespace wordcrawl
