// The connection lines of the protocol: the auth line a client sends first, and the lines a
// server answers a connection with (busy, unauthorized, quota).

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

TEST(LinkProtocol, AuthLineRoundTrips) {
  const auto line = encode_auth("0123456789abcdef\"\\x");
  EXPECT_EQ(line, "{\"auth\":\"0123456789abcdef\\\"\\\\x\"}\n");
  EXPECT_EQ(parse_auth(line), "0123456789abcdef\"\\x");
  EXPECT_EQ(parse_auth("{\"auth\": \"tok\"}\r"), "tok");
  EXPECT_TRUE(is_auth_line(line));
}

TEST(LinkProtocol, OtherLinesAreNotAuthLines) {
  EXPECT_FALSE(parse_auth("http://example.com/"));
  EXPECT_FALSE(parse_auth("{\"url\":\"http://example.com/\"}"));
  EXPECT_FALSE(parse_auth("{\"auth\":42}"));
  EXPECT_FALSE(parse_auth("{\"auth\":\"tok\",\"url\":\"http://a/\"}"));
  EXPECT_FALSE(parse_auth("{\"auth\":\"tok\""));
  EXPECT_FALSE(parse_auth("[\"auth\"]"));
  EXPECT_FALSE(is_auth_line("http://example.com/{\"auth\":1}"));
  EXPECT_FALSE(is_auth_line("{\"url\":\"http://example.com/\"}"));
  // Malformed but meant as one: a server without tokens still skips it.
  EXPECT_TRUE(is_auth_line(" {\"auth\":42}"));
}

TEST(LinkProtocol, ConnectionErrorsRoundTripWithTheirKind) {
  const auto line = encode_connection_error(error_kind::unauthorized, "unauthorized: bad token");
  EXPECT_EQ(line, "{\"error\":\"unauthorized: bad token\",\"kind\":\"unauthorized\"}\n");
  EXPECT_EQ(parse_connection_error(line),
            (page_error{error_kind::unauthorized, "unauthorized: bad token"}));
  const auto quota = encode_connection_error(error_kind::quota, "quota: too many connections");
  EXPECT_EQ(parse_connection_error(quota)->kind, error_kind::quota);
  EXPECT_EQ(parse_connection_error(encode_busy())->kind, error_kind::busy);
  EXPECT_EQ(parse_connection_error("{\"error\":\"x\",\"kind\":\"from_the_future\"}")->kind,
            error_kind::internal);
}

TEST(LinkProtocol, UrlAnswersAreNotConnectionErrors) {
  EXPECT_FALSE(parse_connection_error(
      "{\"url\":\"http://a/\",\"error\":\"quota: over\",\"kind\":\"quota\"}"));
  EXPECT_FALSE(parse_connection_error("{\"kind\":\"quota\"}"));
  EXPECT_FALSE(parse_connection_error("not json"));
}

TEST(LinkProtocol, TokenFilesSkipBlankAndCommentLines) {
  EXPECT_EQ(token_lines("# rotated 2026-12-01\n\n  first-token-0123456 \r\nsecond\n#x\nthird"),
            (std::vector<std::string>{"first-token-0123456", "second", "third"}));
  EXPECT_TRUE(token_lines("").empty());
  EXPECT_TRUE(token_lines("\n# only a comment\n \t\n").empty());
}

}  // namespace
}  // namespace wordcrawl::testing
