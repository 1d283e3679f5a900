#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// Turns a URL into its result. Each worker thread owns one, so it need not be thread-safe.
class url_processor {
 public:
  url_processor() = default;
  virtual ~url_processor() = default;
  url_processor(const url_processor&) = delete;
  url_processor& operator=(const url_processor&) = delete;
  url_processor(url_processor&&) = delete;
  url_processor& operator=(url_processor&&) = delete;

  /// The words of url's page, or why there are none.
  virtual page_result process(const std::string& url) = 0;
};

/// Makes one processor per worker thread. cancel turns true when running work must stop
/// (the shutdown grace period is over); it outlives every processor.
using processor_factory =
    std::function<std::unique_ptr<url_processor>(const std::atomic<bool>& cancel)>;

}  // namespace wordcrawl
