#include "wordcrawl/stop_words.hpp"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wordcrawl/word_counter.hpp"

namespace wordcrawl::testing {
namespace {

using ::testing::IsNull;
using ::testing::NotNull;

constexpr std::size_t every_word = std::numeric_limits<std::size_t>::max();

// The words the counter makes of text, as a page's answer would hold them.
std::vector<word_count> count(word_counter& counter, std::string_view text) {
  counter.reset();
  counter.text(text);
  counter.boundary();
  return counter.top(every_word);
}

std::string only_word(std::string_view text) {
  word_counter counter;
  const auto words = count(counter, text);
  return words.size() == 1 ? words.front().word : std::string{};
}

// True if language has a list and text, counted as a page would be, is one word on it.
bool is_stop_word(std::string_view language, std::string_view text) {
  const stop_list* list = find_stop_list(language);
  return list != nullptr && list->contains(only_word(text));
}

TEST(StopWords, FindsLatinScriptStopWords) {
  EXPECT_TRUE(is_stop_word("en", "the"));
  EXPECT_TRUE(is_stop_word("de", "und"));
  EXPECT_TRUE(is_stop_word("fr", "le"));
}

TEST(StopWords, FindsCyrillicStopWords) {
  EXPECT_TRUE(is_stop_word("ru", "и"));
  EXPECT_TRUE(is_stop_word("ru", "что"));
}

TEST(StopWords, FindsGreekStopWords) {
  EXPECT_TRUE(is_stop_word("el", "και"));
  EXPECT_TRUE(is_stop_word("el", "το"));
}

TEST(StopWords, FindsArabicStopWords) {
  EXPECT_TRUE(is_stop_word("ar", "في"));
  EXPECT_TRUE(is_stop_word("ar", "من"));
}

TEST(StopWords, FindsPersianStopWordsWithTheirJoiner) {
  EXPECT_TRUE(is_stop_word("fa", "از"));
  // ZWNJ stays inside a word, so the entry is one word with it.
  EXPECT_TRUE(is_stop_word("fa", "می\u200cشود"));
}

TEST(StopWords, FindsChineseStopWords) {
  EXPECT_TRUE(is_stop_word("zh", "的"));
  EXPECT_TRUE(is_stop_word("zh", "我们"));
}

TEST(StopWords, FindsJapaneseStopWords) {
  EXPECT_TRUE(is_stop_word("ja", "の"));
  EXPECT_TRUE(is_stop_word("ja", "これ"));
}

TEST(StopWords, FindsKoreanStopWords) {
  EXPECT_TRUE(is_stop_word("ko", "그리고"));
}

TEST(StopWords, FindsThaiStopWords) {
  EXPECT_TRUE(is_stop_word("th", "และ"));
  EXPECT_TRUE(is_stop_word("th", "ของ"));
}

TEST(StopWords, DoesNotFindContentWords) {
  EXPECT_FALSE(is_stop_word("ru", "авиация"));
  EXPECT_FALSE(is_stop_word("en", "aviation"));
  EXPECT_FALSE(is_stop_word("de", "flugzeug"));
}

TEST(StopWords, MatchesWhateverCaseThePageUses) {
  EXPECT_TRUE(is_stop_word("en", "THE"));
  EXPECT_TRUE(is_stop_word("de", "Und"));
  EXPECT_TRUE(is_stop_word("ru", "ЧТО"));
}

TEST(StopWords, HoldsEntriesInFoldedForm) {
  // The source spells "ένας" with a final sigma; simple case folding makes it σ, as it does
  // in every page, so the page's word is found and the unfolded spelling is not stored.
  EXPECT_TRUE(is_stop_word("el", "ένας"));
  EXPECT_TRUE(is_stop_word("el", "ΈΝΑΣ"));
  EXPECT_TRUE(find_stop_list("el")->contains("ένασ"));
  EXPECT_FALSE(find_stop_list("el")->contains("ένας"));
}

TEST(StopWords, KeepsSharpSAsSimpleFoldingDoes) {
  // Simple folding leaves ß alone (full folding would make it "ss").
  EXPECT_TRUE(is_stop_word("de", "daß"));
  EXPECT_FALSE(find_stop_list("de")->contains("dass"));
}

TEST(StopWords, StoresTheApostropheAsTheCounterDoes) {
  // Breton entries such as "oc'h": a typographic apostrophe in the page is the same word.
  EXPECT_TRUE(is_stop_word("br", "oc'h"));
  EXPECT_TRUE(is_stop_word("br", "oc\u2019h"));
}

TEST(StopWords, AcceptsNoForNorwegian) {
  const stop_list* bokmal = find_stop_list("nb");
  ASSERT_THAT(bokmal, NotNull());
  EXPECT_EQ(find_stop_list("no"), bokmal);
  EXPECT_EQ(bokmal->language(), "nb");
  EXPECT_TRUE(bokmal->contains("og"));
}

TEST(StopWords, HasNoListForUnknownCodes) {
  EXPECT_THAT(find_stop_list("xx"), IsNull());
  EXPECT_THAT(find_stop_list(""), IsNull());
  EXPECT_THAT(find_stop_list("eng"), IsNull());
  EXPECT_THAT(find_stop_list("e"), IsNull());
  EXPECT_THAT(find_stop_list("zz"), IsNull());
}

TEST(StopWords, CoversEveryHandbookLanguageAndThai) {
  for (const std::string_view code :
       {"ar", "ca", "cs", "da", "de", "el", "en", "es", "fa", "fr", "hr", "id", "it",
        "ja", "ko", "nb", "nl", "pl", "pt", "ro", "ru", "sv", "tr", "vi", "zh", "th"}) {
    const stop_list* list = find_stop_list(code);
    ASSERT_THAT(list, NotNull()) << code;
    EXPECT_EQ(list->language(), code);
  }
}

TEST(StopWords, ListsEveryLanguageSortedAndNotEmpty) {
  const auto languages = stop_list_languages();
  EXPECT_GE(languages.size(), 27U);
  EXPECT_TRUE(std::is_sorted(languages.begin(), languages.end()));
  for (const std::string_view code : languages) {
    const stop_list* list = find_stop_list(code);
    ASSERT_THAT(list, NotNull()) << code;
    EXPECT_EQ(list->language(), code);
    EXPECT_GT(list->size(), 20U) << code;
    EXPECT_EQ(list->size(), list->words().size()) << code;
    // contains() binary-searches: each list must be strictly ascending in byte order.
    EXPECT_TRUE(std::adjacent_find(list->words().begin(), list->words().end(),
                                   [](std::string_view a, std::string_view b) { return a >= b; }) ==
                list->words().end())
        << code;
  }
}

TEST(StopWords, AnswersFromManyThreadsAtOnce) {
  // The tables are constant data: concurrent lookups need no lock (run under TSan too).
  constexpr int thread_count = 4;
  std::vector<int> found(thread_count, 0);
  std::vector<std::thread> threads;
  threads.reserve(thread_count);
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&found, t] {
      for (int i = 0; i < 1000; ++i) {
        const stop_list* list = find_stop_list(i % 2 == 0 ? "en" : "ru");
        found.at(static_cast<std::size_t>(t)) +=
            list->contains("the") || list->contains("и") ? 1 : 0;
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(found, std::vector<int>(thread_count, 1000));
}

// Text of these lists is cut by ICU's dictionary word breaker, which may cut an entry.
bool is_spaceless(std::string_view code) {
  return code == "ja" || code == "th" || code == "zh";
}

// The generator's rules (tools/stop_words.py) must agree with the counter: every entry,
// counted as page text, comes back unchanged as exactly one word. The breaker may cut an
// entry of a spaceless script, or leave out a stray mark it does not count as a word, but
// what it keeps is still the entry's own text: folding agrees there too.
TEST(StopWords, EveryEntryIsAWordTheCounterEmits) {
  word_counter counter;
  for (const std::string_view code : stop_list_languages()) {
    for (const std::string_view entry : find_stop_list(code)->words()) {
      const auto words = count(counter, entry);
      if (!is_spaceless(code)) {
        ASSERT_EQ(words.size(), 1U) << code << " " << entry;
        EXPECT_EQ(words.front().word, entry) << code;
        continue;
      }
      ASSERT_FALSE(words.empty()) << code << " " << entry;
      for (const word_count& piece : words) {
        EXPECT_NE(entry.find(piece.word), std::string_view::npos) << code << " " << entry;
      }
    }
  }
}

}  // namespace
}  // namespace wordcrawl::testing
