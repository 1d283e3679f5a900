#include "whatwg_prescan.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "whatwg_labels.hpp"
#include "wordcrawl/ascii.hpp"

namespace wordcrawl::whatwg {
namespace {

bool is_space_or_slash(char c) {
  return ascii::is_whitespace(c) || c == '/';
}

struct attribute {
  std::string name;
  std::string value;
};

// Running out of bytes anywhere makes the scan end with nullopt: the caller then waits for more
// bytes, or gives up once it has the first 1024.
class scanner {
 public:
  explicit scanner(std::string_view bytes) : bytes_(bytes) {}

  std::optional<std::string_view> run();

 private:
  bool at_end() const { return pos_ >= bytes_.size(); }
  char peek() const { return bytes_[pos_]; }
  std::string_view rest() const { return bytes_.substr(pos_); }

  bool skip_past(std::string_view terminator, std::size_t from);
  std::optional<std::optional<std::string_view>> meta_tag();
  bool other_tag();
  // Returns false at the end of the bytes; sets found to whether an attribute was read.
  bool get_attribute(attribute& out, bool& found);
  bool attribute_value(attribute& out);

  std::string_view bytes_;
  std::size_t pos_ = 0;
};

std::optional<std::string_view> scanner::run() {
  while (!at_end()) {
    const auto here = rest();
    if (ascii::starts_with_nocase(here, "<!--")) {
      // The "-->" may share its dashes with the "<!--": "<!-->" is a whole comment.
      if (!skip_past("-->", pos_ + 2)) {
        return std::nullopt;
      }
    } else if (ascii::starts_with_nocase(here, "<meta") && here.size() > 5 &&
               is_space_or_slash(here[5])) {
      pos_ += 5;
      const auto result = meta_tag();
      if (!result) {
        return std::nullopt;
      }
      if (*result) {
        return *result;
      }
    } else if (here.size() >= 2 && here[0] == '<' &&
               (ascii::is_alpha(here[1]) ||
                (here[1] == '/' && here.size() >= 3 && ascii::is_alpha(here[2])))) {
      if (!other_tag()) {
        return std::nullopt;
      }
    } else if (here.size() >= 2 && here[0] == '<' &&
               (here[1] == '!' || here[1] == '/' || here[1] == '?')) {
      if (!skip_past(">", pos_ + 2)) {
        return std::nullopt;
      }
    } else if (here.size() < 6 && here[0] == '<') {
      return std::nullopt;  // too short to tell which kind of markup this starts
    } else {
      ++pos_;
    }
  }
  return std::nullopt;
}

bool scanner::skip_past(std::string_view terminator, std::size_t from) {
  const auto found = bytes_.find(terminator, from);
  if (found == std::string_view::npos) {
    return false;
  }
  pos_ = found + terminator.size();
  return true;
}

// The outer optional is empty when the bytes end inside the tag; the inner one holds the
// encoding the tag declares, if any.
std::optional<std::optional<std::string_view>> scanner::meta_tag() {
  std::vector<std::string> seen;
  bool got_pragma = false;
  std::optional<bool> need_pragma;
  std::string_view charset;
  for (;;) {
    attribute attr;
    bool found = false;
    if (!get_attribute(attr, found)) {
      return std::nullopt;
    }
    if (!found) {
      break;
    }
    if (std::find(seen.begin(), seen.end(), attr.name) != seen.end()) {
      continue;
    }
    seen.push_back(attr.name);
    if (attr.name == "http-equiv") {
      got_pragma = got_pragma || attr.value == "content-type";
    } else if (attr.name == "content") {
      const auto encoding = charset_from_meta_content(attr.value);
      if (!encoding.empty() && charset.empty()) {
        charset = encoding;
        need_pragma = true;
      }
    } else if (attr.name == "charset") {
      charset = encoding_for_label(attr.value);
      need_pragma = false;
    }
  }
  if (!need_pragma || (*need_pragma && !got_pragma) || charset.empty()) {
    return std::optional<std::string_view>{};
  }
  if (charset == "utf-16be" || charset == "utf-16le") {
    return std::optional<std::string_view>{"utf-8"};
  }
  if (charset == "x-user-defined") {
    return std::optional<std::string_view>{"windows-1252"};
  }
  return std::optional<std::string_view>{charset};
}

bool scanner::other_tag() {
  while (!at_end() && !ascii::is_whitespace(peek()) && peek() != '>') {
    ++pos_;
  }
  for (;;) {
    attribute attr;
    bool found = false;
    if (!get_attribute(attr, found)) {
      return false;
    }
    if (!found) {
      return true;
    }
  }
}

bool scanner::get_attribute(attribute& out, bool& found) {
  while (!at_end() && is_space_or_slash(peek())) {
    ++pos_;
  }
  if (at_end()) {
    return false;
  }
  if (peek() == '>') {
    ++pos_;
    found = false;
    return true;
  }
  found = true;
  for (; !at_end(); ++pos_) {
    const char c = peek();
    if (c == '=' && !out.name.empty()) {
      ++pos_;
      return attribute_value(out);
    }
    if (ascii::is_whitespace(c)) {
      while (!at_end() && ascii::is_whitespace(peek())) {
        ++pos_;
      }
      if (at_end()) {
        return false;
      }
      if (peek() != '=') {
        return true;
      }
      ++pos_;
      return attribute_value(out);
    }
    if (c == '/' || c == '>') {
      return true;
    }
    out.name.push_back(ascii::to_lower(c));
  }
  return false;
}

bool scanner::attribute_value(attribute& out) {
  while (!at_end() && ascii::is_whitespace(peek())) {
    ++pos_;
  }
  if (at_end()) {
    return false;
  }
  const char first = peek();
  if (first == '"' || first == '\'') {
    const auto close = bytes_.find(first, pos_ + 1);
    if (close == std::string_view::npos) {
      return false;
    }
    for (const char c : bytes_.substr(pos_ + 1, close - pos_ - 1)) {
      out.value.push_back(ascii::to_lower(c));
    }
    pos_ = close + 1;
    return true;
  }
  if (first == '>') {
    return true;
  }
  for (; !at_end(); ++pos_) {
    const char c = peek();
    if (ascii::is_whitespace(c) || c == '>') {
      return true;
    }
    out.value.push_back(ascii::to_lower(c));
  }
  return false;
}

}  // namespace

std::optional<std::string_view> prescan_meta(std::string_view head) {
  return scanner(head.substr(0, std::min(head.size(), prescan_limit))).run();
}

std::string_view charset_from_meta_content(std::string_view content) {
  std::size_t pos = 0;
  for (;;) {
    std::size_t found = std::string_view::npos;
    for (std::size_t i = pos; i + 7 <= content.size(); ++i) {
      if (ascii::starts_with_nocase(content.substr(i), "charset")) {
        found = i;
        break;
      }
    }
    if (found == std::string_view::npos) {
      return {};
    }
    pos = found + 7;
    while (pos < content.size() && ascii::is_whitespace(content[pos])) {
      ++pos;
    }
    if (pos < content.size() && content[pos] == '=') {
      break;
    }
  }
  ++pos;
  while (pos < content.size() && ascii::is_whitespace(content[pos])) {
    ++pos;
  }
  if (pos == content.size()) {
    return {};
  }
  const char first = content[pos];
  if (first == '"' || first == '\'') {
    const auto close = content.find(first, pos + 1);
    if (close == std::string_view::npos) {
      return {};
    }
    return encoding_for_label(content.substr(pos + 1, close - pos - 1));
  }
  auto end = pos;
  while (end < content.size() && !ascii::is_whitespace(content[end]) && content[end] != ';') {
    ++end;
  }
  return encoding_for_label(content.substr(pos, end - pos));
}

}  // namespace wordcrawl::whatwg
