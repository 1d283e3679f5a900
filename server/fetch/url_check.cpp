#include "fetch/url_check.hpp"

#include <memory>

#include <curl/curl.h>

#include "wordcrawl/ascii.hpp"
#include "wordcrawl/utf8.hpp"

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

// Reads one part of a parsed URL; empty if the part is absent.
std::string url_part(CURLU* handle, CURLUPart which) {
  char* raw = nullptr;
  if (curl_url_get(handle, which, &raw, 0) != CURLUE_OK) {
    return {};
  }
  const part_ptr part(raw);
  return part ? std::string(part.get()) : std::string();
}

}  // namespace

std::optional<page_error> check_url(std::string_view url) {
  const auto bad_request = [](std::string message) {
    return page_error{error_kind::bad_request, std::move(message)};
  };
  if (!utf8::is_valid_utf8(url)) {
    return bad_request("invalid UTF-8 in URL");
  }
  // curl parses a C string: an embedded NUL would silently cut the URL short.
  if (url.empty() || url.find('\0') != std::string_view::npos) {
    return bad_request("not a URL");
  }
  const url_ptr handle(curl_url());
  if (!handle) {
    return page_error{error_kind::internal, "out of memory"};
  }
  const std::string text(url);
  const CURLUcode rc =
      curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), CURLU_NON_SUPPORT_SCHEME);
  if (rc != CURLUE_OK) {
    return bad_request(std::string("not a URL: ") + curl_url_strerror(rc));
  }
  const std::string scheme = ascii::to_lower(url_part(handle.get(), CURLUPART_SCHEME));
  if (scheme != "http" && scheme != "https") {
    return page_error{error_kind::unsupported_scheme, "unsupported scheme '" + scheme + "'"};
  }
  if (url_part(handle.get(), CURLUPART_HOST).empty()) {
    return bad_request("not a URL: no host");
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
  return ascii::to_lower(url_part(handle.get(), CURLUPART_HOST));
}

std::optional<robots_location> robots_location_of(std::string_view url) {
  const url_ptr handle(curl_url());
  const std::string text(url);
  if (!handle || curl_url_set(handle.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return std::nullopt;
  }
  CURLU* parsed = handle.get();
  robots_location where;
  const std::string scheme = ascii::to_lower(url_part(parsed, CURLUPART_SCHEME));
  where.host = ascii::to_lower(url_part(parsed, CURLUPART_HOST));
  if ((scheme != "http" && scheme != "https") || where.host.empty()) {
    return std::nullopt;
  }
  char* raw_port = nullptr;
  if (curl_url_get(parsed, CURLUPART_PORT, &raw_port, CURLU_DEFAULT_PORT) != CURLUE_OK) {
    return std::nullopt;
  }
  const part_ptr port(raw_port);
  where.origin.append(scheme).append("://").append(where.host).append(":").append(port.get());
  where.robots_url.append(where.origin).append("/robots.txt");
  where.path_and_query = url_part(parsed, CURLUPART_PATH);
  if (where.path_and_query.empty()) {
    where.path_and_query.push_back('/');
  }
  if (const auto query = url_part(parsed, CURLUPART_QUERY); !query.empty()) {
    where.path_and_query.append("?").append(query);
  }
  return where;
}

}  // namespace wordcrawl
