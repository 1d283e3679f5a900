#include "spaceless_segmenter.hpp"

#include <algorithm>
#include <cstdint>

#include <unicode/ubrk.h>

#include "wordcrawl/utf8.hpp"

namespace wordcrawl {
namespace {

// UTF-16 units queued before a flush is asked for: big enough to spread ICU's setup cost,
// small enough to stay in cache.
constexpr std::size_t batch_units = std::size_t{16} * 1024;

// UBRK_DONE, whose macro is a C-style cast.
constexpr std::int32_t break_done = -1;

}  // namespace

void spaceless_segmenter::closer::operator()(UBreakIterator* iterator) const {
  ubrk_close(iterator);
}

bool spaceless_segmenter::queue(std::string_view text, const word_handler& on_word) {
  const std::uint64_t hash = segment_cache::hash(text);
  if (cache_.find(text, hash, on_word)) {
    return false;
  }
  spans_.clear();
  const auto hand_on = [&](std::string_view word) {
    on_word(word);
    if (text.size() <= segment_cache::max_piece_bytes) {
      const auto from = static_cast<std::size_t>(word.data() - text.data());
      spans_.push_back(
          {static_cast<std::uint8_t>(from), static_cast<std::uint8_t>(from + word.size())});
    }
  };
  if (cjk_ != nullptr && cjk_->cut(text, cjk_scratch_, hand_on)) {
    cache_.store(text, hash, spans_);
    return false;
  }
  if (!utf16_.empty()) {
    offsets_.push_back(static_cast<std::uint32_t>(utf8_.size()));
    utf8_.push_back(' ');
    utf16_.push_back(u' ');
  }
  const auto base = static_cast<std::uint32_t>(utf8_.size());
  utf8_.append(text);
  pieces_.push_back({base, static_cast<std::uint32_t>(utf8_.size()), hash});
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): UTF-8 is read as bytes
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = std::min(utf8::sequence_length(bytes[i]), text.size() - i);
    const char32_t cp = utf8::decode(bytes + i, length);
    const auto offset = base + static_cast<std::uint32_t>(i);
    if (cp >= 0x10000) {
      utf16_.push_back(static_cast<char16_t>(0xD7C0U + (cp >> 10U)));
      utf16_.push_back(static_cast<char16_t>(0xDC00U | (cp & 0x3FFU)));
      offsets_.push_back(offset);
    } else {
      utf16_.push_back(static_cast<char16_t>(cp));
    }
    offsets_.push_back(offset);
    i += length;
  }
  return utf16_.size() >= batch_units;
}

void spaceless_segmenter::flush(const word_handler& on_word) {
  if (utf16_.empty()) {
    return;
  }
  UErrorCode status = U_ZERO_ERROR;
  if (!iterator_) {
    // "" is the root locale.
    iterator_.reset(ubrk_open(UBRK_WORD, "", nullptr, 0, &status));
  }
  offsets_.push_back(static_cast<std::uint32_t>(utf8_.size()));
  if (iterator_) {
    ubrk_setText(iterator_.get(), utf16_.data(), static_cast<std::int32_t>(utf16_.size()), &status);
  }
  // Without ICU data (status failed) there is no way to cut these scripts: no words.
  if (U_SUCCESS(status) != 0) {
    const std::string_view queued = utf8_;
    std::int32_t start = ubrk_first(iterator_.get());
    for (std::int32_t end = ubrk_next(iterator_.get()); end != break_done;
         start = end, end = ubrk_next(iterator_.get())) {
      const std::int32_t rule = ubrk_getRuleStatus(iterator_.get());
      if (rule >= UBRK_WORD_LETTER && rule < UBRK_WORD_IDEO_LIMIT) {
        const std::uint32_t from = offsets_[static_cast<std::size_t>(start)];
        const std::uint32_t to = offsets_[static_cast<std::size_t>(end)];
        on_word(queued.substr(from, to - from));
        word_bounds_.push_back(from);
        word_bounds_.push_back(to);
      }
    }
    remember();
  }
  clear();
}

// Hands the cache each piece with its words (word_bounds_: utf8_ ranges, in order). A word
// never crosses the space between two pieces.
void spaceless_segmenter::remember() {
  std::size_t w = 0;
  const std::string_view queued = utf8_;
  for (const piece& p : pieces_) {
    spans_.clear();
    for (; w + 1 < word_bounds_.size() && word_bounds_[w] < p.to; w += 2) {
      if (p.to - p.from <= segment_cache::max_piece_bytes) {
        spans_.push_back({static_cast<std::uint8_t>(word_bounds_[w] - p.from),
                          static_cast<std::uint8_t>(word_bounds_[w + 1] - p.from)});
      }
    }
    cache_.store(queued.substr(p.from, p.to - p.from), p.hash, spans_);
  }
}

void spaceless_segmenter::clear() {
  utf8_.clear();
  utf16_.clear();
  offsets_.clear();
  pieces_.clear();
  word_bounds_.clear();
}

}  // namespace wordcrawl
