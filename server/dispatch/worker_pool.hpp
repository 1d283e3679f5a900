#pragma once

#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

#include "dispatch/job_dispatcher.hpp"
#include "dispatch/job_runner.hpp"
#include "dispatch/progress_log.hpp"
#include "fetch/url_processor.hpp"
#include "status/status_metrics.hpp"

namespace wordcrawl {

/// The processor's result for url; an exception (or a missing processor) becomes an internal
/// error, so every job is answered.
page_result process_safely(url_processor* processor, const std::string& url,
                           const answer_settings& settings);

/// N worker threads, each with its own url_processor, taking jobs from the dispatcher and
/// handing the results back to the I/O thread. Workers never touch sockets.
class worker_pool final : public job_runner {
 public:
  /// Starts the threads at once. jobs, log, cancel and status (if any; it has a slot for each
  /// thread) must outlive the pool.
  worker_pool(std::size_t threads, job_dispatcher& jobs, const processor_factory& factory,
              progress_log& log, const std::atomic<bool>& cancel, status_metrics* status = nullptr);
  worker_pool(const worker_pool&) = delete;
  worker_pool& operator=(const worker_pool&) = delete;
  worker_pool(worker_pool&&) = delete;
  worker_pool& operator=(worker_pool&&) = delete;
  /// Closes the dispatcher and joins every thread.
  ~worker_pool() override;

  /// Waits for every thread to finish; they do once the dispatcher is closed and drained.
  void join() override;

 private:
  void run(const processor_factory& factory, std::size_t index);
  void run_job(url_processor* processor, const job& item, std::size_t index);

  job_dispatcher& jobs_;
  progress_log& log_;
  const std::atomic<bool>& cancel_;
  status_metrics* status_;  // null: nothing published
  std::vector<std::thread> threads_;
};

}  // namespace wordcrawl
