#pragma once

// Turns streamed text into counted words (see docs/word-definition.md): runs of letters,
// marks and digits (ZWNJ/ZWJ kept inside, an apostrophe joining two run characters), runs of
// scripts written without spaces cut by ICU's dictionary word breaker, simple case folding,
// numbers dropped. A run longer than max_run_bytes is cut there, so memory per counter is
// bounded by the distinct words of the page.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/text_sink.hpp"
#include "wordcrawl/word_count.hpp"

namespace wordcrawl {

class word_table;
class spaceless_segmenter;
namespace char_class {
struct bmp_tables;
}  // namespace char_class

class word_counter final : public text_sink {
 public:
  /// Longest run kept whole (bytes of its case-folded UTF-8); longer runs are cut.
  static constexpr std::size_t max_run_bytes = std::size_t{64} * 1024;

  word_counter();
  ~word_counter() override;
  word_counter(const word_counter&) = delete;
  word_counter& operator=(const word_counter&) = delete;
  word_counter(word_counter&& other) noexcept;
  word_counter& operator=(word_counter&& other) noexcept;

  /// Forgets all counts and any unfinished word, keeping memory for reuse.
  void reset();

  /// Appends UTF-8 text (invalid bytes count as U+FFFD, a non-word character).
  void text(std::string_view utf8) override;

  /// Ends the current word.
  void boundary() override;

  /// The k most frequent words so far (call boundary() first to include the last one).
  /// Not const: text of spaceless scripts is segmented in batches, the last one here.
  std::vector<word_count> top(std::size_t k);

  /// Every distinct word so far with its count, in no particular order (call boundary()
  /// first, as for top()).
  void for_each_word(const std::function<void(std::string_view, std::uint64_t)>& visit);

  /// Words counted so far, and distinct words among them.
  std::uint64_t total_words();
  std::size_t distinct_words();

 private:
  // A block of up to 64 bytes, classified (bit i for byte i) and its ASCII letters folded.
  struct block_masks {
    std::uint64_t alnum = 0;    // ASCII letters and digits
    std::uint64_t letters = 0;  // ASCII letters
    std::uint64_t special = 0;  // bytes of non-ASCII characters, apostrophes
    const char* folded = nullptr;
    std::size_t size = 0;
  };

  const unsigned char* count_block(const block_masks& block, const unsigned char* p,
                                   const unsigned char* end);
  // Bytes of short text gathered before they are read (see text()).
  static constexpr std::size_t pending_capacity = std::size_t{8} * 1024;

  void consume(std::string_view utf8);
  void consume_pending();
  void end_word();
  void settle();
  void step(const unsigned char*& p, const unsigned char* end);
  const unsigned char* run_span(const unsigned char* p, const unsigned char* end);
  const unsigned char* slow_code_point(const unsigned char* p, const unsigned char* end);
  const unsigned char* multibyte(const unsigned char* p, const unsigned char* end);
  void code_point(char32_t cp);
  void apostrophe();
  void append_run(std::string_view folded, bool is_letter);
  void end_run();
  void count_spaceless_run(std::string_view run);
  void flush_segmenter();

  std::unique_ptr<word_table> table_;
  std::unique_ptr<spaceless_segmenter> segmenter_;
  const char_class::bmp_tables* bmp_ = nullptr;  // shared, immutable
  std::vector<char> run_;     // max_run_bytes and the table's padding: the current run, case-folded
  std::size_t run_size_ = 0;  // bytes of run_ in use
  std::size_t run_kept_ = 0;  // run_ bytes up to its last letter/mark/digit
  bool run_has_letter_ = false;
  bool run_has_spaceless_ = false;
  bool apostrophe_pending_ = false;         // an apostrophe followed the last run character
  std::array<unsigned char, 4> partial_{};  // a code point split between text() calls
  std::size_t partial_length_ = 0;
  std::vector<char> pending_;  // pending_capacity: text and NULs for boundaries, not yet read
  std::size_t pending_size_ = 0;
};

}  // namespace wordcrawl
