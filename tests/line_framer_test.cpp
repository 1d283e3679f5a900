#include "wordcrawl/line_framer.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

std::vector<framed_line> drain(line_framer& framer) {
  std::vector<framed_line> lines;
  while (auto line = framer.next()) {
    lines.push_back(std::move(*line));
  }
  return lines;
}

TEST(LineFramer, CutsLinesAndStripsCarriageReturn) {
  line_framer framer(100);
  framer.feed("http://a/\r\nhttp://b/\n");
  const std::vector<framed_line> expected{{"http://a/", false}, {"http://b/", false}};
  EXPECT_EQ(drain(framer), expected);
  EXPECT_FALSE(framer.has_partial_line());
}

TEST(LineFramer, JoinsALineSplitAcrossFeeds) {
  line_framer framer(100);
  framer.feed("http://exa");
  EXPECT_FALSE(framer.next().has_value());
  EXPECT_TRUE(framer.has_partial_line());
  framer.feed("mple.org/\r");
  EXPECT_FALSE(framer.next().has_value());
  framer.feed("\nnext");
  const std::vector<framed_line> expected{{"http://example.org/", false}};
  EXPECT_EQ(drain(framer), expected);
  EXPECT_TRUE(framer.has_partial_line());
}

TEST(LineFramer, SameLinesWhateverTheChunking) {
  const std::string stream = "one\r\ntwo\n\nthree\r\n" + std::string(30, 'x') + "\nfour\n";
  line_framer whole(10);
  whole.feed(stream);
  const auto expected = drain(whole);
  for (std::size_t chunk = 1; chunk <= 7; ++chunk) {
    line_framer framer(10);
    std::vector<framed_line> lines;
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
      const std::string_view view = stream;
      framer.feed(view.substr(at, chunk));
      auto more = drain(framer);
      lines.insert(lines.end(), more.begin(), more.end());
    }
    EXPECT_EQ(lines, expected) << "chunk size " << chunk;
  }
}

TEST(LineFramer, LineOfExactlyTheLimitIsAccepted) {
  line_framer framer(5);
  framer.feed("12345\r\n12345\n");
  const std::vector<framed_line> expected{{"12345", false}, {"12345", false}};
  EXPECT_EQ(drain(framer), expected);
}

TEST(LineFramer, OverLongLineIsFlaggedOnceAndTheNextLineSurvives) {
  line_framer framer(5);
  framer.feed("123456789");
  framer.feed(std::string(10000, 'y'));
  EXPECT_FALSE(framer.next().has_value());
  framer.feed("zz\nok\n");
  const std::vector<framed_line> expected{{"12345", true}, {"ok", false}};
  EXPECT_EQ(drain(framer), expected);
}

TEST(LineFramer, OverLongLineOfLimitPlusOneIsFlagged) {
  line_framer framer(5);
  framer.feed("123456\n");
  const std::vector<framed_line> expected{{"12345", true}};
  EXPECT_EQ(drain(framer), expected);
}

TEST(LineFramer, KeepsEmptyLinesForTheCallerToSkip) {
  line_framer framer(5);
  framer.feed("\n\r\n");
  EXPECT_EQ(framer.ready(), 2U);
  const std::vector<framed_line> expected{{"", false}, {"", false}};
  EXPECT_EQ(drain(framer), expected);
}

}  // namespace
}  // namespace wordcrawl::testing
