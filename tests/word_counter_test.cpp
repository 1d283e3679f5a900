#include "wordcrawl/word_counter.hpp"

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr std::size_t every_word = std::numeric_limits<std::size_t>::max();

std::vector<word_count> count(std::string_view text, std::size_t k = every_word) {
  word_counter counter;
  counter.text(text);
  counter.boundary();
  return counter.top(k);
}

word_count w(std::string word, std::uint64_t n) {
  return {std::move(word), n};
}

TEST(WordCounter, CountsAsciiWordsCaseInsensitively) {
  EXPECT_THAT(count("The cat saw THE dog; the end."),
              ElementsAre(w("the", 3), w("cat", 1), w("dog", 1), w("end", 1), w("saw", 1)));
}

TEST(WordCounter, FoldsLongMixedCaseWordsAndStopsAtTheirEnd) {
  EXPECT_THAT(count("InterNationalization INTERNATIONALIZATION,internationalization "
                    "abcdefg.HIJKLMNOP_qrstuvwxyz0123456789 Stra\u00DFenbahnHALTESTELLE"),
              ElementsAre(w("internationalization", 3), w("abcdefg", 1), w("hijklmnop", 1),
                          w("qrstuvwxyz0123456789", 1), w("stra\u00DFenbahnhaltestelle", 1)));
}

TEST(WordCounter, FoldsCyrillicCase) {
  EXPECT_THAT(count("Слово СЛОВО слово Ёлка ёлка"), ElementsAre(w("слово", 3), w("ёлка", 2)));
}

TEST(WordCounter, FoldsGreekFinalSigma) {
  EXPECT_THAT(count("ΛΟΓΟΣ λόγος λογος"), ElementsAre(w("λογοσ", 2), w("λόγοσ", 1)));
}

TEST(WordCounter, FoldsAndSegmentsBeyondTheBasicPlane) {
  // Deseret capitals fold to their small letters; U+20000 is a Han ideograph.
  EXPECT_THAT(count("\U00010400\U00010401 \U00010428\U00010429 \U00020000"),
              ElementsAre(w("\U00010428\U00010429", 2), w("\U00020000", 1)));
}

TEST(WordCounter, SegmentsJapaneseKanaAndKanji) {
  EXPECT_THAT(count("日本語のテキスト"), ElementsAre(w("の", 1), w("テキスト", 1), w("日本語", 1)));
}

TEST(WordCounter, SegmentsChinese) {
  EXPECT_THAT(count("中文分词测试"), ElementsAre(w("中文", 1), w("分词", 1), w("测试", 1)));
}

TEST(WordCounter, CountsSpacelessTextSeenOnAnEarlierPageTheSame) {
  // Short pieces cut on the first page are remembered; longer ones are cut again.
  const std::string page =
      "前一頁 下一頁 日本語のテキスト。中文分词测试、中文分词测试 "
      "这是一个很长的句子用来测试超过缓存长度的片段是否仍然被正确地切分成词语";
  word_counter counter;
  counter.text(page);
  counter.boundary();
  const auto first = counter.top(every_word);
  EXPECT_EQ(first, count(page));
  counter.reset();
  counter.text(page);
  counter.boundary();
  EXPECT_EQ(counter.top(every_word), first);
}

TEST(WordCounter, SegmentsThai) {
  EXPECT_THAT(count("ภาษาไทยง่ายนิดเดียว"),
              ElementsAre(w("ง่าย", 1), w("นิด", 1), w("ภาษา", 1), w("เดียว", 1), w("ไทย", 1)));
}

TEST(WordCounter, CutsSpacelessScriptOutOfAMixedRun) {
  EXPECT_THAT(count("iPhone用 2020年"), ElementsAre(w("iphone", 1), w("年", 1), w("用", 1)));
}

TEST(WordCounter, KeepsPersianZeroWidthNonJoinerInsideAWord) {
  EXPECT_THAT(count("می\u200Cخواهم"), ElementsAre(w("می\u200Cخواهم", 1)));
}

TEST(WordCounter, DropsJoinersAtTheEdgesOfARun) {
  EXPECT_THAT(count("\u200Dab\u200C cd\u200D\u200C"), ElementsAre(w("ab", 1), w("cd", 1)));
}

TEST(WordCounter, ApostrophesOfBothKindsJoinAndCountTogether) {
  EXPECT_THAT(count("don't don\u2019t DON'T"), ElementsAre(w("don't", 3)));
}

TEST(WordCounter, ApostropheOutsideAWordIsNotPartOfIt) {
  EXPECT_THAT(count("'tis dogs' a''b '"),
              ElementsAre(w("a", 1), w("b", 1), w("dogs", 1), w("tis", 1)));
}

TEST(WordCounter, NumbersAreNotWords) {
  EXPECT_THAT(count("2024 3.14 1,000 ٣٤"), IsEmpty());
  EXPECT_THAT(count("x2 2x"), ElementsAre(w("2x", 1), w("x2", 1)));
}

TEST(WordCounter, CombiningMarksStayInTheWord) {
  EXPECT_THAT(count("cafe\u0301 CAFE\u0301"), ElementsAre(w("cafe\u0301", 2)));
}

TEST(WordCounter, PunctuationAndSymbolsSeparateWords) {
  EXPECT_THAT(count("a-b_c€d\u00A0e"),
              ElementsAre(w("a", 1), w("b", 1), w("c", 1), w("d", 1), w("e", 1)));
}

TEST(WordCounter, TiesAreOrderedByCodePoint) {
  EXPECT_THAT(count("zeta Alpha ÉCOLE beta alpha zeta école beta"),
              ElementsAre(w("alpha", 2), w("beta", 2), w("zeta", 2), w("école", 2)));
}

TEST(WordCounter, TopKeepsOnlyTheKMostFrequent) {
  EXPECT_THAT(count("c b a b c c", 2), ElementsAre(w("c", 3), w("b", 2)));
  EXPECT_THAT(count("c b a", 0), IsEmpty());
}

TEST(WordCounter, AWordMaySpanTextCalls) {
  word_counter counter;
  counter.text("hel");
  counter.text("lo wo");
  counter.text("rld");
  counter.boundary();
  EXPECT_THAT(counter.top(every_word), ElementsAre(w("hello", 1), w("world", 1)));
}

TEST(WordCounter, BoundarySplitsAWord) {
  word_counter counter;
  counter.text("hel");
  counter.boundary();
  counter.text("lo");
  counter.boundary();
  EXPECT_THAT(counter.top(every_word), ElementsAre(w("hel", 1), w("lo", 1)));
}

TEST(WordCounter, ACodePointMaySpanTextCalls) {
  const std::string text = "Слово δρόμος 日本語のテキスト don\u2019t";
  word_counter counter;
  for (const char byte : text) {
    counter.text({&byte, 1});
  }
  counter.boundary();
  EXPECT_EQ(counter.top(every_word), count(text));
}

TEST(WordCounter, InvalidUtf8SeparatesWords) {
  EXPECT_THAT(count("ab\xFF"
                    "cd\xC3"
                    "ef\xE2\x82"
                    "gh\xED\xA0\x80"
                    "ij"),
              ElementsAre(w("ab", 1), w("cd", 1), w("ef", 1), w("gh", 1), w("ij", 1)));
}

TEST(WordCounter, CodePointCutByABoundaryIsInvalid) {
  word_counter counter;
  counter.text("ab\xD0");
  counter.boundary();
  counter.text(
      "\xA1"
      "cd");
  counter.boundary();
  EXPECT_THAT(counter.top(every_word), ElementsAre(w("ab", 1), w("cd", 1)));
}

TEST(WordCounter, CutsRunsLongerThanTheLimit) {
  const std::string run(word_counter::max_run_bytes + 10, 'a');
  // Equal counts: the shorter word sorts first.
  EXPECT_THAT(count(run), ElementsAre(w(std::string(10, 'a'), 1),
                                      w(std::string(word_counter::max_run_bytes, 'a'), 1)));
}

TEST(WordCounter, CutsLongNonAsciiRunsAtACodePoint) {
  std::string run;
  while (run.size() < word_counter::max_run_bytes + 3) {
    run += "ж";
  }
  const auto words = count(run + "'x");
  ASSERT_EQ(words.size(), 2U);
  EXPECT_EQ(words[0].word.size() + words[1].word.size(), run.size() + 2);
}

TEST(WordCounter, ResetForgetsCountsAndTheUnfinishedWord) {
  word_counter counter;
  counter.text("one two thr");
  counter.reset();
  counter.text("ee");
  counter.boundary();
  EXPECT_THAT(counter.top(every_word), ElementsAre(w("ee", 1)));
}

TEST(WordCounter, SmallPageAfterAHugeOneCountsCorrectly) {
  word_counter counter;
  std::string text;
  for (int i = 0; i < 50000; ++i) {
    text += "w" + std::to_string(i) + " ";
  }
  counter.text(text);
  counter.boundary();
  EXPECT_EQ(counter.top(every_word).size(), 50000U);
  counter.reset();
  counter.text("small page small");
  counter.boundary();
  EXPECT_THAT(counter.top(every_word), ElementsAre(w("small", 2), w("page", 1)));
}

TEST(WordCounter, CountsManyDistinctWords) {
  word_counter counter;
  std::string text;
  for (int i = 0; i < 20000; ++i) {
    text += "w";
    for (int n = i; n > 0; n /= 10) {
      text += static_cast<char>('a' + n % 10);
    }
    text += " common ";
  }
  counter.text(text);
  counter.boundary();
  EXPECT_EQ(counter.top(every_word).size(), 20001U);
  EXPECT_THAT(counter.top(2), ElementsAre(w("common", 20000), w("w", 1)));
}

std::map<std::string, std::uint64_t> words_of(word_counter& counter) {
  std::map<std::string, std::uint64_t> words;
  counter.for_each_word(
      [&words](std::string_view word, std::uint64_t n) { words.emplace(word, n); });
  return words;
}

// Short pieces are gathered before they are read and long ones read at once; either way,
// pieces and boundaries count as the text they make with a space for each boundary, read in
// one call, wherever the pieces and boundaries fall (in a word, an apostrophe, a code point).
TEST(WordCounter, PiecesAndBoundariesCountAsTheirWholeText) {
  const std::vector<std::string> pieces{"a",
                                        "bc ",
                                        "d'",
                                        "s",
                                        "\xD0\xB6",
                                        "\xD0",
                                        "\xB6x",
                                        " ",
                                        "\xC3\x89t\xC3\xA9",
                                        "\xE2\x80\x8D",
                                        "\xD1\x91\xD0\xBB\xD0\xBA\xD0\xB0",
                                        "x'y z",
                                        std::string(3000, 'q'),
                                        std::string(5000, 'r') + " s",
                                        std::string(9000, 'z') + " "};
  word_counter gathered;
  std::string whole;
  std::uint32_t state = 1;
  for (int i = 0; i < 4000; ++i) {
    state = state * 1103515245U + 12345U;
    const std::string& piece = pieces.at((state >> 16U) % pieces.size());
    gathered.text(piece);
    whole += piece;
    if ((state >> 8U) % 3 == 0) {
      gathered.boundary();
      whole += ' ';
    }
  }
  gathered.boundary();
  word_counter at_once;
  at_once.text(whole);
  at_once.boundary();
  const auto expected = words_of(at_once);
  EXPECT_GT(expected.size(), 10U);
  EXPECT_EQ(words_of(gathered), expected);
}

}  // namespace
}  // namespace wordcrawl::testing
