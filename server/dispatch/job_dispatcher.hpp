#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include <boost/asio/io_context.hpp>

#include "dispatch/fair_queue.hpp"
#include "dispatch/job.hpp"
#include "dispatch/progress_log.hpp"
#include "dispatch/reply_budget.hpp"
#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// Sizes of the dispatcher's queue.
struct dispatch_limits {
  /// Jobs queued for the workers, all clients together (plus one per client with none queued).
  std::size_t queue = 256;
  /// Jobs of one host started and not finished (0 = unlimited).
  std::size_t per_host = 4;
};

/// Between the I/O thread and the workers: the fair queue, and the jobs parked because it was
/// full. A session whose job finds the queue full parks that job in a FIFO and stops reading;
/// every job a worker takes posts a "space" event to the I/O thread, which admits parked jobs
/// in arrival order. While anyone is parked, new jobs park behind them, so a flooding client
/// cannot overtake. Each started job's reply is reserved in the budget and settled when its
/// answer reaches the I/O thread.
class job_dispatcher {
 public:
  /// budget, log and what policy points to must outlive the dispatcher; with a pacer, take()
  /// must be called by the thread that works the job.
  job_dispatcher(boost::asio::io_context& io, const dispatch_limits& limits, reply_budget& budget,
                 progress_log& log, crawl_policy policy = {});
  job_dispatcher(const job_dispatcher&) = delete;
  job_dispatcher& operator=(const job_dispatcher&) = delete;
  job_dispatcher(job_dispatcher&&) = delete;
  job_dispatcher& operator=(job_dispatcher&&) = delete;
  ~job_dispatcher();

  /// I/O thread: a new lane for a new client.
  lane_id open_lane() { return ++last_lane_; }
  /// I/O thread: the lane's client is gone; its queued and parked jobs are dropped.
  void close_lane(lane_id lane);
  /// I/O thread: a client that does not read its replies gets no more jobs started meanwhile.
  void pause_lane(lane_id lane, bool paused) { queue_.set_paused(lane, paused); }

  /// I/O thread: queues the job (true) or parks it (false); a parked job's owner is told by
  /// on_unparked() when it is queued or answered.
  bool submit(job& item);
  /// I/O thread: grace is over; parked jobs are answered "server shutting down" and workers
  /// answer what is still queued the same way.
  void abandon();
  /// Any thread: no more jobs; workers finish what is queued, then take() returns nullopt.
  void close();

  /// Worker thread: the next job that may start, blocking until there is one; nullopt once
  /// closed. Every job taken is given back by deliver() or drop().
  std::optional<job> take();
  /// The same without waiting: nullopt if no job may start now.
  std::optional<job> try_take();
  /// Worker thread: encodes the result and hands the reply line to the job's owner on the I/O
  /// thread, if it is still there.
  void deliver(const job& item, const page_result& result);
  /// The same with the reply line already made ("\n" included), by another cluster node.
  void deliver_line(const job& item, std::string line);
  /// Worker thread: the job's owner is gone; nothing is sent.
  void drop(const job& item);
  /// Worker thread, before working a job: true if it needs no work, because its owner is gone
  /// (dropped) or the grace period is over (answered "server shutting down"); it is settled.
  bool settle_if_moot(const job& item);

  /// True once abandon() was called.
  bool abandoned() const { return abandoned_.load(); }
  /// Jobs in the queue now (excluding parked ones).
  std::size_t queued() const { return queue_.size(); }
  /// Jobs parked waiting for room.
  std::size_t parked() const { return parked_count_.load(); }
  /// Jobs ever admitted to the queue.
  std::uint64_t admitted() const { return admitted_.load(); }
  /// Hosts with a job started and not finished.
  std::size_t busy_hosts() const { return queue_.tracked_hosts(); }

 private:
  void on_space();
  void answer_shutting_down(job& item);

  boost::asio::io_context& io_;
  reply_budget& budget_;
  progress_log& log_;
  fair_queue queue_;
  std::deque<job> parked_;  // I/O thread only
  lane_id last_lane_ = 0;   // I/O thread only
  std::atomic<bool> abandoned_{false};
  std::atomic<std::uint64_t> admitted_{0};
  std::atomic<std::size_t> parked_count_{0};  // parked_.size() for other threads
  robots_cache* robots_;                      // told to wake the queue when a robots.txt lands
};

}  // namespace wordcrawl
