#pragma once

// Cuts text of scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar) into
// words with ICU's dictionary-based word break iterator for the root locale.
//
// Pieces are queued and cut in batches, joined by spaces: a space always ends a dictionary
// range, so each piece is cut exactly as it would be alone, while ICU's per-text setup is
// paid once per batch instead of once per piece. Short pieces already cut are remembered
// (segment_cache) and not cut again. Pieces of Han and kana that ICU's dictionary engine
// would take as they are are cut at once, without ICU's iterator (cjk_segmenter).

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cjk_segmenter.hpp"
#include "segment_cache.hpp"

struct UBreakIterator;

namespace wordcrawl {

class spaceless_segmenter {
 public:
  /// Receives each word (UTF-8); the view is valid during the call only.
  using word_handler = std::function<void(std::string_view)>;

  /// Queues a piece of text (UTF-8), or hands on_word its words at once when it was cut
  /// before. True when enough is queued that flush() should run.
  bool queue(std::string_view text, const word_handler& on_word);

  /// Cuts everything queued and hands on_word each segment ICU marks as a letter, kana or
  /// ideographic word, in order.
  void flush(const word_handler& on_word);

  /// Drops whatever is queued (the remembered pieces stay: pages repeat each other).
  void clear();

  /// The pieces already cut.
  const segment_cache& cache() const { return cache_; }

 private:
  struct closer {
    void operator()(UBreakIterator* iterator) const;
  };

  struct piece {
    std::uint32_t from = 0;  // in utf8_
    std::uint32_t to = 0;
    std::uint64_t hash = 0;
  };

  void remember();

  const cjk_segmenter* cjk_ = cjk_segmenter::get();  // nullptr without ICU's dictionary
  cjk_segmenter::scratch cjk_scratch_;
  std::unique_ptr<UBreakIterator, closer> iterator_;  // opened on first use: it is costly
  std::string utf8_;                                  // the queued pieces, space-separated
  std::vector<char16_t> utf16_;                       // the same as ICU reads it fastest
  std::vector<std::uint32_t> offsets_;                // utf8_ offset of each UTF-16 unit
  std::vector<piece> pieces_;                         // the queued pieces
  std::vector<std::uint32_t> word_bounds_;            // utf8_ ranges of the words cut
  std::vector<segment_cache::word_span> spans_;       // the words of one piece
  segment_cache cache_;
};

}  // namespace wordcrawl
