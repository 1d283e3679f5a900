// Content-Type classification and, for bodies sent without one, the text-or-binary and
// HTML sniffing of the WHATWG MIME Sniffing standard.

#include "wordcrawl/content_type.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "wordcrawl/ascii.hpp"
#include "wordcrawl/page_analyzer.hpp"

namespace wordcrawl {
namespace {

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
  return c == '>' || ascii::is_whitespace(c);
}

bool looks_like_html(std::string_view text) {
  // The standard sniffs "<?xml" as text/xml. A page that starts so is XHTML nearly always, and
  // reading it with the HTML rules keeps its markup out of the count.
  if (text.starts_with("<?xml")) {
    return true;
  }
  return std::any_of(html_openings.begin(), html_openings.end(), [text](std::string_view opening) {
    // A comment needs nothing after "<!--".
    return ascii::starts_with_nocase(text, opening) &&
           (opening == "<!--" ||
            (text.size() > opening.size() && ends_tag_name(text[opening.size()])));
  });
}

}  // namespace

std::string media_type(std::string_view content_type) {
  return ascii::to_lower(ascii::trim(content_type.substr(0, content_type.find(';'))));
}

std::string_view charset_parameter(std::string_view content_type) {
  auto semicolon = content_type.find(';');
  while (semicolon != std::string_view::npos) {
    content_type.remove_prefix(semicolon + 1);
    semicolon = content_type.find(';');
    const auto parameter = content_type.substr(0, semicolon);
    const auto equals = parameter.find('=');
    if (equals == std::string_view::npos ||
        !ascii::equals_nocase(ascii::trim(parameter.substr(0, equals)), "charset")) {
      continue;
    }
    auto value = ascii::trim(parameter.substr(equals + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return value;
  }
  return {};
}

body_kind classify_content_type(std::string_view content_type) {
  const std::string essence = media_type(content_type);
  if (essence.empty()) {
    return body_kind::unknown;
  }
  if (essence == "text/html" || essence == "application/xhtml+xml") {
    return body_kind::html;
  }
  if (essence == "text/plain") {
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
  while (!text.empty() && ascii::is_whitespace(text.front())) {
    text.remove_prefix(1);
  }
  return looks_like_html(text) ? body_kind::html : body_kind::plain_text;
}

}  // namespace wordcrawl
