#pragma once

// The side of a cluster node that faces its own clients: a submitter thread takes the jobs
// the sessions queued (fairly, from the dispatcher) and adds them to the shared work stream;
// a reply thread reads the node's answers back and hands each to its session. Neither is the
// I/O thread, which never calls Redis.

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "cluster/cluster_options.hpp"
#include "cluster/cluster_store.hpp"
#include "cluster/pending_requests.hpp"
#include "cluster/stop_signal.hpp"
#include "dispatch/job_dispatcher.hpp"
#include "dispatch/progress_log.hpp"

namespace wordcrawl {

class cluster_frontend {
 public:
  /// Starts both threads. jobs and log must outlive it.
  cluster_frontend(cluster_options options, std::string node, job_dispatcher& jobs,
                   progress_log& log);
  cluster_frontend(const cluster_frontend&) = delete;
  cluster_frontend& operator=(const cluster_frontend&) = delete;
  cluster_frontend(cluster_frontend&&) = delete;
  cluster_frontend& operator=(cluster_frontend&&) = delete;
  ~cluster_frontend();

  /// The dispatcher is closed and every client gone: ends both threads.
  void join();

 private:
  void run_submitter();
  void submit(cluster_store& store, std::vector<job>& batch);
  bool wait_for_backlog_room(cluster_store& store);
  void run_reader();
  void hand_over(const std::vector<cluster_reply>& replies);
  void resubmit_all(cluster_store& store);
  void answer_pending_shutting_down();

  cluster_options options_;
  std::string node_;
  job_dispatcher& jobs_;
  progress_log& log_;
  pending_requests pending_;
  stop_signal stop_;
  std::uint64_t sequence_ = 0;  // submitter thread only
  std::thread submitter_;
  std::thread reader_;
};

}  // namespace wordcrawl
