#pragma once

// Remembers how short pieces of spaceless scripts were cut, so that text pages repeat
// (navigation, titles, headings) is cut by ICU's dictionary iterator once, not on every
// page. Direct-mapped: a piece has one slot, a newer piece evicts an older one, and the
// memory is fixed (slot_count slots, allocated on first use).

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace wordcrawl {

class segment_cache {
 public:
  /// Longest piece remembered (bytes of UTF-8); longer pieces rarely repeat.
  static constexpr std::size_t max_piece_bytes = 48;
  /// Most words a remembered piece may have.
  static constexpr std::size_t max_words = 16;
  /// Number of slots (a power of two).
  static constexpr std::size_t slot_count = 4096;

  /// A word of a piece: its byte range in the piece.
  struct word_span {
    std::uint8_t from = 0;
    std::uint8_t to = 0;
  };

  /// Receives each remembered word (UTF-8); the view is valid during the call only.
  using word_handler = std::function<void(std::string_view)>;

  /// The hash that chooses the slot of piece.
  static std::uint64_t hash(std::string_view piece);

  /// True when piece was remembered: on_word then receives its words, in order.
  bool find(std::string_view piece, std::uint64_t hash, const word_handler& on_word) const;

  /// Remembers the words of piece (ignored when the piece or its word list is too long).
  void store(std::string_view piece, std::uint64_t hash, const std::vector<word_span>& words);

  /// Forgets every piece, keeping the memory.
  void clear();

  /// Bytes the slots take (0 until the first store).
  std::size_t memory_bytes() const { return slots_.capacity() * sizeof(slot); }

 private:
  struct slot {
    std::uint8_t piece_size = 0;  // 0: empty
    std::uint8_t word_count = 0;
    std::array<char, max_piece_bytes> piece{};
    std::array<word_span, max_words> words{};
  };

  std::vector<slot> slots_;
};

}  // namespace wordcrawl
