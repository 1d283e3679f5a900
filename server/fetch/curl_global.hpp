#pragma once

namespace wordcrawl {

/// libcurl's process-wide state: curl_global_init on construction, curl_global_cleanup on
/// destruction. Construct one in main before any thread starts and destroy it after every
/// easy handle is gone; libcurl counts nested instances, so tests may create their own.
class curl_global {
 public:
  /// Initialises libcurl; throws std::runtime_error if it cannot.
  curl_global();
  ~curl_global();
  curl_global(const curl_global&) = delete;
  curl_global& operator=(const curl_global&) = delete;
  curl_global(curl_global&&) = delete;
  curl_global& operator=(curl_global&&) = delete;
};

}  // namespace wordcrawl
