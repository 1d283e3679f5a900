#pragma once

// ASCII-only character tests, case folding and trimming, for the protocol-level names that the
// standards define in ASCII (header values, charset labels, tag names, URL schemes and hosts).
// None of them depends on the C locale: bytes >= 0x80 are never letters and never fold, so a
// Latin-1 or UTF-8 byte cannot compare equal to an ASCII one.

#include <cstddef>
#include <string>
#include <string_view>

namespace wordcrawl::ascii {

/// 'A'-'Z' and 'a'-'z'.
constexpr bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// c with 'A'-'Z' mapped to 'a'-'z'; every other byte unchanged.
constexpr char to_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

/// A copy of text with 'A'-'Z' mapped to 'a'-'z'.
inline std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = to_lower(c);
  }
  return out;
}

/// Whether text begins with prefix, ignoring ASCII case.
constexpr bool starts_with_nocase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (to_lower(text[i]) != to_lower(prefix[i])) {
      return false;
    }
  }
  return true;
}

/// Whether a and b are equal, ignoring ASCII case.
constexpr bool equals_nocase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && starts_with_nocase(a, b);
}

/// HTTP whitespace (Fetch): space, tab, CR and LF. Header values are trimmed of these.
constexpr bool is_http_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// ASCII whitespace (Infra, HTML): HTTP whitespace and form feed.
constexpr bool is_whitespace(char c) {
  return is_http_whitespace(c) || c == '\f';
}

/// text without the leading and trailing bytes for which is_space is true.
template <typename Predicate>
constexpr std::string_view trim_if(std::string_view text, Predicate is_space) {
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

/// text without leading and trailing HTTP whitespace.
constexpr std::string_view trim(std::string_view text) {
  return trim_if(text, is_http_whitespace);
}

}  // namespace wordcrawl::ascii
