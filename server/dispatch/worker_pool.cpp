#include "dispatch/worker_pool.hpp"

#include <exception>
#include <memory>
#include <string>

namespace wordcrawl {

page_result process_safely(url_processor* processor, const std::string& url,
                           const answer_settings& settings) {
  if (processor == nullptr) {
    return page_result::failure(error_kind::internal, "internal error: no processor");
  }
  try {
    return processor->process_with(url, settings);
  } catch (const std::exception& e) {
    return page_result::failure(error_kind::internal, std::string("internal error: ") + e.what());
  } catch (...) {
    return page_result::failure(error_kind::internal, "internal error: unknown exception");
  }
}

worker_pool::worker_pool(std::size_t threads, job_dispatcher& jobs,
                         const processor_factory& factory, progress_log& log,
                         const std::atomic<bool>& cancel, status_metrics* status)
    : jobs_(jobs), log_(log), cancel_(cancel), status_(status) {
  threads_.reserve(threads);
  try {
    for (std::size_t i = 0; i < threads; ++i) {
      threads_.emplace_back([this, factory, i] { run(factory, i); });
    }
  } catch (...) {
    join();
    throw;
  }
}

worker_pool::~worker_pool() {
  join();
}

void worker_pool::join() {
  jobs_.close();
  for (auto& thread : threads_) {
    if (thread.joinable()) {
      thread.join();
    }
  }
}

void worker_pool::run(const processor_factory& factory, std::size_t index) {
  if (status_ != nullptr) {
    status_->workers().bind_thread(index);
  }
  std::unique_ptr<url_processor> processor;
  try {
    processor = factory(cancel_);
  } catch (...) {
    // Without a processor this thread still answers its jobs, each with an error.
    processor.reset();
  }
  while (auto item = jobs_.take()) {
    run_job(processor.get(), *item, index);
  }
}

void worker_pool::run_job(url_processor* processor, const job& item, std::size_t index) {
  if (jobs_.settle_if_moot(item)) {
    return;
  }
  if (status_ != nullptr) {
    status_->begin(index, item.host, item.url);
  }
  const auto result = process_safely(processor, item.url, item.settings);
  if (status_ != nullptr) {
    status_->end(index, result);
  }
  log_.record_processed(result);
  jobs_.deliver(item, result);
}

}  // namespace wordcrawl
