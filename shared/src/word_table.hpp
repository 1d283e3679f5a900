#pragma once

// Counts of words for one page. Words live in one arena and their entries in one dense
// vector; an open-addressing index of 32-bit entry numbers finds them, small enough to stay
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

 private:
  struct entry {
    std::uint64_t hash = 0;
    std::uint64_t count = 0;
    std::size_t offset = 0;  // of the word in arena_
    std::size_t length = 0;
  };

  std::string_view key(const entry& e) const { return {arena_.data() + e.offset, e.length}; }
  void grow();

  std::vector<std::uint32_t> index_;  // entry number + 1, or 0 for a free slot
  std::vector<entry> entries_;
  std::string arena_;
};

}  // namespace wordcrawl
