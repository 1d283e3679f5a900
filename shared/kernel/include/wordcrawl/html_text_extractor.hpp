#pragma once

// Streaming extraction of the visible text of an HTML document, following the HTML5
// tokenizer: text nodes (title included), character references decoded, nothing from
// script, style, template or noscript, nor from comments, doctypes or attribute values.
// Every tag ends a word. The document arrives in chunks of any size and the output does not
// depend on where they are cut; between chunks only a few bytes of state are kept (a tag name
// prefix, a partial character reference of at most 32 characters).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wordcrawl/text_sink.hpp"

namespace wordcrawl {

class html_text_extractor {
 public:
  /// Forgets any unfinished document and starts a new one.
  void reset();

  /// Extracts the text of the next chunk (UTF-8) of the document into sink.
  void feed(std::string_view chunk, text_sink& sink);

  /// Ends the document: flushes text an unfinished construct was holding, then a boundary.
  void finish(text_sink& sink);

 private:
  // HTML5 tokenizer states (section 13.2.5), merged where the difference cannot change text.
  enum class state : std::uint8_t {
    data,
    rcdata,
    rawtext,
    plaintext,
    script,
    tag_open,
    end_tag_open,
    tag_name,
    before_attribute_name,
    attribute_name,
    after_attribute_name,
    before_attribute_value,
    attribute_value_double,
    attribute_value_single,
    attribute_value_unquoted,
    after_attribute_value,
    self_closing,
    markup_open,
    markup_dash,
    bogus_comment,
    comment_start,
    comment_start_dash,
    comment,
    comment_end_dash,
    comment_end,
    comment_end_bang,
    raw_less_than,
    raw_end_open,
    raw_end_name,
    script_less_than,
    script_end_open,
    script_end_name,
    script_escape_start,
    script_escape_start_dash,
    script_escaped,
    script_escaped_dash,
    script_escaped_dash_dash,
    script_escaped_less_than,
    script_escaped_end_open,
    script_escaped_end_name,
    script_double_escape_start,
    script_double_escaped,
    script_double_escaped_dash,
    script_double_escaped_dash_dash,
    script_double_escaped_less_than,
    script_double_escape_end,
    reference,
    named_reference,
    numeric_reference,
    hex_start,
    decimal_start,
    hex,
    decimal
  };

  // Start tags that change how the following characters are tokenized or whether they count.
  enum class element : std::uint8_t {
    other,
    script,
    style,
    noscript,
    xmp,
    iframe,
    noembed,
    noframes,
    title,
    textarea,
    plaintext,
    template_
  };

  struct cursor;

  static element element_named(std::string_view name);
  static std::string_view name_of(element kind);
  void scan_state(cursor& at);
  void scan_tag_state(cursor& at);
  const char* whole_tag(const char* p, const char* end);
  bool char_state(cursor& at, char c);
  bool tag_states(cursor& at, char c);
  bool attribute_states(cursor& at, char c);
  bool comment_states(cursor& at, char c);
  bool raw_states(cursor& at, char c);
  bool script_states(cursor& at, char c);
  bool escaped_script_states(cursor& at, char c);
  bool double_escaped_script_states(cursor& at, char c);
  bool end_tag_name(cursor& at, char c);
  bool double_escape_name(char c, state matched, state otherwise);
  bool reference_states(cursor& at, char c);
  bool named_reference(cursor& at, char c);
  void resolve_named_reference(cursor& at);
  void finish_numeric_reference(cursor& at);
  void flush_numeric_start(cursor& at);
  void start_tag_name(bool end_tag);
  void emit_tag(cursor& at);
  void text_out(cursor& at, std::string_view text) const;
  bool raw_text_counts() const;

  state state_ = state::data;
  state return_state_ = state::data;      // where a reference or a rejected end tag returns
  element raw_element_ = element::other;  // the element whose raw text or RCDATA we are in
  bool end_tag_ = false;
  bool name_overflow_ = false;
  std::size_t name_length_ = 0;
  std::array<char, 16> name_{};  // tag name prefix; longer names are never special
  std::size_t template_depth_ = 0;
  std::size_t reference_length_ = 0;  // characters after '&' held back
  std::size_t reference_match_ = 0;   // length of the longest complete name among them
  std::string_view reference_value_;  // its replacement
  std::array<char, 40> reference_{};
  char32_t numeric_ = 0;
};

}  // namespace wordcrawl
