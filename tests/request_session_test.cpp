// Request lines with word-statistics options, through a real session: JSON objects are
// resolved against the server's defaults, and bad ones are answered, never dropped.

#include <string>

#include <gtest/gtest.h>

#include "server_harness.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

reply parsed(const std::optional<std::string>& line) {
  EXPECT_TRUE(line.has_value());
  auto answer = line ? parse_reply(*line) : std::nullopt;
  EXPECT_TRUE(answer.has_value()) << line.value_or("(no line)");
  return answer.value_or(reply{});
}

// {"url": "<url>"<rest>}\n, built by appending (GCC 12 warns falsely on long + chains).
std::string json_line(const std::string& target, std::string_view rest = {}) {
  std::string line = R"({"url": ")";
  line.append(target).append("\"").append(rest).append("}\n");
  return line;
}

class RequestSessionTest : public ServerTest {};

TEST_F(RequestSessionTest, ABareUrlKeepsTheServerDefaults) {
  options_.top_k = 7;
  start();
  auto client = connect();
  client.send(url(1) + "\n");
  EXPECT_TRUE(parsed(client.read_line()).result.ok());
  const auto settings = fakes().settings();
  ASSERT_EQ(settings.size(), 1U);
  EXPECT_EQ(settings[0].k, 7U);
  EXPECT_EQ(settings[0].words.stopwords, word_options::stop_mode::none);
  EXPECT_FALSE(settings[0].words.stem);
  EXPECT_EQ(settings[0].words.content, content_scope::all);
  EXPECT_FALSE(settings[0].words.needs_language()) << "a plain request costs what it always did";
}

TEST_F(RequestSessionTest, AJsonRequestCarriesItsOptionsToTheWorker) {
  start();
  auto client = connect();
  client.send(
      json_line(url(2), R"(, "stopwords": "en,ru", "stem": true, "content": "main", "k": 20)"));
  EXPECT_EQ(parsed(client.read_line()).url, url(2));
  const auto settings = fakes().settings();
  ASSERT_EQ(settings.size(), 1U);
  EXPECT_EQ(settings[0].k, 20U);
  EXPECT_EQ(settings[0].words.stopwords, word_options::stop_mode::listed);
  EXPECT_EQ(settings[0].words.stop_languages, (std::vector<std::string>{"en", "ru"}));
  EXPECT_TRUE(settings[0].words.stem);
  EXPECT_EQ(settings[0].words.content, content_scope::main);
  EXPECT_TRUE(settings[0].words.detect_language);
}

TEST_F(RequestSessionTest, ServerDefaultsApplyToWhatARequestLeavesOut) {
  options_.words.stopwords = stopword_choice{stopword_choice::mode::automatic, {}};
  options_.words.content = content_choice::main;
  start();
  auto client = connect();
  auto lines = json_line(url(3), R"(, "stopwords": "none")");
  lines.append(url(4)).append("\n");
  client.send(lines);
  EXPECT_EQ(client.read_lines(2).size(), 2U);
  const auto settings = fakes().settings();
  ASSERT_EQ(settings.size(), 2U);
  for (const auto& s : settings) {
    EXPECT_EQ(s.words.content, content_scope::main);
  }
  const auto none = settings[0].words.stopwords == word_options::stop_mode::none ? 0 : 1;
  EXPECT_EQ(settings[static_cast<std::size_t>(none)].words.stopwords,
            word_options::stop_mode::none);
  EXPECT_EQ(settings[static_cast<std::size_t>(1 - none)].words.stopwords,
            word_options::stop_mode::automatic);
}

TEST_F(RequestSessionTest, BadRequestsAreAnsweredAndTheNextLineIsServed) {
  options_.words.max_k = 50;
  start();
  auto client = connect();
  const std::string good = url(9);
  std::string sent = json_line("http://a.test/", R"(, "colour": "blue")");
  sent.append(json_line("http://a.test/", R"(, "k": 51)"));
  sent.append(json_line("http://a.test/", R"(, "stopwords": "xx")"));
  sent.append(json_line("ftp://a.test/"));
  sent.append("{broken\n").append(good).append("\n");
  client.send(sent);
  const auto lines = client.read_lines(6);
  ASSERT_EQ(lines.size(), 6U);
  int errors = 0;
  for (const auto& line : lines) {
    const auto answer = parsed(line);
    if (answer.url == good) {
      EXPECT_TRUE(answer.result.ok());
      continue;
    }
    ++errors;
    ASSERT_TRUE(answer.result.error) << line;
    EXPECT_TRUE(answer.result.error->kind == error_kind::bad_request ||
                answer.result.error->kind == error_kind::unsupported_scheme)
        << line;
  }
  EXPECT_EQ(errors, 5);
  EXPECT_EQ(fakes().started(), 1) << "nothing is fetched for a bad request";
}

}  // namespace
}  // namespace wordcrawl::testing
