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

}  // namespace wordcrawl
