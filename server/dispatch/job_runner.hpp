#pragma once

namespace wordcrawl {

/// Whatever works the dispatcher's jobs: this machine's worker threads, or a cluster node that
/// hands them to the shared queue and works its share. Started by its constructor.
class job_runner {
 public:
  job_runner() = default;
  virtual ~job_runner() = default;
  job_runner(const job_runner&) = delete;
  job_runner& operator=(const job_runner&) = delete;
  job_runner(job_runner&&) = delete;
  job_runner& operator=(job_runner&&) = delete;

  /// Waits for every thread to finish; they do once the dispatcher is closed and drained.
  virtual void join() = 0;
};

}  // namespace wordcrawl
