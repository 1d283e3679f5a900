#pragma once

// The language(s) of a page's counted text, by CLD2 (Debian's libcld2), the detector that
// was both the more accurate and by far the faster on the measured corpus
// (docs/language-detection.md).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wordcrawl {

struct language_share {
  std::string code;  // lowercase ISO 639-1 where one exists ("en", "ru", "zh", "nb"), else 639-3
  int percent = 0;   // share of the sample's text, 0..100
};

struct language_guess {
  std::vector<language_share> languages;  // most first; empty when unknown
  bool reliable = false;

  /// The main language's code, or "" when unknown.
  [[nodiscard]] std::string main() const;
};

/// One per worker (not necessarily thread-safe); reused from page to page.
class language_detector {
 public:
  /// The detector reads at most this many bytes of a sample (callers pass at most this much).
  /// 16 KiB: on the corpus, smaller samples lose accuracy (2 KiB: pages whose first screen is
  /// navigation in another language), larger ones gain almost nothing and cost time linearly.
  static constexpr std::size_t sample_bytes = 16384;

  /// A language CLD2 names with less than this share of the sample is left out: such
  /// shares are stray words (commands, names, a quoted title), not text a reader would call
  /// written in that language, and a stop list chosen for them would remove real words.
  static constexpr int min_share_percent = 10;

  language_detector();
  ~language_detector();
  language_detector(const language_detector&) = delete;
  language_detector& operator=(const language_detector&) = delete;
  language_detector(language_detector&& other) noexcept;
  language_detector& operator=(language_detector&& other) noexcept;

  /// Language(s) of UTF-8 text (plain text, words separated by spaces). Invalid UTF-8 is read
  /// as spaces; only the first sample_bytes bytes are read.
  language_guess detect(std::string_view utf8_text);

 private:
  std::string clean_;  // the sample made interchange-valid UTF-8, kept to reuse its storage
};

/// CLD2's code for a language brought to the one the kernel reports: ISO 639-1 where one
/// exists ("iw" -> "he", "no" -> "nb", "zh-Hant" -> "zh"), else ISO 639-3; "" for what is not
/// a language (unknown, script-only guesses such as "xx-Latn", CLD2's joke languages).
[[nodiscard]] std::string normalize_language_code(std::string_view cld2_code);

}  // namespace wordcrawl
