#pragma once

// The side of a cluster node that works the shared queue: an intake thread claims entries
// (never more than the node has room for), takes a cluster-wide lease on each one's host
// before a worker may start it, renews the leases of what the node holds, and reclaims
// entries of nodes that stopped renewing theirs; N worker threads fetch, count, and finish
// each entry in one atomic step.

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cluster/cluster_options.hpp"
#include "cluster/cluster_store.hpp"
#include "cluster/stop_signal.hpp"
#include "dispatch/progress_log.hpp"
#include "fetch/url_processor.hpp"
#include "status/status_metrics.hpp"

namespace wordcrawl {

class cluster_backend {
 public:
  /// Starts the intake and the workers. log and cancel must outlive it.
  cluster_backend(cluster_options options, std::string node, std::size_t workers,
                  std::size_t per_host, const processor_factory& factory, progress_log& log,
                  const std::atomic<bool>& cancel, status_metrics* status = nullptr);
  cluster_backend(const cluster_backend&) = delete;
  cluster_backend& operator=(const cluster_backend&) = delete;
  cluster_backend(cluster_backend&&) = delete;
  cluster_backend& operator=(cluster_backend&&) = delete;
  ~cluster_backend();

  /// Stops claiming, hands back what was claimed and not started, lets running work finish.
  void join();

 private:
  void run_intake();
  void claim(cluster_store& store);
  void reclaim(cluster_store& store);
  void lease(cluster_store& store);
  void release_unstarted(cluster_store& store);
  std::optional<work_entry> take_successor(const std::string& host);
  std::size_t room() const;
  std::size_t room_locked() const;
  std::vector<work_entry> held() const;
  void forget(const std::string& id);

  void run_worker(const processor_factory& factory, std::size_t index);
  std::optional<work_entry> next_ready();
  void finish(cluster_store& store, const work_entry& entry, const std::string& line);
  std::optional<cluster_store::finish_outcome> finish_with_retries(cluster_store& store,
                                                                   const work_entry& entry,
                                                                   const std::string& line,
                                                                   const work_entry* successor);

  cluster_options options_;
  std::string node_;
  std::size_t per_host_;
  std::size_t worker_count_;
  std::size_t capacity_;  // entries the node holds at most: waiting, ready and running
  progress_log& log_;
  const std::atomic<bool>& cancel_;
  status_metrics* status_;  // each worker's state for the status port; may be null
  stop_signal stop_;

  mutable std::mutex mutex_;
  std::condition_variable ready_changed_;             // an entry is ready, or the intake stopped
  std::condition_variable room_changed_;              // a worker finished an entry
  std::vector<work_entry> waiting_;                   // claimed, host lease not yet granted
  std::deque<work_entry> ready_;                      // lease granted, for the next free worker
  std::unordered_map<std::string, work_entry> held_;  // by entry id
  std::size_t running_ = 0;                           // entries a worker is on
  bool intake_done_ = false;

  std::thread intake_;
  std::vector<std::thread> workers_;
};

}  // namespace wordcrawl
