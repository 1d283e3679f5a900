#pragma once

// HTML5 character references: the WHATWG named table (generated at build time) and the
// rules for numeric references.

#include <string_view>

namespace wordcrawl::html_entities {

/// Result of looking up a partial reference name such as "not" or "notin;".
struct lookup_result {
  /// Some name in the table starts with the looked-up text.
  bool is_prefix = false;
  /// The text is a complete name: its replacement (UTF-8), else empty.
  std::string_view value;
};

/// Looks up name (the characters after '&', ';' included if typed).
lookup_result lookup(std::string_view name);

/// Longest name in the table, so callers can bound what they buffer.
std::size_t longest_name();

/// The code point a numeric reference &#value; stands for, as HTML5 maps it: 0, surrogates
/// and values above U+10FFFF become U+FFFD, 0x80-0x9F are read as windows-1252.
char32_t numeric_value(char32_t value);

}  // namespace wordcrawl::html_entities
