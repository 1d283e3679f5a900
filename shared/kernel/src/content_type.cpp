// Content-Type classification and, for bodies sent without one, the text-or-binary and
// HTML sniffing of the WHATWG MIME Sniffing standard.

#include <algorithm>
#include <array>
#include <cstddef>
#include <string_view>

#include "wordcrawl/page_analyzer.hpp"

namespace wordcrawl {
namespace {

bool is_http_whitespace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

char to_ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool starts_with_nocase(std::string_view text, std::string_view lower_prefix) {
  if (text.size() < lower_prefix.size()) {
    return false;
  }
  for (std::size_t i = 0; i < lower_prefix.size(); ++i) {
    if (to_ascii_lower(text[i]) != lower_prefix[i]) {
      return false;
    }
  }
  return true;
}

bool equals_nocase(std::string_view text, std::string_view lower) {
  return text.size() == lower.size() && starts_with_nocase(text, lower);
}

// Control bytes that never occur in text (MIME Sniffing "binary data byte"): everything below
// 0x20 except TAB, LF, FF, CR and ESC.
bool is_binary_byte(unsigned char byte) {
  return byte <= 0x08 || byte == 0x0B || (byte >= 0x0E && byte <= 0x1A) ||
         (byte >= 0x1C && byte <= 0x1F);
}

// Openings the standard's "identify an unknown MIME type" step takes for HTML; each must be
// followed by a space or '>' (or other whitespace, which real pages use too).
constexpr std::array<std::string_view, 17> html_openings = {
    "<!doctype html", "<html", "<head",  "<script", "<iframe", "<h1",   "<div", "<font",
    "<table",         "<a",    "<style", "<title",  "<b",      "<body", "<br",  "<p",
    "<!--",
};

bool ends_tag_name(char c) {
  return c == '>' || c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

bool looks_like_html(std::string_view text) {
  return std::any_of(html_openings.begin(), html_openings.end(), [text](std::string_view opening) {
    // A comment needs nothing after "<!--".
    return starts_with_nocase(text, opening) &&
           (opening == "<!--" ||
            (text.size() > opening.size() && ends_tag_name(text[opening.size()])));
  });
}

}  // namespace

body_kind classify_content_type(std::string_view content_type) {
  auto essence = content_type.substr(0, content_type.find(';'));
  while (!essence.empty() && is_http_whitespace(essence.front())) {
    essence.remove_prefix(1);
  }
  while (!essence.empty() && is_http_whitespace(essence.back())) {
    essence.remove_suffix(1);
  }
  if (essence.empty()) {
    return body_kind::unknown;
  }
  if (equals_nocase(essence, "text/html") || equals_nocase(essence, "application/xhtml+xml")) {
    return body_kind::html;
  }
  if (equals_nocase(essence, "text/plain")) {
    return body_kind::plain_text;
  }
  return body_kind::unsupported;
}

body_kind sniff_body_kind(std::string_view first_bytes) {
  first_bytes = first_bytes.substr(0, sniff_bytes);
  // A byte-order mark makes it text, even UTF-16 with its NUL bytes.
  if (first_bytes.starts_with("\xFE\xFF") || first_bytes.starts_with("\xFF\xFE") ||
      first_bytes.starts_with("\xEF\xBB\xBF")) {
    return body_kind::plain_text;
  }
  for (const char c : first_bytes) {
    if (is_binary_byte(static_cast<unsigned char>(c))) {
      return body_kind::unsupported;
    }
  }
  auto text = first_bytes;
  while (!text.empty() && (is_http_whitespace(text.front()) || text.front() == '\f')) {
    text.remove_prefix(1);
  }
  return looks_like_html(text) ? body_kind::html : body_kind::plain_text;
}

}  // namespace wordcrawl
