#pragma once

// What a page's answer may ask of the kernel beyond its plain top-k (all off by default, and
// then the kernel does exactly what it always did), and what the answer then says.

#include <cstdint>
#include <string>
#include <vector>

#include "wordcrawl/html_text_extractor.hpp"
#include "wordcrawl/word_count.hpp"

namespace wordcrawl {

struct word_options {
  enum class stop_mode : std::uint8_t {
    none,       // count every word
    automatic,  // the lists of every language with a real share of the text
    listed      // the lists of stop_languages
  };
  stop_mode stopwords = stop_mode::none;
  std::vector<std::string> stop_languages{};  // lowercase ISO 639-1 codes, for listed
  /// Merge words by their Snowball stem in the page's language.
  bool stem = false;
  /// Leave navigation, banners, footers and asides out.
  content_scope content = content_scope::all;
  /// Detect the text's language even when nothing above needs it (to report it).
  bool detect_language = false;
  /// The HTTP Content-Language header, for declared_lang when the page says nothing itself.
  std::string content_language{};

  /// True if the text's language must be known.
  bool needs_language() const {
    return detect_language || stem || stopwords == stop_mode::automatic;
  }
};

/// One page's answer.
struct page_words {
  std::vector<word_count> words{};   // most frequent first, after stop words and stems
  std::uint64_t total_words = 0;     // every word of the counted text, before any filtering
  std::uint64_t distinct_words = 0;  // distinct words among them
  std::string lang{};                // detected language of the text ("" if not asked/unknown)
  std::string declared_lang{};       // <html lang>, else Content-Language ("" if none)
  std::vector<std::string> stop_languages{};  // the stop lists applied
  std::string stemmed_as{};                   // the Snowball language words were merged in
  std::string not_stemmed{};                  // why a stem request could not be honoured
};

}  // namespace wordcrawl
