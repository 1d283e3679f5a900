#pragma once

// Cuts text of scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) into
// words with ICU's dictionary-based word break iterator for the root locale.

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

struct UBreakIterator;

namespace wordcrawl {

class spaceless_segmenter {
 public:
  /// Calls on_word for each segment of text (UTF-8) that ICU marks as a letter, kana or
  /// ideographic word, in order.
  void segment(std::string_view text, const std::function<void(std::string_view)>& on_word);

 private:
  struct closer {
    void operator()(UBreakIterator* iterator) const;
  };

  std::unique_ptr<UBreakIterator, closer> iterator_;  // opened on first use: it is costly
  std::vector<char16_t> utf16_;                       // the text as ICU reads it fastest
  std::vector<std::uint32_t> offsets_;  // UTF-8 offset of each UTF-16 unit, and of the end
};

}  // namespace wordcrawl
