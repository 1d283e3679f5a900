#include "fetch/curl_global.hpp"

#include <stdexcept>
#include <string>

#include <curl/curl.h>

namespace wordcrawl {

curl_global::curl_global() {
  const CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (rc != CURLE_OK) {
    throw std::runtime_error(std::string("curl_global_init failed: ") + curl_easy_strerror(rc));
  }
}

curl_global::~curl_global() {
  curl_global_cleanup();
}

}  // namespace wordcrawl
