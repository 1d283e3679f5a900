#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// Why url cannot be fetched (bad_request: "invalid UTF-8 in URL", "not a URL: ...";
/// unsupported_scheme: "unsupported scheme 'ftp'"), or nullopt if it is an absolute http or
/// https URL with a host. A URL without a scheme is rejected rather than guessed, so what is
/// checked is what is fetched.
std::optional<page_error> check_url(std::string_view url);

/// The lower-cased host of an absolute URL ("Example.COM" -> "example.com"), empty if none.
std::string url_host(std::string_view url);

/// Where the robots.txt that governs a URL is, and what it is asked about.
struct robots_location {
  std::string origin;          // "https://example.com:443": one robots.txt each
  std::string host;            // "example.com", as url_host() gives it
  std::string robots_url;      // "https://example.com:443/robots.txt"
  std::string path_and_query;  // "/a/b?c=d", percent-encoded as in the URL
};

/// The robots.txt location of an absolute http or https URL; nullopt if it has none.
std::optional<robots_location> robots_location_of(std::string_view url);

}  // namespace wordcrawl
