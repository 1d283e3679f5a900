#pragma once

// The definition cjk_segmenter is checked against: the words ICU's word break iterator (root
// locale) gives for a piece alone, the segments it marks as letter, kana or ideographic words.
// Header-only, for the tests and the fuzzer, which are built apart.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <unicode/ubrk.h>
#include <unicode/unistr.h>

namespace wordcrawl::testing {

inline std::vector<std::string> icu_words(std::string_view utf8) {
  const icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<std::int32_t>(utf8.size())));
  UErrorCode status = U_ZERO_ERROR;
  UBreakIterator* it = ubrk_open(UBRK_WORD, "", text.getBuffer(), text.length(), &status);
  if (U_FAILURE(status) != 0) {
    throw std::runtime_error(std::string("ICU's word break iterator: ") + u_errorName(status));
  }
  std::vector<std::string> words;
  std::int32_t start = ubrk_first(it);
  for (std::int32_t end = ubrk_next(it); end != UBRK_DONE; start = end, end = ubrk_next(it)) {
    const std::int32_t rule = ubrk_getRuleStatus(it);
    if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_IDEO_LIMIT) {
      std::string word;
      text.tempSubStringBetween(start, end).toUTF8String(word);
      words.push_back(word);
    }
  }
  ubrk_close(it);
  return words;
}

}  // namespace wordcrawl::testing
