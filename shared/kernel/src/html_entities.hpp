#pragma once

// HTML5 character references: the WHATWG named table (generated at build time) and the
// rules for numeric references.

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace wordcrawl::html_entities {

/// The names of the table that start with the characters after '&' read so far: entries
/// [first, last) of the sorted table. Empty when first == last.
struct names {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  bool empty() const { return first == last; }
};

/// Every name: what an '&' followed by nothing yet may still become.
names every_name();

/// Of candidates, which all start with the same `length` characters, those whose next
/// character is c. One character is compared per step, so that reading a reference of n
/// characters costs n narrow searches, not n searches over whole names.
names narrow(names candidates, std::size_t length, char c);

/// The replacement (UTF-8) of the candidate exactly `length` characters long, or empty when
/// none is: the candidates' common prefix is then no complete name.
std::string_view complete_value(names candidates, std::size_t length);

/// Longest name in the table, so callers can bound what they buffer.
std::size_t longest_name();

/// The code point a numeric reference &#value; stands for, as HTML5 maps it: 0, surrogates
/// and values above U+10FFFF become U+FFFD, 0x80-0x9F are read as windows-1252.
char32_t numeric_value(char32_t value);

}  // namespace wordcrawl::html_entities
