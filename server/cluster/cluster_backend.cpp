#include "cluster/cluster_backend.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <utility>

#include "dispatch/worker_pool.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds link_timeout{2000};
constexpr milliseconds claim_block{100};    // wait for new work when nothing else is to do
constexpr milliseconds lease_retry{20};     // between tries for a busy host's lease
constexpr milliseconds first_backoff{100};  // after Redis could not be reached
constexpr milliseconds longest_backoff{2000};

milliseconds renew_interval(const cluster_options& options) {
  return std::max(options.visibility / 3, milliseconds(50));
}

milliseconds reclaim_interval(const cluster_options& options) {
  return std::clamp(options.visibility / 4, milliseconds(50), milliseconds(1000));
}

}  // namespace

cluster_backend::cluster_backend(cluster_options options, std::string node, std::size_t workers,
                                 std::size_t per_host, const processor_factory& factory,
                                 progress_log& log, const std::atomic<bool>& cancel,
                                 status_metrics* status)
    : options_(std::move(options)),
      node_(std::move(node)),
      per_host_(per_host),
      // Enough that a busy host's entries waiting for a lease leave workers something to do.
      worker_count_(workers),
      capacity_(std::max<std::size_t>(2 * workers, 16)),
      log_(log),
      cancel_(cancel),
      status_(status) {
  intake_ = std::thread([this] { run_intake(); });
  workers_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    workers_.emplace_back([this, factory, i] { run_worker(factory, i); });
  }
}

cluster_backend::~cluster_backend() {
  join();
}

void cluster_backend::join() {
  stop_.raise();
  room_changed_.notify_all();
  if (intake_.joinable()) {
    intake_.join();
  }
  for (auto& worker : workers_) {
    if (worker.joinable()) {
      worker.join();
    }
  }
}

std::size_t cluster_backend::room() const {
  const std::lock_guard lock(mutex_);
  return room_locked();
}

// Entries to claim now: enough for the idle workers and a few more (a quarter of the workers,
// at least one), so that a finishing worker finds its next entry ready while a node with busy
// workers leaves the shared queue to the others; entries waiting for a busy host's lease hold
// no worker and do not count, up to capacity_ in all.
std::size_t cluster_backend::room_locked() const {
  const auto idle = worker_count_ > running_ ? worker_count_ - running_ : 0;
  const auto ahead = idle + 1 + worker_count_ / 4;
  const auto wanted = ahead > ready_.size() ? ahead - ready_.size() : 0;
  const auto free = capacity_ > held_.size() ? capacity_ - held_.size() : 0;
  return std::min(wanted, free);
}

std::vector<work_entry> cluster_backend::held() const {
  const std::lock_guard lock(mutex_);
  std::vector<work_entry> entries;
  entries.reserve(held_.size());
  for (const auto& [id, entry] : held_) {
    entries.push_back(entry);
  }
  return entries;
}

void cluster_backend::forget(const std::string& id) {
  {
    const std::lock_guard lock(mutex_);
    held_.erase(id);
    --running_;
  }
  room_changed_.notify_all();
}

void cluster_backend::run_intake() {
  cluster_store store(options_, link_timeout + claim_block);
  auto next_renew = steady_clock::now() + renew_interval(options_);
  auto next_reclaim = steady_clock::now();
  while (!stop_.raised()) {
    if (steady_clock::now() >= next_reclaim) {
      reclaim(store);
      next_reclaim = steady_clock::now() + reclaim_interval(options_);
    }
    if (steady_clock::now() >= next_renew) {
      store.renew(node_, held());
      next_renew = steady_clock::now() + renew_interval(options_);
    }
    claim(store);
    lease(store);
    std::unique_lock lock(mutex_);
    if (!waiting_.empty() || room_locked() == 0) {
      // A lease frees when any node finishes with the host; this node's finishing wakes us.
      room_changed_.wait_for(lock, lease_retry);
    }
  }
  release_unstarted(store);
}

void cluster_backend::claim(cluster_store& store) {
  std::size_t count = 0;
  bool waiting = false;
  {
    const std::lock_guard lock(mutex_);
    count = room_locked();
    waiting = !waiting_.empty();
  }
  if (count == 0) {
    return;
  }
  // With entries waiting for a lease, do not block: they are retried at once.
  const auto block = waiting ? milliseconds(1) : claim_block;
  auto entries = store.read_new(node_, count, block);
  if (!entries) {
    stop_.wait_for(first_backoff);
    return;
  }
  const std::lock_guard lock(mutex_);
  for (auto& entry : *entries) {
    held_.insert_or_assign(entry.id, entry);
    waiting_.push_back(std::move(entry));
  }
}

void cluster_backend::reclaim(cluster_store& store) {
  const auto count = room();
  if (count == 0) {
    return;
  }
  auto result = store.reclaim(node_, count);
  if (!result) {
    return;
  }
  if (result->gave_up > 0) {
    log_.write_note("cluster: gave up on " + std::to_string(result->gave_up) + " URLs after " +
                    std::to_string(options_.max_tries) + " tries (kept in " + options_.name +
                    ":dead)");
  }
  if (result->claimed.empty()) {
    return;
  }
  log_.write_note("cluster: reclaimed " + std::to_string(result->claimed.size()) +
                  " URLs idle over " + std::to_string(options_.visibility.count()) +
                  " ms (their node stopped renewing them), first " + result->claimed[0].url);
  const std::lock_guard lock(mutex_);
  for (auto& entry : result->claimed) {
    held_.insert_or_assign(entry.id, entry);
    waiting_.push_back(std::move(entry));
  }
}

void cluster_backend::lease(cluster_store& store) {
  std::vector<work_entry> asking;
  {
    const std::lock_guard lock(mutex_);
    asking = waiting_;
  }
  if (asking.empty()) {
    return;
  }
  const auto states = store.acquire(asking, per_host_);
  if (!states) {
    return;
  }
  std::size_t granted = 0;
  {
    const std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < asking.size(); ++i) {
      const auto state = (*states)[i];
      if (state == lease_state::busy) {
        continue;
      }
      // A worker may have taken it meanwhile, with the lease of the entry it finished.
      const auto found = std::find_if(waiting_.begin(), waiting_.end(),
                                      [&](const auto& entry) { return entry.id == asking[i].id; });
      if (found == waiting_.end()) {
        continue;
      }
      if (state == lease_state::granted) {
        ready_.push_back(std::move(*found));
        ++granted;
      } else {
        held_.erase(found->id);
      }
      waiting_.erase(found);
    }
  }
  if (granted > 0) {
    ready_changed_.notify_all();
  }
}

// A stopping node gives what it claimed and did not start back to the cluster at once,
// rather than after its leases run out.
void cluster_backend::release_unstarted(cluster_store& store) {
  std::vector<work_entry> unstarted;
  {
    const std::lock_guard lock(mutex_);
    unstarted = std::move(waiting_);
    waiting_.clear();
    for (auto& entry : ready_) {
      unstarted.push_back(std::move(entry));
    }
    ready_.clear();
    for (const auto& entry : unstarted) {
      held_.erase(entry.id);
    }
    intake_done_ = true;
  }
  ready_changed_.notify_all();
  if (!unstarted.empty()) {
    store.release(node_, unstarted);
  }
}

std::optional<work_entry> cluster_backend::take_successor(const std::string& host) {
  if (host.empty() || per_host_ == 0) {
    return std::nullopt;
  }
  const std::lock_guard lock(mutex_);
  const auto found = std::find_if(waiting_.begin(), waiting_.end(),
                                  [&](const auto& entry) { return entry.host == host; });
  if (found == waiting_.end()) {
    return std::nullopt;
  }
  auto entry = std::move(*found);
  waiting_.erase(found);
  return entry;
}

std::optional<work_entry> cluster_backend::next_ready() {
  std::unique_lock lock(mutex_);
  ready_changed_.wait(lock, [this] { return !ready_.empty() || intake_done_; });
  if (ready_.empty()) {
    return std::nullopt;
  }
  auto entry = std::move(ready_.front());
  ready_.pop_front();
  ++running_;
  return entry;
}

void cluster_backend::run_worker(const processor_factory& factory, std::size_t index) {
  if (status_ != nullptr) {
    status_->workers().bind_thread(index);
  }
  std::unique_ptr<url_processor> processor;
  try {
    processor = factory(cancel_);
  } catch (...) {
    processor.reset();  // every entry is still answered, with an internal error
  }
  cluster_store store(options_, link_timeout);
  while (auto entry = next_ready()) {
    if (status_ != nullptr) {
      status_->begin(index, entry->host, entry->url);
    }
    const auto result = process_safely(processor.get(), entry->url, entry->settings);
    if (status_ != nullptr) {
      status_->end(index, result);
    }
    if (cancel_) {
      // The fetch was cut short by this node's shutdown: another node does it properly.
      store.release(node_, {*entry});
    } else {
      log_.record_processed(result);
      auto line = encode_reply(entry->url, result);
      line.pop_back();  // the "\n" is the origin's to add
      finish(store, *entry, line);
    }
    forget(entry->id);
  }
}

// The next entry of the same host, waiting on this node, takes over the lease at once: with a
// busy host, its slots would otherwise idle until the intake's next try.
void cluster_backend::finish(cluster_store& store, const work_entry& entry,
                             const std::string& line) {
  auto successor = take_successor(entry.host);
  const auto outcome = finish_with_retries(store, entry, line, successor ? &*successor : nullptr);
  if (!successor) {
    return;
  }
  {
    const std::lock_guard lock(mutex_);
    if (outcome && outcome->handed_over && !intake_done_) {
      ready_.push_front(std::move(*successor));
    } else if (intake_done_) {
      held_.erase(successor->id);  // the node is stopping: its lease runs out, others take it
    } else {
      waiting_.push_back(std::move(*successor));
    }
  }
  ready_changed_.notify_one();
}

std::optional<cluster_store::finish_outcome> cluster_backend::finish_with_retries(
    cluster_store& store, const work_entry& entry, const std::string& line,
    const work_entry* successor) {
  bool reported = false;
  for (auto delay = first_backoff;; delay = std::min(delay * 2, longest_backoff)) {
    if (auto outcome = store.finish(entry, line, successor)) {
      return outcome;
    }
    if (!reported) {
      log_.write_note("cluster: cannot record an answer (" + store.link().error() + "); retrying");
      reported = true;
    }
    // Given up only when the node stops: the entry's lease then runs out and another node
    // works it again.
    if (stop_.wait_for(delay)) {
      return std::nullopt;
    }
  }
}

}  // namespace wordcrawl
