// page_analyzer with word options: totals, stop lists, stems, the language, the declared
// language; with the options off it answers exactly as before.

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "word_stemmer.hpp"
#include "wordcrawl/page_analyzer.hpp"

namespace wordcrawl::testing {
namespace {

std::uint64_t count_of(const std::vector<word_count>& words, std::string_view word) {
  for (const auto& entry : words) {
    if (entry.word == word) {
      return entry.count;
    }
  }
  return 0;
}

page_words analyze(std::string_view html, const word_options& options, std::size_t k = 50,
                   std::string_view content_type = "text/html; charset=utf-8") {
  page_analyzer analyzer;
  analyzer.begin(classify_content_type(content_type), content_type, options);
  analyzer.feed(html);
  return analyzer.finish_page(k);
}

constexpr std::string_view russian_page =
    "<html><body><p>История авиации в России начинается в начале двадцатого века. "
    "Авиация быстро развивалась, и в стране появились первые самолёты и лётчики. "
    "Государство поддерживало авиацию, потому что авиация была нужна для обороны и для "
    "почты. В эти годы в России строили заводы, и инженеры создавали новые машины.</p>"
    "<p>As the saying goes, the sky is the limit, and the pilots of the time knew it.</p>"
    "</body></html>";

TEST(WordStatsTest, OptionsOffAnswerExactlyAsBefore) {
  page_analyzer plain;
  plain.begin(body_kind::html, "text/html");
  plain.feed(russian_page);
  const auto before = plain.finish(10);
  const auto page = analyze(russian_page, {}, 10);
  EXPECT_EQ(page.words, before);
  EXPECT_EQ(page.lang, "") << "the language is detected only when asked for";
}

TEST(WordStatsTest, TotalsCountEveryWordBeforeFiltering) {
  word_options options;
  options.stopwords = word_options::stop_mode::listed;
  options.stop_languages = {"en"};
  const auto page = analyze("<p>the cat and the hat, the end</p>", options);
  EXPECT_EQ(page.total_words, 7U);
  EXPECT_EQ(page.distinct_words, 5U);
  EXPECT_EQ(count_of(page.words, "the"), 0U);
  EXPECT_EQ(count_of(page.words, "and"), 0U);
  EXPECT_EQ(count_of(page.words, "cat"), 1U);
  EXPECT_EQ(page.stop_languages, (std::vector<std::string>{"en"}));
}

TEST(WordStatsTest, AutoStopwordsDropEveryLanguageWithARealShare) {
  word_options options;
  options.stopwords = word_options::stop_mode::automatic;
  const auto page = analyze(russian_page, options);
  EXPECT_EQ(page.lang, "ru");
  EXPECT_EQ(count_of(page.words, "и"), 0U);
  EXPECT_EQ(count_of(page.words, "в"), 0U);
  EXPECT_EQ(count_of(page.words, "the"), 0U) << "the English quote's stop words go too";
  EXPECT_GT(count_of(page.words, "авиация"), 0U);
}

TEST(WordStatsTest, RussianStemsMergeUnderTheMostFrequentForm) {
  word_options options;
  options.stem = true;
  const auto page = analyze(russian_page, options);
  EXPECT_EQ(page.stemmed_as, "ru");
  // авиация ×2, авиации ×1, авиацию ×1: one group, shown as its most frequent form.
  EXPECT_EQ(count_of(page.words, "авиация"), 4U);
  EXPECT_EQ(count_of(page.words, "авиации"), 0U);
  EXPECT_EQ(count_of(page.words, "авиацию"), 0U);
  EXPECT_EQ(page.total_words, analyze(russian_page, {}).total_words);
}

TEST(WordStatsTest, EnglishStemsMerge) {
  word_options options;
  options.stem = true;
  const auto page = analyze(
      "<p>Connections matter. The network connects people; connected people keep connecting, "
      "and every connection makes the network stronger for the people who connect.</p>",
      options);
  ASSERT_EQ(page.stemmed_as, "en");
  EXPECT_EQ(count_of(page.words, "connections") + count_of(page.words, "connection") +
                count_of(page.words, "connected") + count_of(page.words, "connecting") +
                count_of(page.words, "connects") + count_of(page.words, "connect"),
            6U);
  EXPECT_EQ(page.words.front().count, 6U);
}

TEST(WordStatsTest, ALanguageSnowballLacksIsLeftUnstemmedAndSaysSo) {
  word_options options;
  options.stem = true;
  const auto page = analyze(
      "<p>日本語の文章です。東京は日本の首都であり、多くの人々が東京に住んでいます。"
      "東京の電車はとても便利で、毎日たくさんの人が電車に乗ります。</p>",
      options);
  EXPECT_EQ(page.lang, "ja");
  EXPECT_EQ(page.stemmed_as, "");
  EXPECT_EQ(page.not_stemmed, "no Snowball stemmer for 'ja'");
  EXPECT_GT(count_of(page.words, "東京"), 0U);
}

TEST(WordStatsTest, DeclaredLanguageFromHtmlThenContentLanguage) {
  word_options options;
  options.content_language = "de-DE, en";
  EXPECT_EQ(analyze("<html lang=\"fr\"><p>bonjour</p></html>", options).declared_lang, "fr");
  EXPECT_EQ(analyze("<p>guten Tag</p>", options).declared_lang, "de-de");
  EXPECT_EQ(analyze("<p>hello</p>", {}).declared_lang, "");
}

TEST(WordStatsTest, MainContentLeavesNavigationOut) {
  word_options options;
  options.content = content_scope::main;
  const auto page = analyze("<nav>menu menu menu</nav><main><p>story</p></main>", options);
  EXPECT_EQ(count_of(page.words, "menu"), 0U);
  EXPECT_EQ(count_of(page.words, "story"), 1U);
  EXPECT_EQ(page.total_words, 1U);
}

TEST(WordStemmerTest, KnowsWhichLanguagesSnowballHas) {
  word_stemmer stemmer;
  EXPECT_TRUE(stemmer.supports("ru"));
  EXPECT_TRUE(stemmer.supports("en"));
  EXPECT_TRUE(stemmer.supports("nb"));
  EXPECT_FALSE(stemmer.supports("ja"));
  EXPECT_FALSE(stemmer.supports(""));
  EXPECT_EQ(stemmer.stem("en", "connections"), "connect");
  EXPECT_EQ(stemmer.stem("ru", "авиации"), stemmer.stem("ru", "авиацию"));
}

}  // namespace
}  // namespace wordcrawl::testing
