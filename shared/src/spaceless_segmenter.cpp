#include "spaceless_segmenter.hpp"

#include <algorithm>
#include <cstdint>

#include <unicode/ubrk.h>

#include "utf8.hpp"

namespace wordcrawl {

void spaceless_segmenter::closer::operator()(UBreakIterator* iterator) const {
  ubrk_close(iterator);
}

void spaceless_segmenter::segment(std::string_view text,
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
  // ICU walks UTF-16 about a third faster than a UTF-8 UText; offsets_ maps back.
  utf16_.clear();
  offsets_.clear();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8::sequence_length(bytes[i]);
    const char32_t cp = utf8::decode(bytes + i, std::min(length, text.size() - i));
    if (cp >= 0x10000) {
      utf16_.push_back(static_cast<char16_t>(0xD7C0U + (cp >> 10U)));
      utf16_.push_back(static_cast<char16_t>(0xDC00U | (cp & 0x3FFU)));
      offsets_.push_back(static_cast<std::uint32_t>(i));
    } else {
      utf16_.push_back(static_cast<char16_t>(cp));
    }
    offsets_.push_back(static_cast<std::uint32_t>(i));
    i += length;
  }
  offsets_.push_back(static_cast<std::uint32_t>(text.size()));
  ubrk_setText(iterator_.get(), utf16_.data(), static_cast<std::int32_t>(utf16_.size()), &status);
  if (U_FAILURE(status)) {
    return;
  }
  std::int32_t start = ubrk_first(iterator_.get());
  for (std::int32_t end = ubrk_next(iterator_.get()); end != UBRK_DONE;
       start = end, end = ubrk_next(iterator_.get())) {
    const std::int32_t rule = ubrk_getRuleStatus(iterator_.get());
    if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_IDEO_LIMIT) {
      const std::uint32_t from = offsets_[static_cast<std::size_t>(start)];
      const std::uint32_t to = offsets_[static_cast<std::size_t>(end)];
      on_word(text.substr(from, to - from));
    }
  }
}

}  // namespace wordcrawl
