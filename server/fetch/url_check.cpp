#include "fetch/url_check.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include <curl/curl.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>

namespace wordcrawl {
namespace {

struct url_deleter {
  void operator()(CURLU* handle) const { curl_url_cleanup(handle); }
};
using url_ptr = std::unique_ptr<CURLU, url_deleter>;

struct part_deleter {
  void operator()(char* part) const { curl_free(part); }
};
using part_ptr = std::unique_ptr<char, part_deleter>;

bool valid_utf8(std::string_view text) {
  if (text.size() > static_cast<std::size_t>(INT32_MAX)) {
    return false;
  }
  // Preflighting (no destination) still validates every byte; overflow is the expected result.
  UErrorCode status = U_ZERO_ERROR;
  int32_t length = 0;
  u_strFromUTF8(nullptr, 0, &length, text.data(), static_cast<int32_t>(text.size()), &status);
  return status == U_BUFFER_OVERFLOW_ERROR || U_SUCCESS(status) != 0;
}

// Reads one part of a parsed URL; empty if the part is absent.
std::string url_part(CURLU* handle, CURLUPart which) {
  char* raw = nullptr;
  if (curl_url_get(handle, which, &raw, 0) != CURLUE_OK) {
    return {};
  }
  const part_ptr part(raw);
  return part ? std::string(part.get()) : std::string();
}

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

std::optional<std::string> check_url(std::string_view url) {
  if (!valid_utf8(url)) {
    return "invalid UTF-8 in URL";
  }
  // curl parses a C string: an embedded NUL would silently cut the URL short.
  if (url.empty() || url.find('\0') != std::string_view::npos) {
    return "not a URL";
  }
  const url_ptr handle(curl_url());
  if (!handle) {
    return "out of memory";
  }
  const std::string text(url);
  const CURLUcode rc =
      curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) {
    return std::string("not a URL: ") + curl_url_strerror(rc);
  }
  const std::string scheme = lower(url_part(handle.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    return "unsupported scheme '" + scheme + "'";
  }
  if (url_part(handle.get(), CURLUPART_HOST).empty()) {
    return "not a URL: no host";
  }
  return std::nullopt;
}

std::string url_host(std::string_view url) {
  const url_ptr handle(curl_url());
  if (!handle) {
    return {};
  }
  const std::string text(url);
  if (curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
      CURLUE_OK) {
    return {};
  }
  return lower(url_part(handle.get(), CURLUPART_HOST));
}

}  // namespace wordcrawl
