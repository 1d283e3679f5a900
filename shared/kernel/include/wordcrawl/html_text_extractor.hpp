#pragma once

// Streaming extraction of the visible text of an HTML document, following the HTML5
// tokenizer: text nodes (title included), character references decoded, nothing from
// script, style, template or noscript, nor from comments, doctypes or attribute values.
// Every tag ends a word. The document arrives in chunks of any size and the output does not
// depend on where they are cut; between chunks only a few bytes of state are kept (a tag name
// prefix, a partial character reference of at most 32 characters, and of the only attribute
// values read, at most 35 bytes of the lang of <html> and, in main-content mode, one 16-byte
// token of a role; plus, in that mode, a stack of at most 512 small integers for the open
// elements). Character references in those values are decoded as HTML5 decodes them in
// attributes (a legacy name followed by '=' or an alphanumeric stays as written).
//
// Main-content mode (content_scope::main) also drops the text of <nav>, <header>, <footer>,
// <aside> and of elements whose role is navigation, banner, contentinfo or complementary
// (ASCII case-insensitive; of a space-separated list the first token that is an ARIA role
// counts, as ARIA says; role on <html>, <head> and <body> is ignored). Where these elements
// end follows the HTML5 tree builder (shared/kernel/src/open_elements.hpp says how far).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/text_sink.hpp"

namespace wordcrawl {

/// Which text of an HTML document counts: all of it, or its main content (no navigation,
/// banners, footers, asides).
enum class content_scope : std::uint8_t { all, main };

class html_text_extractor {
 public:
  /// Forgets any unfinished document and starts a new one, extracting the given scope.
  void reset(content_scope scope = content_scope::all);

  /// The lang attribute of the document's <html> element as an HTML5 parser sees it (the
  /// first <html> start tag that has one): character references decoded, ASCII whitespace
  /// trimmed, ASCII lowercased, cut to at most 35 bytes (at a UTF-8 boundary); "" if none.
  /// Still there after finish(), until the next document starts.
  [[nodiscard]] const std::string& declared_lang() const;

  /// Extracts the text of the next chunk (UTF-8) of the document into sink.
  void feed(std::string_view chunk, text_sink& sink);

  /// Ends the document: flushes text an unfinished construct was holding, then a boundary.
  /// The next document fed is read with the same scope.
  void finish(text_sink& sink);

  /// Longest declared_lang(), in bytes.
  static constexpr std::size_t max_lang = 35;

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

  // The attribute whose value is being captured.
  enum class attribute : std::uint8_t { none, role, lang };

  // What the role attribute of the current start tag says so far.
  enum class role_verdict : std::uint8_t { undecided, hides, shows };

  struct cursor;

  static element element_named(std::string_view name);
  static std::string_view name_of(element kind);
  void scan_state(cursor& at);
  void scan_tag_state(cursor& at);
  const char* whole_tag(const char* p, const char* end);
  template <bool Capture>
  const char* whole_tag_attributes(const char* p, const char* end);
  bool wants_attributes() const;
  void begin_attribute();
  void append_attribute_name(const char* p, const char* end);
  void end_attribute_name();
  bool capture_plain_value(const char* p, const char* end);
  void capture_value(std::string_view text);
  void capture_quoted_value(cursor& at, char quote);
  void capture_unquoted_value(cursor& at);
  void end_role_token();
  void end_tag_capture();
  void track_element();
  void reference_out(cursor& at, std::string_view text);
  bool in_attribute_value() const;
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
  void resolve_named_reference(cursor& at, int next);
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
  // The entries of the named-reference table that start with reference_ (first, last).
  std::uint32_t reference_first_ = 0;
  std::uint32_t reference_last_ = 0;
  char32_t numeric_ = 0;

  content_scope scope_ = content_scope::all;
  bool finished_ = false;  // finish() came: the next feed() starts a new document
  // Attribute capture for the current tag (only when wants_attributes()).
  bool capture_ = false;
  attribute value_target_ = attribute::none;
  bool role_seen_ = false;
  bool lang_seen_ = false;
  bool attribute_overflow_ = false;
  std::size_t attribute_length_ = 0;
  std::array<char, 4> attribute_name_{};  // "role" and "lang" are four letters
  role_verdict role_ = role_verdict::undecided;
  bool role_overflow_ = false;
  std::size_t role_length_ = 0;
  std::array<char, 16> role_token_{};  // the longest ARIA role has 16 letters
  bool lang_cut_ = false;
  std::size_t lang_length_ = 0;
  std::array<char, max_lang> lang_{};
  bool lang_declared_ = false;
  std::string declared_lang_;
  // Main-content mode: the open elements (open_elements.hpp) and how many hide their text.
  std::vector<std::uint16_t> open_;
  std::size_t hidden_count_ = 0;
  bool raw_hidden_ = false;  // a raw text or RCDATA element with a landmark role is open
};

}  // namespace wordcrawl
