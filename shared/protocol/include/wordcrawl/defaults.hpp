#pragma once

#include <cstddef>
#include <cstdint>

namespace wordcrawl {

/// TCP port the server listens on and the client connects to unless told otherwise.
inline constexpr std::uint16_t default_port = 7070;

/// Longest URL line, terminator excluded, either side accepts.
inline constexpr std::size_t max_line_bytes = std::size_t{8} * 1024;

/// Version string reported by --version and the User-Agent.
inline constexpr const char* version = WORDCRAWL_VERSION;

}  // namespace wordcrawl
