#include "wordcrawl/protocol.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {

using wordcrawl::encode_error_reply;
using wordcrawl::encode_words_reply;
using wordcrawl::fetch_details;
using wordcrawl::format_answer;
using wordcrawl::format_words;
using wordcrawl::parse_reply;
using wordcrawl::reply;
using wordcrawl::url_from_line;
using wordcrawl::word_count;

TEST(Protocol, BlankLinesCarryNoUrl) {
  EXPECT_FALSE(url_from_line("").has_value());
  EXPECT_FALSE(url_from_line(" \t\r").has_value());
  EXPECT_EQ(url_from_line(" http://a/ \r"), "http://a/");
}

TEST(Protocol, WordsReplyKeepsTopKOrderAndRoundTrips) {
  const std::vector<word_count> words{{"zebra", 10}, {"apple", 5}, {"слово", 5}};
  fetch_details details;
  details.status = 200;
  details.final_url = "http://a/final";
  details.bytes = 1234;
  details.charset = "windows-1251";
  const auto line = encode_words_reply("http://a/", words, details);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one reply is one line";
  EXPECT_LT(line.find("zebra"), line.find("apple")) << "order must follow the counts";

  const auto parsed = parse_reply(line);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->url, "http://a/");
  EXPECT_FALSE(parsed->error.has_value());
  EXPECT_EQ(parsed->words, words);
}

TEST(Protocol, ErrorReplyIsDistinguishableFromAPageAboutErrors) {
  const auto error = parse_reply(encode_error_reply("http://a/", "HTTP 404"));
  ASSERT_TRUE(error.has_value());
  ASSERT_TRUE(error->error.has_value());
  EXPECT_EQ(*error->error, "HTTP 404");

  const auto page = parse_reply(encode_words_reply("http://a/", {{"error", 3}}, {}));
  ASSERT_TRUE(page.has_value());
  EXPECT_FALSE(page->error.has_value());
  EXPECT_EQ(page->words.front().word, "error");
}

TEST(Protocol, InvalidUtf8InUrlStillGivesValidJson) {
  const std::string bad_url = "http://a/\xff\xfe";
  const auto parsed = parse_reply(encode_error_reply(bad_url, "invalid UTF-8"));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->url, "http://a/\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(Protocol, RejectsMalformedReplies) {
  EXPECT_FALSE(parse_reply("not json").has_value());
  EXPECT_FALSE(parse_reply("[1,2]").has_value());
  EXPECT_FALSE(parse_reply(R"({"words": {}})").has_value());
  EXPECT_FALSE(parse_reply(R"({"url": "u"})").has_value());
  EXPECT_FALSE(parse_reply(R"({"url": "u", "words": {"a": -1}})").has_value());
  EXPECT_FALSE(parse_reply(R"({"url": "u", "words": {"a": "1"}})").has_value());
  EXPECT_FALSE(parse_reply(R"({"url": "u", "error": 5})").has_value());
  EXPECT_FALSE(parse_reply(R"({"url": 5, "error": "x"})").has_value());
}

TEST(Protocol, AnswerLinesAsTheClientPrintsThem) {
  reply ok{"http://a/", {{"word1", 10}, {"word2", 5}}, std::nullopt};
  EXPECT_EQ(format_answer(ok), R"(http://a/: {"word1": 10, "word2": 5})");
  reply empty{"http://b/", {}, std::nullopt};
  EXPECT_EQ(format_answer(empty), "http://b/: {}");
  reply failed{"http://c/", {}, std::string("HTTP 404")};
  EXPECT_EQ(format_answer(failed), "http://c/: error: HTTP 404");
  reply quoted{"u", {{"say\"", 1}, {"ё", 2}}, std::nullopt};
  EXPECT_EQ(format_words(quoted.words), R"({"say\"": 1, "ё": 2})");
}

}  // namespace
