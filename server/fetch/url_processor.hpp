#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "wordcrawl/page_result.hpp"
#include "wordcrawl/word_options.hpp"

namespace wordcrawl {

/// How one URL's answer is made, after the request's options and the server's defaults.
struct answer_settings {
  std::size_t k = 10;    // words in the answer
  word_options words{};  // stop words, stems, main content, language
};

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
  /// The same under a request's settings; a processor without options ignores them.
  virtual page_result process_with(const std::string& url, const answer_settings& settings) {
    static_cast<void>(settings);
    return process(url);
  }
};

/// Makes one processor per worker thread. cancel turns true when running work must stop
/// (the shutdown grace period is over); it outlives every processor.
using processor_factory =
    std::function<std::unique_ptr<url_processor>(const std::atomic<bool>& cancel)>;

}  // namespace wordcrawl
