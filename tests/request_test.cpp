// Request lines: a bare URL as always, or a JSON object with word-statistics options.

#include "wordcrawl/request.hpp"

#include <string>
#include <variant>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

request parsed(std::string_view line) {
  auto result = parse_request(line);
  EXPECT_TRUE(std::holds_alternative<request>(result)) << line;
  return std::holds_alternative<request>(result) ? std::get<request>(result) : request{};
}

request_error rejected(std::string_view line) {
  auto result = parse_request(line);
  EXPECT_TRUE(std::holds_alternative<request_error>(result)) << line;
  return std::holds_alternative<request_error>(result) ? std::get<request_error>(result)
                                                       : request_error{};
}

TEST(RequestTest, ABareUrlIsARequestWithoutOptions) {
  const auto r = parsed("https://example.org/a?b={c}");
  EXPECT_EQ(r.url, "https://example.org/a?b={c}");
  EXPECT_TRUE(r.options.empty());
  EXPECT_FALSE(r.json);
}

TEST(RequestTest, AJsonObjectCarriesEveryOption) {
  const auto r = parsed(
      R"({"url": "https://example.org/", "stopwords": "auto", "stem": true, "content": "main", "k": 20})");
  EXPECT_EQ(r.url, "https://example.org/");
  EXPECT_TRUE(r.json);
  EXPECT_EQ(r.options.stopwords, (stopword_choice{stopword_choice::mode::automatic, {}}));
  EXPECT_EQ(r.options.stem, true);
  EXPECT_EQ(r.options.content, content_choice::main);
  EXPECT_EQ(r.options.k, 20U);
}

TEST(RequestTest, OptionsLeftOutStayUnset) {
  const auto r = parsed(R"({"url": "http://a.test/"})");
  EXPECT_TRUE(r.json);
  EXPECT_TRUE(r.options.empty());
}

TEST(RequestTest, StopwordListsAreLowercasedCodes) {
  const auto r = parsed(R"({"url": "http://a.test/", "stopwords": "EN, ru"})");
  EXPECT_EQ(r.options.stopwords, (stopword_choice{stopword_choice::mode::listed, {"en", "ru"}}));
  EXPECT_EQ(to_string(*r.options.stopwords), "en,ru");
  EXPECT_EQ(parse_stopwords("none"), stopword_choice{});
}

TEST(RequestTest, UnknownKeysAreErrorsNamingTheKey) {
  const auto e = rejected(R"({"url": "http://a.test/", "stop": "auto"})");
  EXPECT_EQ(e.url, "http://a.test/");
  EXPECT_EQ(e.error.kind, error_kind::bad_request);
  EXPECT_NE(e.error.message.find("unknown key \"stop\""), std::string::npos) << e.error.message;
}

TEST(RequestTest, BadValuesAreErrorsNamingTheKey) {
  for (const auto* line :
       {R"({"url": "http://a.test/", "k": 0})", R"({"url": "http://a.test/", "k": -3})",
        R"({"url": "http://a.test/", "k": 2.5})", R"({"url": "http://a.test/", "k": "7"})",
        R"({"url": "http://a.test/", "stem": "yes"})",
        R"({"url": "http://a.test/", "content": "body"})",
        R"({"url": "http://a.test/", "stopwords": "english"})",
        R"({"url": "http://a.test/", "stopwords": "en,,ru"})",
        R"({"url": "http://a.test/", "stopwords": 1})"}) {
    const auto e = rejected(line);
    EXPECT_EQ(e.error.kind, error_kind::bad_request) << line;
    EXPECT_EQ(e.url, "http://a.test/") << line;
    EXPECT_EQ(e.error.message.rfind("bad request: bad \"", 0), 0U) << e.error.message;
  }
}

TEST(RequestTest, AnObjectWithoutAStringUrlIsAnErrorForTheWholeLine) {
  for (const auto* line :
       {R"({"k": 3})", R"({"url": 5})", R"({"url": "http://a.test/")", R"({not json})", "{"}) {
    const auto e = rejected(line);
    EXPECT_EQ(e.error.kind, error_kind::bad_request) << line;
    EXPECT_EQ(e.url, line);
  }
}

TEST(RequestTest, EncodedRequestsParseBackToTheSameOptions) {
  EXPECT_EQ(encode_request("http://a.test/", {}), "http://a.test/\n");
  word_options_request options;
  options.stopwords = stopword_choice{stopword_choice::mode::listed, {"de", "fr"}};
  options.stem = false;
  options.content = content_choice::main;
  options.k = 3;
  const auto line = encode_request("http://a.test/ü", options);
  ASSERT_EQ(line.back(), '\n');
  const std::string_view text = line;
  const auto r = parsed(text.substr(0, text.size() - 1));
  EXPECT_EQ(r.url, "http://a.test/ü");
  EXPECT_EQ(r.options, options);
}

}  // namespace
}  // namespace wordcrawl::testing
