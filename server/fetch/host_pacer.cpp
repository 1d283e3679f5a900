#include "fetch/host_pacer.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <thread>

namespace wordcrawl {
namespace {

// The host whose turn the queue took for the job this thread is about to run. A worker runs
// the job on the thread that took it, so the turn needs no other hand-over.
struct taken_turn {
  std::string host;
  std::uint64_t turn = 0;
};
thread_local taken_turn turn_taken;  // NOLINT(cppcoreguidelines-avoid-non-const-global-variables)

// cancel is a plain atomic nobody notifies on, so a wait re-checks it this often.
constexpr std::chrono::milliseconds cancel_poll{50};
constexpr std::size_t min_prune_size = 1024;

}  // namespace

host_pacer::host_pacer(std::chrono::milliseconds delay) : delay_(delay) {}

host_pacer::clock::time_point host_pacer::ready_at(const std::string& host) const {
  const std::lock_guard lock(mutex_);
  const auto found = hosts_.find(host);
  return found == hosts_.end() ? clock::time_point::min() : found->second.next;
}

void host_pacer::take_turn(const std::string& host) {
  const auto now = clock::now();
  turn_taken.host.clear();
  {
    const std::lock_guard lock(mutex_);
    const auto found = hosts_.find(host);
    if (found != hosts_.end() && found->second.next > now) {
      return;  // not the host's turn yet: the job's request will wait in wait_turn()
    }
    // The host's own gap (its Crawl-delay) is known from its last request.
    const auto gap = found == hosts_.end() ? delay_ : found->second.gap;
    turn_taken.turn = start_locked(host, now, gap);
  }
  turn_taken.host = host;
}

bool host_pacer::wait_turn(const std::string& host, std::chrono::milliseconds gap,
                           clock::time_point deadline, const std::atomic<bool>& cancel) {
  gap = std::max(gap, delay_);
  if (turn_taken.host == host) {
    turn_taken.host.clear();
    const std::lock_guard lock(mutex_);
    const auto found = hosts_.find(host);
    // Still the host's latest turn (nobody asked it since the queue took the turn), and taken
    // with a gap as long as the one known now: the request may go at once. A gap learnt since
    // (the host's robots.txt was read) is waited for from that turn instead.
    if (found != hosts_.end() && found->second.turn == turn_taken.turn &&
        gap <= found->second.gap) {
      found->second.next = std::max(found->second.next, clock::now() + gap);
      return true;
    }
  }
  turn_taken.host.clear();
  for (;;) {
    const auto now = clock::now();
    clock::time_point next;
    {
      const std::lock_guard lock(mutex_);
      const auto found = hosts_.find(host);
      // At least gap after the host's last start, also when that start knew a shorter one.
      next = found == hosts_.end()
                 ? now
                 : found->second.next + (std::max(gap, found->second.gap) - found->second.gap);
      if (next <= now) {
        start_locked(host, now, gap);
        return true;
      }
    }
    if (next > deadline || cancel.load()) {
      return false;
    }
    std::this_thread::sleep_for(std::min<clock::duration>(next - now, cancel_poll));
  }
}

std::size_t host_pacer::tracked_hosts() const {
  const std::lock_guard lock(mutex_);
  return hosts_.size();
}

std::uint64_t host_pacer::start_locked(const std::string& host, clock::time_point now,
                                       std::chrono::milliseconds gap) {
  const auto turn = ++last_turn_;
  hosts_[host] = host_state{now + gap, gap, turn};
  if (hosts_.size() >= prune_at_) {
    prune_locked(now);
  }
  return turn;
}

// A host whose next turn has come holds nothing back, so it can be forgotten; what stays is
// bounded by the requests started within the longest gap.
void host_pacer::prune_locked(clock::time_point now) {
  for (auto it = hosts_.begin(); it != hosts_.end();) {
    it = it->second.next <= now ? hosts_.erase(it) : std::next(it);
  }
  prune_at_ = std::max(min_prune_size, hosts_.size() * 2);
}

}  // namespace wordcrawl
