#include "wordcrawl/protocol.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace wordcrawl::testing {
namespace {

page_result words_result(std::vector<word_count> words) {
  return page_result{.words = std::move(words)};
}

TEST(Protocol, BlankLinesCarryNoUrl) {
  EXPECT_FALSE(url_from_line("").has_value());
  EXPECT_FALSE(url_from_line(" \t\r").has_value());
  EXPECT_EQ(url_from_line(" http://a/ \r"), "http://a/");
}

TEST(Protocol, WordsReplyKeepsTopKOrderAndRoundTrips) {
  page_result sent = words_result({{"zebra", 10}, {"apple", 5}, {"слово", 5}});
  sent.details = {.status = 200,
                  .final_url = "http://a/final",
                  .bytes = 1234,
                  .elapsed_ms = 7,
                  .charset = "windows-1251"};
  const auto line = encode_reply("http://a/", sent);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << "one reply is one line";
  EXPECT_LT(line.find("zebra"), line.find("apple")) << "order must follow the counts";
  EXPECT_EQ(line.find("truncated"), std::string::npos) << line;

  const auto parsed = parse_reply(line);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->url, "http://a/");
  EXPECT_TRUE(parsed->result.ok());
  EXPECT_EQ(parsed->result.words, sent.words);
  EXPECT_EQ(parsed->result.details.status, 200);
  EXPECT_EQ(parsed->result.details.final_url, "http://a/final");
  EXPECT_EQ(parsed->result.details.bytes, 1234U);
  EXPECT_EQ(parsed->result.details.elapsed_ms, 7U);
  EXPECT_EQ(parsed->result.details.charset, "windows-1251");
  EXPECT_FALSE(parsed->result.truncated);
}

TEST(Protocol, ErrorReplyCarriesItsKind) {
  const auto line =
      encode_reply("http://a/", page_result::failure(error_kind::http_status, "HTTP 404"));
  EXPECT_EQ(line, R"({"url":"http://a/","error":"HTTP 404","kind":"http_status"})"
                  "\n");
  const auto error = parse_reply(line);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->result.error, (page_error{error_kind::http_status, "HTTP 404"}));
}

TEST(Protocol, EveryKindRoundTripsByName) {
  for (int i = 0; i <= static_cast<int>(error_kind::quota); ++i) {
    const auto kind = static_cast<error_kind>(i);
    EXPECT_EQ(error_kind_from_string(to_string(kind)), kind) << to_string(kind);
    const auto parsed = parse_reply(encode_reply("u", page_result::failure(kind, "m")));
    ASSERT_TRUE(parsed && parsed->result.error);
    EXPECT_EQ(parsed->result.error->kind, kind);
  }
  EXPECT_FALSE(error_kind_from_string("no such kind").has_value());
}

TEST(Protocol, AnErrorWithoutAKnownKindIsInternal) {
  const auto old_server = parse_reply(R"({"url": "u", "error": "x"})");
  ASSERT_TRUE(old_server && old_server->result.error);
  EXPECT_EQ(old_server->result.error->kind, error_kind::internal);
  const auto newer_server =
      parse_reply(R"({"url": "u", "error": "x", "kind": "not_invented_yet"})");
  ASSERT_TRUE(newer_server && newer_server->result.error);
  EXPECT_EQ(newer_server->result.error->kind, error_kind::internal);
}

TEST(Protocol, ErrorReplyIsDistinguishableFromAPageAboutErrors) {
  const auto page = parse_reply(encode_reply("http://a/", words_result({{"error", 3}})));
  ASSERT_TRUE(page.has_value());
  EXPECT_TRUE(page->result.ok());
  EXPECT_EQ(page->result.words.front().word, "error");
}

TEST(Protocol, InvalidUtf8InUrlStillGivesValidJson) {
  const std::string bad_url = "http://a/\xff\xfe";
  const auto parsed =
      parse_reply(encode_reply(bad_url, page_result::failure(error_kind::bad_request, "bad")));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->url, "http://a/\xEF\xBF\xBD\xEF\xBF\xBD");
}

// A huge -k on a page of long words used to give a reply the client refused.
TEST(Protocol, AReplyOverTheLimitDropsTheTailAndSaysSo) {
  std::vector<word_count> words;
  for (std::uint64_t i = 0; i < 40; ++i) {
    words.push_back(
        {std::string(64 * 1024 - 1, static_cast<char>('a' + i % 26)) + std::to_string(i),
         1000 - i});
  }
  const auto line = encode_reply("http://a/", words_result(words));
  EXPECT_LE(line.size(), max_reply_bytes + 1);
  const auto parsed = parse_reply(line);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->result.truncated);
  const auto& kept = parsed->result.words;
  ASSERT_GT(kept.size(), 10U);
  ASSERT_LT(kept.size(), words.size());
  EXPECT_TRUE(std::equal(kept.begin(), kept.end(), words.begin())) << "the head is kept in order";
  // Filled up to the limit: one more word would not have fitted.
  EXPECT_GT(line.size() + words[kept.size()].word.size(), max_reply_bytes);
}

TEST(Protocol, ManyShortWordsFillTheLimitExactlyAsEncoded) {
  std::vector<word_count> words;
  for (std::uint64_t i = 0; i < 200000; ++i) {
    words.push_back({"w\"\\\x01" + std::to_string(i), 1});  // escapes make bytes grow
  }
  const auto line = encode_reply("http://a/", words_result(words));
  EXPECT_LE(line.size(), max_reply_bytes + 1);
  EXPECT_GT(line.size(), max_reply_bytes - 64);
  const auto parsed = parse_reply(line);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(parsed->result.truncated);
}

TEST(Protocol, AVeryLongRedirectTargetIsDroppedBeforeAnyWord) {
  page_result result = words_result({{"word", 1}});
  result.details.final_url = "http://a/" + std::string(max_reply_bytes, 'x');
  const auto line = encode_reply("http://a/", result);
  EXPECT_LE(line.size(), max_reply_bytes + 1);
  const auto parsed = parse_reply(line);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->result.words, result.words);
  EXPECT_TRUE(parsed->result.details.final_url.empty());
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
  const reply ok{"http://a/", words_result({{"word1", 10}, {"word2", 5}})};
  EXPECT_EQ(format_answer(ok), R"(http://a/: {"word1": 10, "word2": 5})");
  const reply empty{"http://b/", {}};
  EXPECT_EQ(format_answer(empty), "http://b/: {}");
  const reply failed{"http://c/", page_result::failure(error_kind::http_status, "HTTP 404")};
  EXPECT_EQ(format_answer(failed), "http://c/: error: HTTP 404");
  EXPECT_EQ(format_words({{"say\"", 1}, {"ё", 2}}), R"({"say\"": 1, "ё": 2})");
}

}  // namespace
}  // namespace wordcrawl::testing
