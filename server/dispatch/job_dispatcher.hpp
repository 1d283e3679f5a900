#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

#include <boost/asio/io_context.hpp>

#include "dispatch/bounded_queue.hpp"
#include "dispatch/job.hpp"
#include "dispatch/progress_log.hpp"
#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// The bounded job queue between the I/O thread and the workers, with fair admission: a session
/// whose job finds the queue full parks that job in a FIFO and stops reading; every job a worker
/// takes posts a "space" event to the I/O thread, which admits parked jobs in arrival order.
/// While anyone is parked, new jobs park behind them, so a flooding client cannot overtake.
class job_dispatcher {
 public:
  job_dispatcher(boost::asio::io_context& io, std::size_t capacity, progress_log& log);
  job_dispatcher(const job_dispatcher&) = delete;
  job_dispatcher& operator=(const job_dispatcher&) = delete;
  job_dispatcher(job_dispatcher&&) = delete;
  job_dispatcher& operator=(job_dispatcher&&) = delete;
  ~job_dispatcher() = default;

  /// I/O thread: queues the job (true) or parks it (false); a parked job's owner is told by
  /// on_unparked() when it is queued or answered.
  bool submit(job& item);
  /// I/O thread: grace is over; parked jobs are answered "server shutting down" and workers
  /// answer what is still queued the same way.
  void abandon();
  /// Any thread: no more jobs; workers finish what is queued, then take() returns nullopt.
  void close();

  /// Worker thread: the next job, blocking while the queue is empty; nullopt once closed.
  std::optional<job> take();
  /// Worker thread: encodes the result and hands the reply line to the job's owner on the I/O
  /// thread, if it is still there.
  void deliver(const job& item, const page_result& result);

  /// True once abandon() was called.
  bool abandoned() const { return abandoned_.load(); }
  /// Jobs in the queue now (excluding parked ones).
  std::size_t queued() const { return queue_.size(); }
  /// Jobs parked waiting for room.
  std::size_t parked() const { return parked_count_.load(); }
  /// Jobs ever admitted to the queue.
  std::uint64_t admitted() const { return admitted_.load(); }

 private:
  void on_space();

  boost::asio::io_context& io_;
  progress_log& log_;
  bounded_queue<job> queue_;
  std::deque<job> parked_;  // I/O thread only
  std::atomic<bool> abandoned_{false};
  std::atomic<std::uint64_t> admitted_{0};
  std::atomic<std::size_t> parked_count_{0};  // parked_.size() for other threads
};

}  // namespace wordcrawl
