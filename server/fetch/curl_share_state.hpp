#pragma once

// State every worker's fetcher shares: libcurl's DNS cache and TLS session cache (through one
// CURLSH with a mutex per locked data kind) and the per-host concurrency limit. Connections
// are deliberately not shared: libcurl does not support sharing them between threads that run
// transfers at the same time, and each worker keeps its own connections alive anyway.

#include <array>
#include <mutex>

#include <curl/curl.h>

namespace wordcrawl {

class curl_share_state {
 public:
  /// Creates the share handle; throws std::runtime_error if libcurl refuses.
  curl_share_state();
  ~curl_share_state();
  curl_share_state(const curl_share_state&) = delete;
  curl_share_state& operator=(const curl_share_state&) = delete;
  curl_share_state(curl_share_state&&) = delete;
  curl_share_state& operator=(curl_share_state&&) = delete;

  /// The handle to set as CURLOPT_SHARE on each easy handle.
  CURLSH* handle() const { return share_; }

 private:
  static void lock(CURL* easy, curl_lock_data data, curl_lock_access access, void* self);
  static void unlock(CURL* easy, curl_lock_data data, void* self);
  std::mutex& mutex_for(curl_lock_data data);

  CURLSH* share_ = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> mutexes_;
};

}  // namespace wordcrawl
