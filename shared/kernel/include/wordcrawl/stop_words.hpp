#pragma once

// Per-language stop lists: words an answer can leave out ("the", "и", "的"). The lists are
// generated at build time from the Snowball and stopwords-iso lists kept in
// shared/kernel/data/stopwords, with every entry in the form the word counter emits (simple
// case folding, U+2019 as U+0027); entries that could never be one word are left out. All
// tables are constant data: lookups from any number of threads need no locking.

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

namespace wordcrawl {

class stop_list {
 public:
  /// words: sorted in byte order (std::string_view's order), without duplicates.
  constexpr stop_list(std::string_view language, std::span<const std::string_view> words)
      : language_(language), words_(words) {}

  /// True if word (already case-folded, as the counter emits it) is on the list.
  bool contains(std::string_view folded_word) const;

  /// The lowercase ISO 639-1 code of the list ("nb" for Norwegian).
  constexpr std::string_view language() const { return language_; }

  constexpr std::size_t size() const { return words_.size(); }

  /// Every entry, in byte order.
  constexpr std::span<const std::string_view> words() const { return words_; }

 private:
  std::string_view language_;
  std::span<const std::string_view> words_;
};

/// The list for a lowercase ISO 639-1 code ("ru", "en", "zh", "nb"; "no" is accepted for nb);
/// nullptr if none.
const stop_list* find_stop_list(std::string_view code);

/// Every language with a list, sorted.
std::vector<std::string_view> stop_list_languages();

}  // namespace wordcrawl
