#pragma once

// Counts of words for one page. Words live in one arena and their entries in one dense
// vector; an open-addressing index of tagged entry numbers finds them, small enough to stay
// in cache. Counting an occurrence never allocates (only a new distinct word may grow the
// arena), and clear() keeps the memory for the next page.
//
// Words of up to 16 bytes (nearly all) are hashed and compared as two masked 8-byte loads,
// without a branch on their length: the cost of a table of short keys is mostly the branches
// that loops over their bytes mispredict.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/word_count.hpp"

namespace wordcrawl {

class word_table {
 public:
  /// Bytes that must be readable past the start of a word given to add_padded().
  static constexpr std::size_t padding = 16;

  word_table();

  /// Forgets every word, keeping the memory.
  void clear();

  /// Counts one occurrence of word.
  void add(std::string_view word);

  /// add(), for a word whose storage has at least `padding` readable bytes from its start
  /// (what follows the word there does not matter).
  void add_padded(std::string_view word) {
    if (word.size() > padding) {
      add_long(word);
      return;
    }
    const short_key key = short_key_of(word.data(), word.size());
    count(word, hash_short(key, word.size()),
          [key, n = word.size()](const entry& e) { return e.length == n && e.key == key; });
  }

  /// Number of distinct words.
  std::size_t size() const { return entries_.size(); }

  /// The k most frequent words: count descending, then word ascending (bytewise).
  std::vector<word_count> top(std::size_t k) const;

  /// Calls visit(word, count) for every distinct word, in the order they first came.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const entry& e : entries_) {
      visit(key(e), e.count);
    }
  }

 private:
  // The bytes of a word of at most 16, zero past its end.
  struct short_key {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    bool operator==(const short_key& other) const {
      return ((low ^ other.low) | (high ^ other.high)) == 0;
    }
  };

  struct entry {
    std::uint64_t count = 0;
    std::uint32_t offset = 0;  // of the word in arena_
    std::uint32_t length = 0;
    // A word of up to 16 bytes is compared here, in the line the count is in, not in the
    // arena: one dependent load fewer on the path of every word.
    short_key key;
  };

  // Masks of the first n bytes of 16, for n = 0..16, as two 8-byte halves.
  static constexpr std::array<std::array<std::uint64_t, 2>, padding + 1> masks = [] {
    std::array<std::array<std::uint64_t, 2>, padding + 1> m{};
    for (std::size_t n = 0; n <= padding; ++n) {
      for (std::size_t b = 0; b < n; ++b) {
        m.at(n).at(b / 8) |= std::uint64_t{0xFF} << (8 * (b % 8));
      }
    }
    return m;
  }();

  // n <= 16 bytes at p, with 16 readable there.
  static short_key short_key_of(const char* p, std::size_t n) {
    std::uint64_t low = 0;
    std::uint64_t high = 0;
    std::memcpy(&low, p, 8);
    std::memcpy(&high, p + 8, 8);
    return {low & masks.at(n)[0], high & masks.at(n)[1]};
  }

  static std::uint64_t hash_short(const short_key& key, std::size_t n) {
    // One 64x64->128 multiply, its halves folded (wyhash's mum): a short chain of latency
    // on the path of every word.
    __extension__ using wide = unsigned __int128;
    const wide product = static_cast<wide>(key.low ^ 0xA0761D6478BD642FULL) *
                         static_cast<wide>(key.high ^ n ^ 0xE7037ED1A0B428DBULL);
    return static_cast<std::uint64_t>(product) ^ static_cast<std::uint64_t>(product >> 64U);
  }

  // Counts word, whose hash is given, in the entry `same` accepts or in a new one.
  template <typename Same>
  void count(std::string_view word, std::uint64_t hash, const Same& same) {
    const std::uint64_t tag = hash & ~std::uint64_t{0xFFFFFFFF};
    const std::size_t mask = index_.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
      const std::uint64_t slot = index_[i];
      if (slot == 0) {
        insert(word, tag, i);
        return;
      }
      if ((slot & ~std::uint64_t{0xFFFFFFFF}) == tag) {
        entry& e = entries_[(slot & 0xFFFFFFFFU) - 1];
        if (same(e)) {
          ++e.count;
          return;
        }
      }
    }
  }

  static std::uint64_t hash_padded(std::string_view word);
  std::string_view key(const entry& e) const { return {arena_.data() + e.offset, e.length}; }
  void add_long(std::string_view word);
  void insert(std::string_view word, std::uint64_t tag, std::size_t slot);
  void grow();

  // Slot: high 32 bits of the word's hash, then entry number + 1 (0: free). The tag spares
  // a visit to the entry on most collisions; 8-byte slots keep the index in cache.
  std::vector<std::uint64_t> index_;
  std::vector<entry> entries_;
  // The words, one after the other (arena_size_ bytes), then at least `padding` more, so
  // that every word can be loaded as a short key.
  std::vector<char> arena_;
  std::size_t arena_size_ = 0;
};

}  // namespace wordcrawl
