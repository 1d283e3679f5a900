#pragma once

// Counts of words for one page: an open-addressing hash table whose keys live in one arena,
// so counting an occurrence never allocates (only a new distinct word may grow the arena).
// clear() is O(1) and keeps the memory for the next page.

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
  std::size_t size() const { return size_; }

  /// The k most frequent words: count descending, then word ascending (bytewise).
  std::vector<word_count> top(std::size_t k) const;

 private:
  struct slot {
    std::uint64_t hash = 0;
    std::uint64_t count = 0;
    std::size_t offset = 0;
    std::uint32_t length = 0;
    std::uint32_t generation = 0;  // the slot is in use when it equals generation_
  };

  std::string_view key(const slot& entry) const {
    return {arena_.data() + entry.offset, entry.length};
  }
  void grow();

  std::vector<slot> slots_;
  std::string arena_;
  std::size_t size_ = 0;
  std::uint32_t generation_ = 1;
};

}  // namespace wordcrawl
