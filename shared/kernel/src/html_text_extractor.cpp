#include "wordcrawl/html_text_extractor.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

#include "html_entities.hpp"
#include "kernel_isa.hpp"
#include "open_elements.hpp"
#include "wordcrawl/ascii.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

char32_t hex_value(char c) {
  if (is_digit(c)) {
    return static_cast<char32_t>(c - '0');
  }
  return static_cast<char32_t>(ascii::to_lower(c) - 'a' + 10);
}

// Byte classes for the scanning loops: which bytes end a span in each scanning state.
enum stop : std::uint8_t {
  stop_data = 1U << 0U,            // '<' '&' NUL
  stop_raw = 1U << 1U,             // '<' NUL
  stop_space = 1U << 2U,           // HTML whitespace
  stop_tag_name = 1U << 3U,        // whitespace '/' '>'
  stop_attribute_name = 1U << 4U,  // whitespace '/' '>' '='
  stop_unquoted = 1U << 5U,        // whitespace '>'
};

constexpr std::array<std::uint8_t, 256> make_stops() {
  std::array<std::uint8_t, 256> t{};
  for (const unsigned c : {0x3CU, 0x26U, 0x00U}) {  // '<' '&' NUL
    t.at(c) |= stop_data;
  }
  for (const unsigned c : {0x3CU, 0x00U}) {
    t.at(c) |= stop_raw;
  }
  // HTML whitespace, as ascii::is_whitespace in the tokenizer: CR counts too because input
  // preprocessing turns it into LF.
  for (const unsigned c : {0x20U, 0x09U, 0x0AU, 0x0CU, 0x0DU}) {  // space tab LF FF CR
    t.at(c) |= stop_space | stop_tag_name | stop_attribute_name | stop_unquoted;
  }
  t.at('/') |= stop_tag_name | stop_attribute_name;
  t.at('>') |= stop_tag_name | stop_attribute_name | stop_unquoted;
  t.at('=') |= stop_attribute_name;
  return t;
}

constexpr std::array<std::uint8_t, 256> stops = make_stops();

// The first byte at or after p that has one of the stop bits, or end.
const char* find_stop(const char* p, const char* end, std::uint8_t bits) {
  const std::uint8_t* table = stops.data();
  while (p < end && (table[static_cast<unsigned char>(*p)] & bits) == 0) {
    ++p;
  }
  return p;
}

// find_stop(p, end, stop_data) with vectors: text between tags is the longest stretch the
// extractor scans. The tail shorter than a vector goes through find_stop.
#if defined(__SSE2__)
const char* find_data_stop_sse2(const char* p, const char* end) {
  const __m128i less_than = _mm_set1_epi8('<');
  const __m128i ampersand = _mm_set1_epi8('&');
  const __m128i nul = _mm_setzero_si128();
  while (end - p >= 16) {
    __m128i block;
    std::memcpy(&block, p, sizeof block);
    const __m128i hits = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(block, less_than), _mm_cmpeq_epi8(block, ampersand)),
        _mm_cmpeq_epi8(block, nul));
    const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
    if (mask != 0) {
      return p + std::countr_zero(mask);
    }
    p += 16;
  }
  return find_stop(p, end, stop_data);
}

__attribute__((target("avx2"))) const char* find_data_stop_avx2(const char* p, const char* end) {
  const __m256i less_than = _mm256_set1_epi8('<');
  const __m256i ampersand = _mm256_set1_epi8('&');
  const __m256i nul = _mm256_setzero_si256();
  while (end - p >= 32) {
    __m256i block;
    std::memcpy(&block, p, sizeof block);
    const __m256i hits = _mm256_or_si256(
        _mm256_or_si256(_mm256_cmpeq_epi8(block, less_than), _mm256_cmpeq_epi8(block, ampersand)),
        _mm256_cmpeq_epi8(block, nul));
    const auto mask = static_cast<unsigned>(_mm256_movemask_epi8(hits));
    if (mask != 0) {
      return p + std::countr_zero(mask);
    }
    p += 32;
  }
  return find_data_stop_sse2(p, end);
}
#endif

const char* find_data_stop(const char* p, const char* end) {
#if defined(__SSE2__)
  switch (kernel_isa::active()) {
    case kernel_isa::level::avx2:
      return find_data_stop_avx2(p, end);
    case kernel_isa::level::sse2:
      return find_data_stop_sse2(p, end);
    default:
      break;
  }
#endif
  return find_stop(p, end, stop_data);
}

// A tag name shorter than 16 bytes, with 16 readable at p: lowercased into name (all 16
// bytes are written) and its end returned, with no loop whose exit would follow the name's
// length; nullptr when the name is longer or the bytes are not there (or without SSE2), for
// the byte loop to take it.
const char* short_tag_name(const char* p, const char* end, std::array<char, 16>& name) {
#if defined(__SSE2__)
  if (end - p < 16 || kernel_isa::active() == kernel_isa::level::portable) {
    return nullptr;
  }
  __m128i x;
  std::memcpy(&x, p, sizeof x);
  // stop_tag_name: HTML whitespace, '/' and '>'.
  const auto is = [x](char c) {
    return _mm_cmpeq_epi8(x, _mm_set1_epi8(c));
  };
  const __m128i hits =
      _mm_or_si128(_mm_or_si128(_mm_or_si128(is(' '), is('\t')), _mm_or_si128(is('\n'), is('\f'))),
                   _mm_or_si128(_mm_or_si128(is('\r'), is('/')), is('>')));
  const auto mask = static_cast<unsigned>(_mm_movemask_epi8(hits));
  if (mask == 0) {
    return nullptr;
  }
  // 'A'..'Z' (signed compares: bytes >= 0x80 are below 'A') get 0x20.
  const __m128i upper = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('A' - 1)),
                                      _mm_cmpgt_epi8(_mm_set1_epi8('Z' + 1), x));
  const __m128i lower = _mm_or_si128(x, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
  std::memcpy(name.data(), &lower, sizeof lower);
  return p + std::countr_zero(mask);
#else
  static_cast<void>(p);
  static_cast<void>(end);
  static_cast<void>(name);
  return nullptr;
#endif
}

// The first byte at or after p that is not HTML whitespace, or end.
const char* skip_spaces(const char* p, const char* end) {
  const std::uint8_t* table = stops.data();
  while (p < end && (table[static_cast<unsigned char>(*p)] & stop_space) != 0) {
    ++p;
  }
  return p;
}

// The first c at or after p, or end (memchr underneath).
const char* find_byte(const char* p, const char* end, char c) {
  const char* found = std::char_traits<char>::find(p, static_cast<std::size_t>(end - p), c);
  return found != nullptr ? found : end;
}

// Values above this are all invalid alike; clamping keeps the accumulator from overflowing.
constexpr char32_t numeric_clamp = 0x110000;

// The concrete roles of WAI-ARIA 1.2 (abstract roles are no roles to fall back on), and the
// landmarks whose content is no main content.
constexpr std::array<std::string_view, 82> aria_roles{
    "alert",         "alertdialog",   "application",  "article",
    "banner",        "blockquote",    "button",       "caption",
    "cell",          "checkbox",      "code",         "columnheader",
    "combobox",      "complementary", "contentinfo",  "definition",
    "deletion",      "dialog",        "directory",    "document",
    "emphasis",      "feed",          "figure",       "form",
    "generic",       "grid",          "gridcell",     "group",
    "heading",       "img",           "insertion",    "link",
    "list",          "listbox",       "listitem",     "log",
    "main",          "marquee",       "math",         "meter",
    "menu",          "menubar",       "menuitem",     "menuitemcheckbox",
    "menuitemradio", "navigation",    "none",         "note",
    "option",        "paragraph",     "presentation", "progressbar",
    "radio",         "radiogroup",    "region",       "row",
    "rowgroup",      "rowheader",     "scrollbar",    "search",
    "searchbox",     "separator",     "slider",       "spinbutton",
    "status",        "strong",        "subscript",    "superscript",
    "switch",        "tab",           "table",        "tablist",
    "tabpanel",      "term",          "textbox",      "time",
    "timer",         "toolbar",       "tooltip",      "tree",
    "treegrid",      "treeitem"};

constexpr std::array<std::string_view, 4> hiding_roles{"navigation", "banner", "contentinfo",
                                                       "complementary"};

bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r';
}

// Drops a UTF-8 sequence the cut at max_lang left incomplete at the end of text.
std::size_t utf8_cut(const char* text, std::size_t length) {
  std::size_t lead = length;
  while (lead > 0 && (static_cast<unsigned char>(text[lead - 1]) & 0xC0U) == 0x80U) {
    --lead;
  }
  if (lead == 0) {
    return length;
  }
  const auto first = static_cast<unsigned char>(text[lead - 1]);
  const std::size_t needed = first >= 0xF0U ? 4 : first >= 0xE0U ? 3 : first >= 0xC0U ? 2 : 1;
  return length - (lead - 1) < needed ? lead - 1 : length;
}

}  // namespace

struct html_text_extractor::cursor {
  const char* p;
  const char* end;
  text_sink& sink;
};

html_text_extractor::element html_text_extractor::element_named(std::string_view name) {
  using candidate = std::pair<std::string_view, element>;
  // Grouped by length: most tags (p, a, div, span, li...) fall through without a comparison.
  static constexpr std::array<candidate, 2> three{{{"xmp", element::xmp}, {"", element::other}}};
  static constexpr std::array<candidate, 2> five{
      {{"style", element::style}, {"title", element::title}}};
  static constexpr std::array<candidate, 2> six{
      {{"script", element::script}, {"iframe", element::iframe}}};
  static constexpr std::array<candidate, 2> seven{
      {{"noembed", element::noembed}, {"", element::other}}};
  static constexpr std::array<candidate, 4> eight{{{"noscript", element::noscript},
                                                   {"noframes", element::noframes},
                                                   {"textarea", element::textarea},
                                                   {"template", element::template_}}};
  static constexpr std::array<candidate, 2> nine{
      {{"plaintext", element::plaintext}, {"", element::other}}};
  const auto match = [name](const auto& candidates) {
    for (const auto& [text, kind] : candidates) {
      if (text == name) {
        return kind;
      }
    }
    return element::other;
  };
  switch (name.size()) {
    case 3:
      return match(three);
    case 5:
      return match(five);
    case 6:
      return match(six);
    case 7:
      return match(seven);
    case 8:
      return match(eight);
    case 9:
      return match(nine);
    default:
      return element::other;
  }
}

std::string_view html_text_extractor::name_of(element kind) {
  switch (kind) {
    case element::script:
      return "script";
    case element::style:
      return "style";
    case element::noscript:
      return "noscript";
    case element::xmp:
      return "xmp";
    case element::iframe:
      return "iframe";
    case element::noembed:
      return "noembed";
    case element::noframes:
      return "noframes";
    case element::title:
      return "title";
    case element::textarea:
      return "textarea";
    default:
      return "";
  }
}

void html_text_extractor::reset(content_scope scope) {
  std::vector<std::uint16_t> open = std::move(open_);  // keeps its capacity across pages
  *this = html_text_extractor{};
  open.clear();
  open_ = std::move(open);
  scope_ = scope;
}

const std::string& html_text_extractor::declared_lang() const {
  return declared_lang_;
}

void html_text_extractor::feed(std::string_view chunk, text_sink& sink) {
  if (finished_) {
    finished_ = false;
    declared_lang_.clear();
  }
  cursor at{chunk.data(), chunk.data() + chunk.size(), sink};
  while (at.p < at.end) {
    switch (state_) {
      case state::data:
      case state::rcdata:
      case state::rawtext:
      case state::plaintext:
      case state::script:
      case state::comment:
      case state::bogus_comment:
      case state::attribute_value_double:
      case state::attribute_value_single:
        scan_state(at);
        break;
      case state::tag_name:
      case state::attribute_name:
      case state::attribute_value_unquoted:
        scan_tag_state(at);
        if (at.p < at.end && char_state(at, *at.p)) {
          ++at.p;
        }
        break;
      default:
        if (char_state(at, *at.p)) {
          ++at.p;
        }
        break;
    }
  }
}

// Text states and states that skip long stretches: consume whole spans, not single bytes.
void html_text_extractor::scan_state(cursor& at) {
  const char* start = at.p;
  switch (state_) {
    case state::data:
    case state::rcdata: {
      at.p = find_data_stop(at.p, at.end);
      text_out(at, {start, static_cast<std::size_t>(at.p - start)});
      if (at.p == at.end) {
        return;
      }
      const char c = *at.p++;
      if (c == '\0') {
        // The tree builder drops NUL in body text; RCDATA turns it into U+FFFD.
        if (state_ == state::rcdata) {
          text_out(at, utf8::replacement_character);
        }
      } else if (c == '&') {
        return_state_ = state_;
        state_ = state::reference;
      } else if (state_ == state::rcdata) {
        state_ = state::raw_less_than;
      } else if (const char* after = whole_tag(at.p, at.end); after != nullptr) {
        at.p = after;
        emit_tag(at);
      } else {
        state_ = state::tag_open;
      }
      return;
    }
    case state::rawtext:
    case state::plaintext: {
      const bool plain = state_ == state::plaintext;
      at.p = plain ? find_byte(at.p, at.end, '\0') : find_stop(at.p, at.end, stop_raw);
      if (raw_text_counts()) {
        text_out(at, {start, static_cast<std::size_t>(at.p - start)});
      }
      if (at.p == at.end) {
        return;
      }
      if (*at.p++ == '\0') {
        if (raw_text_counts()) {
          text_out(at, utf8::replacement_character);
        }
      } else {
        state_ = state::raw_less_than;
      }
      return;
    }
    case state::script:
      at.p = find_byte(at.p, at.end, '<');
      if (at.p < at.end) {
        ++at.p;
        state_ = state::script_less_than;
      }
      return;
    case state::comment:
      at.p = find_byte(at.p, at.end, '-');
      if (at.p < at.end) {
        ++at.p;
        state_ = state::comment_end_dash;
      }
      return;
    case state::bogus_comment:
      at.p = find_byte(at.p, at.end, '>');
      if (at.p < at.end) {
        ++at.p;
        at.sink.boundary();
        state_ = state::data;
      }
      return;
    default: {
      const char quote = state_ == state::attribute_value_double ? '"' : '\'';
      if (value_target_ != attribute::none) {
        capture_quoted_value(at, quote);
        return;
      }
      at.p = find_byte(at.p, at.end, quote);
      if (at.p < at.end) {
        ++at.p;
        state_ = state::after_attribute_value;
      }
      return;
    }
  }
}

// Fast path for a tag that lies wholly in the chunk: p is just past '<'. Walks the same
// states as the per-character machine (tag name, attributes, quoted and unquoted values,
// self-closing) in one loop and returns the position past '>', with the tag name recorded;
// nullptr if this is no start or end tag or the chunk ends first (the caller then falls back
// to the state machine, which gives the same result: the chunking tests compare both).
const char* html_text_extractor::whole_tag(const char* p, const char* end) {
  const bool end_tag = p < end && *p == '/';
  if (end_tag) {
    ++p;
  }
  if (p == end || !ascii::is_alpha(*p)) {
    return nullptr;
  }
  start_tag_name(end_tag);
  const char* name_end = short_tag_name(p, end, name_);
  if (name_end != nullptr) {
    name_length_ = static_cast<std::size_t>(name_end - p);
  } else {
    name_end = find_stop(p, end, stop_tag_name);
    name_length_ = std::min(name_.size(), static_cast<std::size_t>(name_end - p));
    std::transform(p, p + name_length_, name_.begin(), [](char c) { return ascii::to_lower(c); });
    name_overflow_ = name_end - p > static_cast<std::ptrdiff_t>(name_.size());
  }
  capture_ = wants_attributes();
  return capture_ ? whole_tag_attributes<true>(name_end, end)
                  : whole_tag_attributes<false>(name_end, end);
}

// The attributes part of whole_tag; with capture, the values of role and lang are read too
// (nullptr, for the state machine to decode them, if they hold a reference or NUL).
template <bool Capture>
const char* html_text_extractor::whole_tag_attributes(const char* p, const char* end) {
  while (true) {
    p = skip_spaces(p, end);
    if (p == end) {
      return nullptr;
    }
    if (*p == '>') {
      return p + 1;
    }
    if (*p == '/') {  // self-closing start tag state: anything but '>' is reconsumed
      ++p;
      continue;
    }
    const char* name = p;
    p = find_stop(p + 1, end, stop_attribute_name);  // the first character may be '='
    if constexpr (Capture) {
      begin_attribute();
      append_attribute_name(name, p);
      end_attribute_name();
    }
    p = skip_spaces(p, end);
    if (p == end) {
      return nullptr;
    }
    if (*p != '=') {
      continue;
    }
    p = skip_spaces(p + 1, end);
    if (p == end) {
      return nullptr;
    }
    const char* value = p;
    if (*p == '"' || *p == '\'') {
      p = find_byte(p + 1, end, *p);
      if (p == end) {
        return nullptr;
      }
      ++value;
      ++p;
      if constexpr (Capture) {
        if (!capture_plain_value(value, p - 1)) {
          return nullptr;
        }
      }
    } else if (*p != '>') {
      p = find_stop(p, end, stop_unquoted);
      if constexpr (Capture) {
        if (!capture_plain_value(value, p)) {
          return nullptr;
        }
      }
    }
  }
}

// Attribute values are read only where they matter: the lang of <html> (until one is
// found) and, in main-content mode, the role of any start tag.
// Without branches (& and |, not && and ||): start and end tags alternate with no pattern a
// predictor could learn.
bool html_text_extractor::wants_attributes() const {
  std::uint32_t first_four = 0;
  std::memcpy(&first_four, name_.data(), 4);
  std::uint32_t html = 0;
  std::memcpy(&html, "html", 4);
  const auto bit = [](bool b) {
    return static_cast<unsigned>(b);
  };
  const unsigned is_html = bit(!name_overflow_) & bit(name_length_ == 4) & bit(first_four == html);
  return (bit(!end_tag_) &
          (bit(scope_ == content_scope::main) | (bit(!lang_declared_) & is_html))) != 0;
}

void html_text_extractor::begin_attribute() {
  attribute_length_ = 0;
  attribute_overflow_ = false;
  value_target_ = attribute::none;
}

void html_text_extractor::append_attribute_name(const char* p, const char* end) {
  for (; p < end && attribute_length_ < attribute_name_.size(); ++p) {
    attribute_name_.at(attribute_length_++) = ascii::to_lower(*p);
  }
  attribute_overflow_ = attribute_overflow_ || p < end;
}

// The first attribute of a name counts (the tokenizer drops later duplicates).
void html_text_extractor::end_attribute_name() {
  value_target_ = attribute::none;
  if (attribute_overflow_ || attribute_length_ != attribute_name_.size()) {
    return;
  }
  const std::string_view name(attribute_name_.data(), attribute_name_.size());
  if (name == "role" && !role_seen_ && scope_ == content_scope::main) {
    role_seen_ = true;
    value_target_ = attribute::role;
  } else if (name == "lang" && !lang_seen_) {
    lang_seen_ = true;
    value_target_ = attribute::lang;
  }
}

// A value seen whole by the fast path: captured unless it needs decoding.
bool html_text_extractor::capture_plain_value(const char* p, const char* end) {
  if (value_target_ == attribute::none) {
    return true;
  }
  const auto length = static_cast<std::size_t>(end - p);
  if (std::char_traits<char>::find(p, length, '&') != nullptr ||
      std::char_traits<char>::find(p, length, '\0') != nullptr) {
    return false;
  }
  capture_value({p, length});
  return true;
}

void html_text_extractor::capture_value(std::string_view text) {
  if (value_target_ == attribute::lang) {
    for (const char c : text) {
      if (lang_length_ == 0 && is_html_space(c)) {
        continue;  // leading whitespace
      }
      if (lang_length_ == lang_.size()) {
        lang_cut_ = true;
        return;
      }
      lang_.at(lang_length_++) = ascii::to_lower(c);
    }
    return;
  }
  for (const char c : text) {
    if (role_ != role_verdict::undecided) {
      return;
    }
    if (is_html_space(c)) {
      end_role_token();
    } else if (role_length_ < role_token_.size()) {
      role_token_.at(role_length_++) = ascii::to_lower(c);
    } else {
      role_overflow_ = true;
    }
  }
}

// A token of the role list ends: the first one that is a role decides.
void html_text_extractor::end_role_token() {
  const std::string_view token(role_token_.data(), role_length_);
  if (role_length_ > 0 && !role_overflow_ && role_ == role_verdict::undecided &&
      std::find(aria_roles.begin(), aria_roles.end(), token) != aria_roles.end()) {
    const bool hides =
        std::find(hiding_roles.begin(), hiding_roles.end(), token) != hiding_roles.end();
    role_ = hides ? role_verdict::hides : role_verdict::shows;
  }
  role_length_ = 0;
  role_overflow_ = false;
}

// A quoted value being captured: up to the quote, decoding references.
void html_text_extractor::capture_quoted_value(cursor& at, char quote) {
  const char* stop = at.p;
  while (stop < at.end && *stop != quote && *stop != '&' && *stop != '\0') {
    ++stop;
  }
  capture_value({at.p, static_cast<std::size_t>(stop - at.p)});
  at.p = stop;
  if (at.p == at.end) {
    return;
  }
  const char c = *at.p++;
  if (c == quote) {
    state_ = state::after_attribute_value;
  } else if (c == '&') {
    return_state_ = state_;
    state_ = state::reference;
  } else {
    capture_value(utf8::replacement_character);
  }
}

// An unquoted value being captured: whitespace and '>' are left to the state machine.
void html_text_extractor::capture_unquoted_value(cursor& at) {
  while (at.p < at.end) {
    const char* stop = find_stop(at.p, at.end, stop_unquoted);
    const char* special = std::find_if(at.p, stop, [](char c) { return c == '&' || c == '\0'; });
    capture_value({at.p, static_cast<std::size_t>(special - at.p)});
    at.p = special;
    if (special == stop) {
      return;
    }
    if (*at.p++ == '&') {
      return_state_ = state_;
      state_ = state::reference;
      return;
    }
    capture_value(utf8::replacement_character);
  }
}

bool html_text_extractor::in_attribute_value() const {
  return return_state_ == state::attribute_value_double ||
         return_state_ == state::attribute_value_single ||
         return_state_ == state::attribute_value_unquoted;
}

// Decoded references go to the text, or to the attribute value they stand in.
void html_text_extractor::reference_out(cursor& at, std::string_view text) {
  if (in_attribute_value()) {
    capture_value(text);
  } else {
    text_out(at, text);
  }
}

// Inside a tag: consumes the characters that do not change the state, stopping at one that
// may (which the caller hands to char_state).
void html_text_extractor::scan_tag_state(cursor& at) {
  if (state_ == state::tag_name) {
    const char* stop = find_stop(at.p, at.end, stop_tag_name);
    for (; at.p < stop && name_length_ < name_.size(); ++at.p) {
      name_.at(name_length_++) = ascii::to_lower(*at.p);
    }
    name_overflow_ = name_overflow_ || at.p < stop;
    at.p = stop;
    return;
  }
  if (state_ == state::attribute_value_unquoted) {
    if (value_target_ != attribute::none) {
      capture_unquoted_value(at);
      return;
    }
    at.p = find_stop(at.p, at.end, stop_unquoted);
    return;
  }
  const char* stop = find_stop(at.p, at.end, stop_attribute_name);
  if (capture_) {
    append_attribute_name(at.p, stop);
  }
  at.p = stop;
}

// One character in a state that needs per-character decisions; false means "reconsume".
bool html_text_extractor::char_state(cursor& at, char c) {
  switch (state_) {
    case state::tag_open:
    case state::end_tag_open:
    case state::tag_name:
      return tag_states(at, c);
    case state::before_attribute_name:
    case state::attribute_name:
    case state::after_attribute_name:
    case state::before_attribute_value:
    case state::attribute_value_unquoted:
    case state::after_attribute_value:
    case state::self_closing:
      return attribute_states(at, c);
    case state::markup_open:
    case state::markup_dash:
    case state::comment_start:
    case state::comment_start_dash:
    case state::comment_end_dash:
    case state::comment_end:
    case state::comment_end_bang:
      return comment_states(at, c);
    case state::raw_less_than:
    case state::raw_end_open:
    case state::raw_end_name:
      return raw_states(at, c);
    case state::reference:
    case state::named_reference:
    case state::numeric_reference:
    case state::hex_start:
    case state::decimal_start:
    case state::hex:
    case state::decimal:
      return reference_states(at, c);
    default:
      return script_states(at, c);
  }
}

void html_text_extractor::start_tag_name(bool end_tag) {
  end_tag_ = end_tag;
  name_length_ = 0;
  name_overflow_ = false;
  state_ = state::tag_name;
  capture_ = false;
  value_target_ = attribute::none;
  role_seen_ = false;
  lang_seen_ = false;
  role_ = role_verdict::undecided;
  role_length_ = 0;
  role_overflow_ = false;
  lang_length_ = 0;
  lang_cut_ = false;
}

bool html_text_extractor::tag_states(cursor& at, char c) {
  switch (state_) {
    case state::tag_open:
      if (c == '!') {
        state_ = state::markup_open;
      } else if (c == '/') {
        state_ = state::end_tag_open;
      } else if (ascii::is_alpha(c)) {
        start_tag_name(false);
        return false;
      } else if (c == '?') {
        state_ = state::bogus_comment;
        return false;
      } else {
        text_out(at, "<");
        state_ = state::data;
        return false;
      }
      return true;
    case state::end_tag_open:
      if (ascii::is_alpha(c)) {
        start_tag_name(true);
        return false;
      }
      // "</>" is no token at all: the text on both sides stays one text node.
      state_ = c == '>' ? state::data : state::bogus_comment;
      return c == '>';
    default:  // tag_name
      if (ascii::is_whitespace(c) || c == '/') {
        capture_ = wants_attributes();
        state_ = c == '/' ? state::self_closing : state::before_attribute_name;
      } else if (c == '>') {
        emit_tag(at);
      } else if (name_length_ < name_.size()) {
        name_.at(name_length_++) = ascii::to_lower(c);
      } else {
        name_overflow_ = true;
      }
      return true;
  }
}

bool html_text_extractor::attribute_states(cursor& at, char c) {
  switch (state_) {
    case state::before_attribute_name:
      if (ascii::is_whitespace(c)) {
        return true;
      }
      state_ = (c == '/' || c == '>') ? state::after_attribute_name : state::attribute_name;
      if (capture_ && state_ == state::attribute_name) {
        begin_attribute();
        if (c == '=') {
          append_attribute_name(&c, &c + 1);
        }
      }
      return c == '=';  // a leading '=' is part of the name
    case state::attribute_name:
      if (ascii::is_whitespace(c) || c == '/' || c == '>' || c == '=') {
        if (capture_) {
          end_attribute_name();
        }
        state_ = c == '=' ? state::before_attribute_value : state::after_attribute_name;
        return c == '=';
      }
      return true;
    case state::after_attribute_name:
      if (ascii::is_whitespace(c)) {
        return true;
      }
      if (c == '/') {
        state_ = state::self_closing;
      } else if (c == '=') {
        state_ = state::before_attribute_value;
      } else if (c == '>') {
        emit_tag(at);
      } else {
        if (capture_) {
          begin_attribute();
        }
        state_ = state::attribute_name;
        return false;
      }
      return true;
    case state::before_attribute_value:
      if (ascii::is_whitespace(c)) {
        return true;
      }
      if (c == '"') {
        state_ = state::attribute_value_double;
      } else if (c == '\'') {
        state_ = state::attribute_value_single;
      } else if (c == '>') {
        emit_tag(at);
      } else {
        state_ = state::attribute_value_unquoted;
        return false;
      }
      return true;
    case state::attribute_value_unquoted:
      if (ascii::is_whitespace(c)) {
        state_ = state::before_attribute_name;
      } else if (c == '>') {
        emit_tag(at);
      }
      return true;
    case state::after_attribute_value:
      if (ascii::is_whitespace(c)) {
        state_ = state::before_attribute_name;
      } else if (c == '/') {
        state_ = state::self_closing;
      } else if (c == '>') {
        emit_tag(at);
      } else {
        state_ = state::before_attribute_name;
        return false;
      }
      return true;
    default:  // self_closing
      if (c == '>') {
        emit_tag(at);
        return true;
      }
      state_ = state::before_attribute_name;
      return false;
  }
}

bool html_text_extractor::comment_states(cursor& at, char c) {
  const auto end_comment = [this, &at] {
    at.sink.boundary();
    state_ = state::data;
    return true;
  };
  switch (state_) {
    case state::markup_open:
      // "<!DOCTYPE", "<![CDATA[" (outside foreign content) and bogus comments all end at the
      // first '>', so only "<!--" needs telling apart.
      state_ = c == '-' ? state::markup_dash : state::bogus_comment;
      return c == '-';
    case state::markup_dash:
      state_ = c == '-' ? state::comment_start : state::bogus_comment;
      return c == '-';
    case state::comment_start:
    case state::comment_start_dash:
      if (c == '>') {
        return end_comment();
      }
      if (c == '-') {
        state_ = state_ == state::comment_start ? state::comment_start_dash : state::comment_end;
        return true;
      }
      state_ = state::comment;
      return false;
    case state::comment_end_dash:
      state_ = c == '-' ? state::comment_end : state::comment;
      return c == '-';
    case state::comment_end:
      if (c == '>') {
        return end_comment();
      }
      if (c == '!') {
        state_ = state::comment_end_bang;
      } else if (c != '-') {
        state_ = state::comment;
        return false;
      }
      return true;
    default:  // comment_end_bang
      if (c == '>') {
        return end_comment();
      }
      state_ = c == '-' ? state::comment_end_dash : state::comment;
      return c == '-';
  }
}

bool html_text_extractor::raw_text_counts() const {
  switch (raw_element_) {
    case element::script:
    case element::style:
    case element::noscript:
      return false;
    default:
      return true;
  }
}

bool html_text_extractor::raw_states(cursor& at, char c) {
  const state text_state = (raw_element_ == element::title || raw_element_ == element::textarea)
                               ? state::rcdata
                               : state::rawtext;
  switch (state_) {
    case state::raw_less_than:
      if (c == '/') {
        state_ = state::raw_end_open;
        return true;
      }
      if (raw_text_counts()) {
        text_out(at, "<");
      }
      state_ = text_state;
      return false;
    case state::raw_end_open:
      if (ascii::is_alpha(c)) {
        name_length_ = 0;
        return_state_ = text_state;
        state_ = state::raw_end_name;
      } else {
        if (raw_text_counts()) {
          text_out(at, "</");
        }
        state_ = text_state;
      }
      return false;
    default:  // raw_end_name
      return end_tag_name(at, c);
  }
}

// "</name" inside raw text: only the end tag of the element that opened it ends the text.
bool html_text_extractor::end_tag_name(cursor& at, char c) {
  const std::string_view target = name_of(raw_element_);
  if (ascii::is_alpha(c) && name_length_ < target.size() &&
      ascii::to_lower(c) == target[name_length_]) {
    name_.at(name_length_++) = c;
    return true;
  }
  if ((ascii::is_whitespace(c) || c == '/' || c == '>') && name_length_ == target.size()) {
    std::copy(target.begin(), target.end(), name_.begin());
    end_tag_ = true;
    name_overflow_ = false;
    capture_ = false;
    if (c == '>') {
      emit_tag(at);
    } else {
      state_ = c == '/' ? state::self_closing : state::before_attribute_name;
    }
    return true;
  }
  if (raw_text_counts()) {
    text_out(at, "</");
    text_out(at, {name_.data(), name_length_});
  }
  state_ = return_state_;
  return false;
}

bool html_text_extractor::script_states(cursor& at, char c) {
  switch (state_) {
    case state::script_less_than:
      if (c == '/') {
        state_ = state::script_end_open;
      } else if (c == '!') {
        state_ = state::script_escape_start;
      } else {
        state_ = state::script;
        return false;
      }
      return true;
    case state::script_end_open:
    case state::script_escaped_end_open:
      return_state_ = state_ == state::script_end_open ? state::script : state::script_escaped;
      name_length_ = 0;
      state_ = ascii::is_alpha(c) ? state::script_end_name : return_state_;
      return false;
    case state::script_end_name:
    case state::script_escaped_end_name:
      return end_tag_name(at, c);
    case state::script_escape_start:
    case state::script_escape_start_dash:
      if (c != '-') {
        state_ = state::script;
        return false;
      }
      state_ = state_ == state::script_escape_start ? state::script_escape_start_dash
                                                    : state::script_escaped_dash_dash;
      return true;
    default:
      return escaped_script_states(at, c);
  }
}

bool html_text_extractor::escaped_script_states(cursor& at, char c) {
  switch (state_) {
    case state::script_escaped:
    case state::script_escaped_dash:
    case state::script_escaped_dash_dash:
      if (c == '<') {
        state_ = state::script_escaped_less_than;
      } else if (c == '-') {
        state_ = state_ == state::script_escaped ? state::script_escaped_dash
                                                 : state::script_escaped_dash_dash;
      } else if (c == '>' && state_ == state::script_escaped_dash_dash) {
        state_ = state::script;
      } else {
        state_ = state::script_escaped;
      }
      return true;
    case state::script_escaped_less_than:
      if (c == '/') {
        state_ = state::script_escaped_end_open;
        return true;
      }
      name_length_ = 0;
      state_ = ascii::is_alpha(c) ? state::script_double_escape_start : state::script_escaped;
      return false;
    case state::script_double_escape_start:
      return double_escape_name(c, state::script_double_escaped, state::script_escaped);
    default:
      return double_escaped_script_states(at, c);
  }
}

bool html_text_extractor::double_escaped_script_states(cursor& /*at*/, char c) {
  switch (state_) {
    case state::script_double_escaped:
    case state::script_double_escaped_dash:
    case state::script_double_escaped_dash_dash:
      if (c == '<') {
        state_ = state::script_double_escaped_less_than;
      } else if (c == '-') {
        state_ = state_ == state::script_double_escaped ? state::script_double_escaped_dash
                                                        : state::script_double_escaped_dash_dash;
      } else if (c == '>' && state_ == state::script_double_escaped_dash_dash) {
        state_ = state::script;
      } else {
        state_ = state::script_double_escaped;
      }
      return true;
    case state::script_double_escaped_less_than:
      if (c == '/') {
        name_length_ = 0;
        state_ = state::script_double_escape_end;
        return true;
      }
      state_ = state::script_double_escaped;
      return false;
    default:  // script_double_escape_end
      return double_escape_name(c, state::script_escaped, state::script_double_escaped);
  }
}

// Collects a tag name inside escaped script; "script" flips between escaped and double escaped.
bool html_text_extractor::double_escape_name(char c, state matched, state otherwise) {
  if (ascii::is_whitespace(c) || c == '/' || c == '>') {
    const bool is_script =
        !name_overflow_ && std::string_view(name_.data(), name_length_) == "script";
    state_ = is_script ? matched : otherwise;
    return true;
  }
  if (!ascii::is_alpha(c)) {
    state_ = otherwise;
    return false;
  }
  if (name_length_ == 0) {
    name_overflow_ = false;
  }
  if (name_length_ < name_.size()) {
    name_.at(name_length_++) = ascii::to_lower(c);
  } else {
    name_overflow_ = true;
  }
  return true;
}

bool html_text_extractor::reference_states(cursor& at, char c) {
  switch (state_) {
    case state::reference:
      if (ascii::is_alpha(c) || is_digit(c)) {
        reference_length_ = 0;
        reference_match_ = 0;
        reference_first_ = html_entities::every_name().first;
        reference_last_ = html_entities::every_name().last;
        state_ = state::named_reference;
        return false;
      }
      if (c == '#') {
        numeric_ = 0;
        state_ = state::numeric_reference;
        return true;
      }
      reference_out(at, "&");
      state_ = return_state_;
      return false;
    case state::named_reference:
      return named_reference(at, c);
    case state::numeric_reference:
      if (c == 'x' || c == 'X') {
        reference_.at(0) = c;
        state_ = state::hex_start;
        return true;
      }
      state_ = state::decimal_start;
      return false;
    case state::hex_start:
    case state::decimal_start:
      if (state_ == state::hex_start ? is_hex(c) : is_digit(c)) {
        state_ = state_ == state::hex_start ? state::hex : state::decimal;
        return false;
      }
      flush_numeric_start(at);
      return false;
    default: {  // hex, decimal
      const bool is_hex_state = state_ == state::hex;
      if (is_hex_state ? is_hex(c) : is_digit(c)) {
        const char32_t digit = is_hex_state ? hex_value(c) : static_cast<char32_t>(c - '0');
        numeric_ = std::min<char32_t>(numeric_clamp, numeric_ * (is_hex_state ? 16U : 10U) + digit);
        return true;
      }
      finish_numeric_reference(at);
      return c == ';';
    }
  }
}

// "&#" or "&#x" not followed by a digit is plain text.
void html_text_extractor::flush_numeric_start(cursor& at) {
  reference_out(at, "&#");
  if (state_ == state::hex_start) {
    reference_out(at, {reference_.data(), 1});
  }
  state_ = return_state_;
}

void html_text_extractor::finish_numeric_reference(cursor& at) {
  reference_out(at, utf8::encode(html_entities::numeric_value(numeric_)).view());
  state_ = return_state_;
}

// Longest match: keep reading while the characters are a prefix of some name.
bool html_text_extractor::named_reference(cursor& at, char c) {
  if (reference_length_ < html_entities::longest_name()) {
    const html_entities::names names =
        html_entities::narrow({reference_first_, reference_last_}, reference_length_, c);
    if (!names.empty()) {
      reference_.at(reference_length_++) = c;
      reference_first_ = names.first;
      reference_last_ = names.last;
      if (const std::string_view value = html_entities::complete_value(names, reference_length_);
          !value.empty()) {
        reference_match_ = reference_length_;
        reference_value_ = value;
      }
      return true;
    }
  }
  resolve_named_reference(at, static_cast<unsigned char>(c));
  return false;
}

void html_text_extractor::resolve_named_reference(cursor& at, int next) {
  std::size_t match = reference_match_;
  if (match > 0 && in_attribute_value() && reference_.at(match - 1) != ';') {
    // In an attribute a legacy name followed by '=' or an alphanumeric stays as written.
    const int after =
        match < reference_length_ ? static_cast<unsigned char>(reference_.at(match)) : next;
    const auto c = static_cast<char>(after);
    if (after >= 0 && (c == '=' || ascii::is_alpha(c) || is_digit(c))) {
      match = 0;
    }
  }
  reference_out(at, match > 0 ? reference_value_ : "&");
  reference_out(at, {reference_.data() + match, reference_length_ - match});
  state_ = return_state_;
}

void html_text_extractor::emit_tag(cursor& at) {
  at.sink.boundary();
  state_ = state::data;
  if (capture_) {
    end_tag_capture();
  }
  if (scope_ == content_scope::main) {
    track_element();
  }
  const element kind =
      name_overflow_ ? element::other : element_named({name_.data(), name_length_});
  if (end_tag_) {
    if (kind == element::template_ && template_depth_ > 0) {
      --template_depth_;
    }
    return;
  }
  switch (kind) {
    case element::other:
      return;
    case element::template_:
      ++template_depth_;
      return;
    case element::script:
      state_ = state::script;
      break;
    case element::title:
    case element::textarea:
      state_ = state::rcdata;
      break;
    case element::plaintext:
      state_ = state::plaintext;
      break;
    default:
      state_ = state::rawtext;
      break;
  }
  raw_element_ = kind;
}

// The first <html> start tag with a lang gives the document's; gumbo, like HTML5, copies
// the attributes of later <html> tags only where the element lacks them.
void html_text_extractor::end_tag_capture() {
  if (role_ == role_verdict::undecided) {
    end_role_token();
  }
  if (!lang_seen_ || lang_declared_ || name_length_ != 4 ||
      std::string_view(name_.data(), 4) != "html") {
    return;
  }
  std::size_t length = lang_length_;
  if (lang_cut_) {
    length = utf8_cut(lang_.data(), length);
  }
  while (length > 0 && is_html_space(lang_.at(length - 1))) {
    --length;
  }
  declared_lang_.assign(lang_.data(), length);
  lang_declared_ = true;
}

// Main-content mode: the tag opens or closes elements (open_elements.hpp).
void html_text_extractor::track_element() {
  const std::uint16_t tag =
      html_tree::code_of({name_.data(), name_overflow_ ? name_.size() : name_length_});
  html_tree::open_elements stack(open_, hidden_count_);
  const bool hides = capture_ && role_ == role_verdict::hides;
  if (end_tag_) {
    if (raw_hidden_) {  // only their own end tag ends raw text and RCDATA
      raw_hidden_ = false;
      --hidden_count_;
    }
    stack.end_tag(tag);
    return;
  }
  stack.start_tag(tag, hides);
  // Raw text and RCDATA elements are never pushed (no tag can open inside them); one with a
  // landmark role hides its text until its end tag.
  const element kind =
      name_overflow_ ? element::other : element_named({name_.data(), name_length_});
  if (hides && kind != element::other && kind != element::template_) {
    raw_element_ = kind;
    if (raw_text_counts()) {
      raw_hidden_ = true;
      ++hidden_count_;
    }
  }
}

void html_text_extractor::text_out(cursor& at, std::string_view text) const {
  if (template_depth_ == 0 && hidden_count_ == 0 && !text.empty()) {
    at.sink.text(text);
  }
}

void html_text_extractor::finish(text_sink& sink) {
  cursor at{nullptr, nullptr, sink};
  // A reference in an attribute value: the tag is unfinished, nothing is text.
  const bool in_tag = in_attribute_value() && state_ >= state::reference;
  switch (in_tag ? state::data : state_) {
    case state::tag_open:
    case state::raw_less_than:
      if (state_ == state::tag_open || raw_text_counts()) {
        text_out(at, "<");
      }
      break;
    case state::end_tag_open:
    case state::raw_end_open:
      if (state_ == state::end_tag_open || raw_text_counts()) {
        text_out(at, "</");
      }
      break;
    case state::raw_end_name:
      if (raw_text_counts()) {
        text_out(at, "</");
        text_out(at, {name_.data(), name_length_});
      }
      break;
    case state::reference:
      text_out(at, "&");
      break;
    case state::named_reference:
      resolve_named_reference(at, -1);
      break;
    case state::numeric_reference:
      text_out(at, "&#");
      break;
    case state::hex_start:
    case state::decimal_start:
      flush_numeric_start(at);
      break;
    case state::hex:
    case state::decimal:
      finish_numeric_reference(at);
      break;
    default:
      break;
  }
  sink.boundary();
  std::string lang = std::move(declared_lang_);
  reset(scope_);
  declared_lang_ = std::move(lang);
  finished_ = true;
}

}  // namespace wordcrawl
