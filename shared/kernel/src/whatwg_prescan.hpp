#pragma once

// The HTML standard's "prescan a byte stream to determine its encoding": finds a
// <meta charset> or <meta http-equiv="Content-Type" content="...; charset=..."> declaration,
// skipping comments and other tags the way a browser's prescan does.

#include <cstddef>
#include <optional>
#include <string_view>

namespace wordcrawl::whatwg {

/// The first 1024 bytes of a body are all the prescan looks at.
inline constexpr std::size_t prescan_limit = 1024;

/// Encoding declared by a <meta> in head (only its first prescan_limit bytes are read), or
/// nullopt if the bytes end first. A declared utf-16 means utf-8 and x-user-defined means
/// windows-1252, as the standard says. A result found in a prefix of a body is final.
std::optional<std::string_view> prescan_meta(std::string_view head);

/// Encoding named by "charset=" in a meta content attribute ("extracting a character encoding
/// from a meta element"), or empty.
std::string_view charset_from_meta_content(std::string_view content);

}  // namespace wordcrawl::whatwg
