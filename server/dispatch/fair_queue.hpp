#pragma once

// The bounded queue between the I/O thread and the workers, shaped so that no client and no
// host can stall the others:
//
//   lanes       every client's jobs form a lane; pop() serves the lanes round-robin, and
//               within a lane the oldest job that may start
//   hosts       a job may start only while its host has fewer than per_host fetches started
//               and not finished, so a worker never takes a job it would have to wait on while
//               another job is ready
//   politeness  a job may start only once its host's turn has come (--delay, Crawl-delay), and
//               its start takes that turn; and not while a robots.txt of its host is on its way,
//               nor while another job of its host has started and its origin's robots.txt is
//               not known yet (that job will fetch it: the worker would only wait for it)
//   budget      a job may start only if the reply budget has room for its answer
//   capacity    try_push() refuses once capacity jobs are queued, except a lane's first job:
//               a new client is never stuck behind a queue full of someone else's work, and
//               the queue holds at most capacity plus one job per client
//
// Waits use predicates, and waiters are notified after the lock is released, as in spdlog's
// mpmc_blocking_q. Safe from any thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "dispatch/job.hpp"
#include "dispatch/reply_budget.hpp"
#include "fetch/crawl_policy.hpp"

namespace wordcrawl {

class fair_queue {
 public:
  /// per_host 0 means no per-host limit. budget must outlive the queue; the queue wakes its
  /// waiters when the budget tells it of room.
  /// What policy points to must outlive the queue too; with a pacer, pop() must be called by
  /// the thread that works the job, which is handed the host's turn.
  fair_queue(std::size_t capacity, std::size_t per_host, reply_budget& budget,
             crawl_policy policy = {});

  /// Queues the job (true, item moved from) unless the queue is closed, or it is full (or
  /// others_wait) and the job's lane already has a job queued (false, item untouched).
  bool try_push(job& item, bool others_wait = false);
  /// The next job that may start, blocking until there is one; its host slot and reply
  /// reservation are taken. nullopt once closed and empty.
  std::optional<job> pop();
  /// The same without waiting: nullopt if no job may start now.
  std::optional<job> try_pop();
  /// The popped job is done: its host slot is free again.
  void finish(const job& item);

  /// A paused lane's jobs stay queued but do not start (its client does not read replies).
  void set_paused(lane_id lane, bool paused);
  /// Takes every queued job of lane out of the queue (its client is gone).
  std::deque<job> remove_lane(lane_id lane);
  /// Grace is over: jobs are answered without fetching, so hosts and pauses no longer hold
  /// them back.
  void open_all();
  /// No more jobs; pop() drains what is queued (pauses and budget no longer apply, the host
  /// limit still does), then returns nullopt.
  void close();
  /// Room may have appeared in the budget.
  void wake();
  /// A held-back host may start again (its robots.txt landed).
  void wake_all();

  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }
  /// Hosts with a fetch started and not finished (the host map never holds more).
  std::size_t tracked_hosts() const;
  /// Fetches of host started and not finished.
  std::size_t in_flight(const std::string& host) const;

 private:
  std::optional<job> take_startable();
  bool may_start(lane_id id, const job& item, host_pacer::clock::time_point now);
  bool polite_to_start(const job& item, host_pacer::clock::time_point now);
  bool tracks_hosts() const { return per_host_ > 0 || policy_.robots != nullptr; }

  const std::size_t capacity_;
  const std::size_t per_host_;
  reply_budget& budget_;
  const crawl_policy policy_;
  mutable std::mutex mutex_;
  std::condition_variable ready_;
  std::unordered_map<lane_id, std::deque<job>> lanes_;  // lanes with jobs queued
  std::deque<lane_id> turns_;                           // those lanes, next to serve first
  std::unordered_set<lane_id> paused_;
  std::unordered_map<std::string, std::size_t> hosts_;  // started, not finished
  std::size_t size_ = 0;
  bool closed_ = false;
  bool open_ = false;
  bool budget_blocked_ = false;  // a pop found a job but no room for its reply
  // The earliest turn of a host whose job the last scan held back (max(): none).
  host_pacer::clock::time_point next_turn_ = host_pacer::clock::time_point::max();
};

}  // namespace wordcrawl
