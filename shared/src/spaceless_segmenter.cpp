#include "spaceless_segmenter.hpp"

#include <cstdint>

#include <unicode/ubrk.h>
#include <unicode/utext.h>

namespace wordcrawl {

void spaceless_segmenter::closer::operator()(UBreakIterator* iterator) const {
  ubrk_close(iterator);
}

void spaceless_segmenter::segment(std::string_view utf8,
                                  const std::function<void(std::string_view)>& on_word) {
  UErrorCode status = U_ZERO_ERROR;
  if (!iterator_) {
    // "" is the root locale.
    iterator_.reset(ubrk_open(UBRK_WORD, "", nullptr, 0, &status));
    if (U_FAILURE(status)) {
      iterator_.reset();
      return;  // without ICU data there is no way to cut these scripts
    }
  }
  UText text = UTEXT_INITIALIZER;
  utext_openUTF8(&text, utf8.data(), static_cast<std::int64_t>(utf8.size()), &status);
  ubrk_setUText(iterator_.get(), &text, &status);
  if (U_SUCCESS(status)) {
    std::int32_t start = ubrk_first(iterator_.get());
    for (std::int32_t end = ubrk_next(iterator_.get()); end != UBRK_DONE;
         start = end, end = ubrk_next(iterator_.get())) {
      const std::int32_t rule = ubrk_getRuleStatus(iterator_.get());
      if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_IDEO_LIMIT) {
        on_word(
            utf8.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start)));
      }
    }
  }
  utext_close(&text);
}

}  // namespace wordcrawl
