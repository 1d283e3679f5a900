#pragma once

// Counts of words for one page. Words live in one arena and their entries in one dense
// vector; an open-addressing index of tagged entry numbers finds them, small enough to stay
// in cache. Counting an occurrence never allocates (only a new distinct word may grow the
// arena), and clear() keeps the memory for the next page.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/word_count.hpp"

namespace wordcrawl {

class word_table {
 public:
  word_table();

  /// Forgets every word, keeping the memory.
  void clear();

  /// Counts one occurrence of word.
  void add(std::string_view word);

  /// Number of distinct words.
  std::size_t size() const { return entries_.size(); }

  /// The k most frequent words: count descending, then word ascending (bytewise).
  std::vector<word_count> top(std::size_t k) const;

  /// Calls visit(word, count) for every distinct word, in no particular order.
  template <typename Visit>
  void for_each(Visit&& visit) const {
    for (const entry& e : entries_) {
      visit(key(e), e.count);
    }
  }

 private:
  struct entry {
    std::uint64_t count = 0;
    std::uint32_t offset = 0;  // of the word in arena_
    std::uint32_t length = 0;
  };

  std::string_view key(const entry& e) const { return {arena_.data() + e.offset, e.length}; }
  void insert(std::string_view word, std::uint64_t tag, std::size_t slot);
  void grow();

  // Slot: high 32 bits of the word's hash, then entry number + 1 (0: free). The tag spares
  // a visit to the entry on most collisions; 8-byte slots keep the index in cache.
  std::vector<std::uint64_t> index_;
  std::vector<entry> entries_;
  std::string arena_;
};

}  // namespace wordcrawl
