#include "fetch/curl_share_state.hpp"

#include <stdexcept>
#include <string>

namespace wordcrawl {

curl_share_state::curl_share_state() : share_(curl_share_init()) {
  if (share_ == nullptr) {
    throw std::runtime_error("curl_share_init failed");
  }
  CURLSHcode rc = curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &curl_share_state::lock);
  if (rc == CURLSHE_OK) {
    rc = curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &curl_share_state::unlock);
  }
  if (rc == CURLSHE_OK) {
    rc = curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
  }
  if (rc == CURLSHE_OK) {
    rc = curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  }
  if (rc == CURLSHE_OK) {
    rc = curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
  if (rc != CURLSHE_OK) {
    curl_share_cleanup(share_);
    throw std::runtime_error(std::string("curl_share_setopt failed: ") + curl_share_strerror(rc));
  }
}

curl_share_state::~curl_share_state() {
  curl_share_cleanup(share_);
}

std::mutex& curl_share_state::mutex_for(curl_lock_data data) {
  const auto index = static_cast<std::size_t>(data);
  return mutexes_.at(index < mutexes_.size() ? index : 0);
}

// A plain mutex serves both shared and exclusive access: the critical sections are a hash
// lookup or a session copy, too short for a reader-writer lock to pay off.
void curl_share_state::lock(CURL* /*easy*/, curl_lock_data data, curl_lock_access /*access*/,
                            void* self) {
  static_cast<curl_share_state*>(self)->mutex_for(data).lock();
}

void curl_share_state::unlock(CURL* /*easy*/, curl_lock_data data, void* self) {
  static_cast<curl_share_state*>(self)->mutex_for(data).unlock();
}

}  // namespace wordcrawl
