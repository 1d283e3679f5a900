#include "wordcrawl/page_analyzer.hpp"

#include <stdexcept>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "html_samples.hpp"

namespace wordcrawl::testing {
namespace {

using ::testing::ElementsAre;

word_count w(std::string word, std::uint64_t n) {
  return {std::move(word), n};
}

std::vector<word_count> analyze(page_analyzer& analyzer, body_kind kind,
                                std::string_view content_type, std::string_view body,
                                std::size_t chunk, std::size_t k = 100) {
  analyzer.begin(kind, content_type);
  while (!body.empty()) {
    const std::size_t n = std::min(chunk, body.size());
    analyzer.feed(body.substr(0, n));
    body.remove_prefix(n);
  }
  return analyzer.finish(k);
}

TEST(PageAnalyzer, CountsTheVisibleWordsOfAnHtmlPage) {
  page_analyzer analyzer;
  const auto words = analyze(
      analyzer, body_kind::html, "text/html; charset=utf-8",
      "<title>Cats</title><p class=cats>Cats &amp; dogs.</p><script>cats()</script>", 1 << 20);
  EXPECT_THAT(words, ElementsAre(w("cats", 2), w("dogs", 1)));
  EXPECT_EQ(analyzer.charset(), "utf-8");
}

TEST(PageAnalyzer, PlainTextIsNotParsedAsMarkup) {
  page_analyzer analyzer;
  EXPECT_THAT(analyze(analyzer, body_kind::plain_text, "text/plain", "<b>bold</b> &amp;", 3),
              ElementsAre(w("b", 2), w("amp", 1), w("bold", 1)));
}

TEST(PageAnalyzer, DecodesTheDeclaredCharset) {
  page_analyzer analyzer;
  // "Слово слово" in windows-1251.
  const std::string body = "<p>\xD1\xEB\xEE\xE2\xEE \xF1\xEB\xEE\xE2\xEE</p>";
  EXPECT_THAT(analyze(analyzer, body_kind::html, "text/html; charset=windows-1251", body, 2),
              ElementsAre(w("слово", 2)));
  EXPECT_EQ(analyzer.charset(), "windows-1251");
}

TEST(PageAnalyzer, ResultDoesNotDependOnChunking) {
  page_analyzer analyzer;
  for (unsigned seed = 0; seed < 40; ++seed) {
    const std::string page = generate_page(seed);
    const auto whole = analyze(analyzer, body_kind::html, "text/html", page, page.size());
    EXPECT_EQ(analyze(analyzer, body_kind::html, "text/html", page, 1), whole) << seed;
    EXPECT_EQ(analyze(analyzer, body_kind::html, "text/html", page, 13), whole) << seed;
  }
}

TEST(PageAnalyzer, ReuseStartsEachPageAfresh) {
  page_analyzer analyzer;
  analyzer.begin(body_kind::html, "text/html");
  analyzer.feed("<p>first page unfinished <scr");
  EXPECT_THAT(analyze(analyzer, body_kind::html, "text/html", "second", 100),
              ElementsAre(w("second", 1)));
}

TEST(PageAnalyzer, FinishReturnsAtMostKWords) {
  page_analyzer analyzer;
  EXPECT_THAT(analyze(analyzer, body_kind::html, "", "a b b c c c", 100, 2),
              ElementsAre(w("c", 3), w("b", 2)));
}

TEST(PageAnalyzer, UnknownKindIsSniffed) {
  page_analyzer analyzer;
  EXPECT_THAT(analyze(analyzer, body_kind::unknown, "", "<p>x</p>y", 100),
              ElementsAre(w("x", 1), w("y", 1)));
  EXPECT_THAT(analyze(analyzer, body_kind::unknown, "", "<i>x</i>y", 100),
              ElementsAre(w("i", 2), w("x", 1), w("y", 1)));
}

// The first feed used to decide alone: "<" then "p>..." was read as plain text.
TEST(PageAnalyzer, SniffingWaitsForEnoughBytes) {
  page_analyzer analyzer;
  const std::string page = "<p>x</p>y";
  EXPECT_EQ(analyze(analyzer, body_kind::unknown, "", page, 1),
            analyze(analyzer, body_kind::unknown, "", page, page.size()));
}

TEST(PageAnalyzer, BinaryByteLateInTheSniffedBytesRejectsTheBody) {
  page_analyzer analyzer;
  std::string body(1000, 'a');
  body.push_back('\x01');
  analyzer.begin(body_kind::unknown, "");
  EXPECT_TRUE(analyzer.feed(body.substr(0, 10)));
  EXPECT_FALSE(analyzer.feed(body.substr(10)) && analyzer.feed(std::string(sniff_bytes, 'b')));
  EXPECT_TRUE(analyzer.binary());
  EXPECT_TRUE(analyzer.finish(10).empty());
}

TEST(PageAnalyzer, AnXmlDeclarationSniffsAsHtml) {
  page_analyzer analyzer;
  EXPECT_THAT(analyze(analyzer, body_kind::unknown, "",
                      R"(<?xml version="1.0"?><html><p class="x">word</p></html>)", 100),
              ElementsAre(w("word", 1)));
}

TEST(PageAnalyzer, NoCharsetIsReportedForAPageStillBeingSniffed) {
  page_analyzer analyzer;
  analyze(analyzer, body_kind::html, "text/html; charset=koi8-r", "<p>hello", 10);
  ASSERT_EQ(analyzer.charset(), "koi8-r");
  analyzer.begin(body_kind::unknown, "");
  analyzer.feed(std::string("\x01\x02 binary", 9));
  EXPECT_EQ(analyzer.charset(), "");
  analyzer.finish(10);
  EXPECT_TRUE(analyzer.binary());
  EXPECT_EQ(analyzer.charset(), "");
}

TEST(PageAnalyzer, BinaryBytePastTheSniffedBytesIsText) {
  page_analyzer analyzer;
  std::string body(sniff_bytes, ' ');
  body += "word\x01";
  EXPECT_THAT(analyze(analyzer, body_kind::unknown, "", body, 7), ElementsAre(w("word", 1)));
  EXPECT_FALSE(analyzer.binary());
}

TEST(PageAnalyzer, RefusesAnUnsupportedBody) {
  page_analyzer analyzer;
  EXPECT_THROW(analyzer.begin(body_kind::unsupported, "image/png"), std::invalid_argument);
}

TEST(PageAnalyzer, MovedAnalyzerKeepsWorking) {
  page_analyzer first;
  page_analyzer second(std::move(first));
  page_analyzer third;
  third = std::move(second);
  EXPECT_THAT(analyze(third, body_kind::html, "text/html", "moved", 100),
              ElementsAre(w("moved", 1)));
}

}  // namespace
}  // namespace wordcrawl::testing
