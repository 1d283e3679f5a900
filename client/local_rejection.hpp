#pragma once

#include <optional>
#include <string>

#include "url_source.hpp"

namespace wordcrawl {

/// Why a URL is answered by the client itself instead of being sent, or nullopt to send it.
/// The server would answer such a line under a different URL (cut, or with U+FFFD in place
/// of the bad bytes), so its reply could never be matched.
std::optional<std::string> local_rejection(const url_line& line);

}  // namespace wordcrawl
