// The word table against a std::map: words of every length around the 16 bytes it compares
// as two loads, words that differ only in their last byte or only in what follows them,
// counted through add() and through add_padded() from a buffer with other bytes after them.

#include "word_table.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace {

using counts = std::map<std::string, std::uint64_t>;

counts contents(const wordcrawl::word_table& table) {
  counts out;
  table.for_each([&out](std::string_view word, std::uint64_t count) {
    EXPECT_TRUE(out.emplace(std::string(word), count).second) << "twice: " << word;
  });
  return out;
}

// Words of 0 to 40 bytes, and for each its neighbours that differ only in the last byte, or
// that are one byte longer or shorter: the cases a comparison of masked loads can get wrong.
std::vector<std::string> tricky_words() {
  std::vector<std::string> words;
  for (std::size_t n = 1; n <= 40; ++n) {
    std::string word;
    for (std::size_t i = 0; i < n; ++i) {
      word += static_cast<char>('a' + (i * 7) % 26);
    }
    words.push_back(word);
    std::string last = word;
    last.back() = 'Z';
    words.push_back(last);
    words.push_back(word + "q");
    words.push_back(word.substr(0, n - 1) + "\xD0\xB6");  // a two-byte letter at the end
  }
  words.emplace_back("a");
  words.emplace_back("a\0", 2);  // bytes the counter never makes, still kept apart
  words.emplace_back("a\0\0", 3);
  return words;
}

// word placed in a buffer with `padding` bytes after it, filled with `filler`.
std::string_view padded(std::string& buffer, std::string_view word, char filler) {
  buffer.assign(word);
  buffer.append(wordcrawl::word_table::padding, filler);
  return {buffer.data(), word.size()};
}

TEST(WordTableTest, CountsEveryWordAsAMapWouldHoweverItComes) {
  wordcrawl::word_table table;
  counts expected;
  const auto words = tricky_words();
  std::string buffer;
  for (std::size_t round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < words.size(); ++i) {
      const std::string& word = words[i];
      if (word.empty()) {
        continue;
      }
      ++expected[word];
      // Half of them through add(), the rest through add_padded() with changing bytes after.
      if ((i + round) % 2 == 0) {
        table.add(word);
      } else {
        table.add_padded(padded(buffer, word, static_cast<char>('A' + round + i % 5)));
      }
    }
  }
  EXPECT_EQ(contents(table), expected);
  EXPECT_EQ(table.size(), expected.size());
}

TEST(WordTableTest, WhatFollowsAWordInItsBufferDoesNotMakeItAnotherWord) {
  wordcrawl::word_table table;
  std::string buffer;
  for (const char filler : {'\0', 'x', '\xFF', ' '}) {
    table.add_padded(padded(buffer, "word", filler));
    table.add_padded(padded(buffer, "sixteen-bytes-ab", filler));
  }
  EXPECT_EQ(contents(table), (counts{{"word", 4}, {"sixteen-bytes-ab", 4}}));
}

TEST(WordTableTest, GrowsAndClearsWithoutLosingOrKeepingAWord) {
  wordcrawl::word_table table;
  for (int page = 0; page < 3; ++page) {
    counts expected;
    // Enough distinct words to grow the index several times, short and long.
    for (int i = 0; i < 20000; ++i) {
      std::string word = "w";  // appended, as "w" + std::string&& trips GCC 12's -Wrestrict
      word.append(std::to_string(i * 31 % 7919)).append(i % 3 == 0 ? "-long-word" : "");
      table.add(word);
      ++expected[word];
    }
    EXPECT_EQ(contents(table), expected) << "page " << page;
    const auto top = table.top(3);
    ASSERT_EQ(top.size(), 3U);
    for (std::size_t i = 1; i < top.size(); ++i) {
      EXPECT_TRUE(top[i - 1].count > top[i].count ||
                  (top[i - 1].count == top[i].count && top[i - 1].word < top[i].word));
    }
    table.clear();
    EXPECT_EQ(table.size(), 0U);
    EXPECT_TRUE(contents(table).empty());
  }
}

}  // namespace
