#include "wordcrawl/content_type.hpp"

#include <string>

#include <gtest/gtest.h>

#include "wordcrawl/page_analyzer.hpp"

namespace wordcrawl::testing {
namespace {

TEST(ContentTypeTest, ClassifiesHtml) {
  EXPECT_EQ(classify_content_type("text/html"), body_kind::html);
  EXPECT_EQ(classify_content_type("Text/HTML; charset=koi8-r"), body_kind::html);
  EXPECT_EQ(classify_content_type(" application/xhtml+xml ;charset=utf-8"), body_kind::html);
}

TEST(ContentTypeTest, ClassifiesPlainText) {
  EXPECT_EQ(classify_content_type("text/plain"), body_kind::plain_text);
  EXPECT_EQ(classify_content_type("TEXT/PLAIN; charset=windows-1251"), body_kind::plain_text);
}

TEST(ContentTypeTest, EmptyIsUnknown) {
  EXPECT_EQ(classify_content_type(""), body_kind::unknown);
  EXPECT_EQ(classify_content_type("  "), body_kind::unknown);
  EXPECT_EQ(classify_content_type("\t;charset=utf-8"), body_kind::unknown);
}

TEST(ContentTypeTest, OtherTypesAreUnsupported) {
  EXPECT_EQ(classify_content_type("image/png"), body_kind::unsupported);
  EXPECT_EQ(classify_content_type("application/json"), body_kind::unsupported);
  EXPECT_EQ(classify_content_type("text/htmlx"), body_kind::unsupported);
  EXPECT_EQ(classify_content_type("text/css; charset=utf-8"), body_kind::unsupported);
}

TEST(ContentTypeTest, MediaTypeIsTheLowerCasedEssence) {
  EXPECT_EQ(media_type("text/html"), "text/html");
  EXPECT_EQ(media_type(" Text/HTML ; charset=utf-8"), "text/html");
  EXPECT_EQ(media_type("\tAPPLICATION/XHTML+XML\r\n"), "application/xhtml+xml");
  EXPECT_EQ(media_type("image/png;q=1;charset=x"), "image/png");
  EXPECT_EQ(media_type(""), "");
  EXPECT_EQ(media_type(" ; charset=utf-8"), "");
  // Form feed is not HTTP whitespace: such a value names some other type.
  EXPECT_EQ(media_type("\ftext/html"), "\ftext/html");
}

TEST(ContentTypeTest, CharsetParameterIsTheRawLabel) {
  EXPECT_EQ(charset_parameter("text/html; charset=utf-8"), "utf-8");
  EXPECT_EQ(charset_parameter("text/html;CHARSET = KOI8-R ;q=1"), "KOI8-R");
  EXPECT_EQ(charset_parameter("text/html; Charset=\"Windows-1251\""), "Windows-1251");
  EXPECT_EQ(charset_parameter("text/html; charset=\"\""), "");
  EXPECT_EQ(charset_parameter("text/html; charset=\""), "\"");  // not a pair of quotes
  EXPECT_EQ(charset_parameter("text/plain; format=flowed; charset=latin1"), "latin1");
  // The first charset parameter counts, even when it names no encoding.
  EXPECT_EQ(charset_parameter("text/html; charset=bogus; charset=utf-8"), "bogus");
  EXPECT_EQ(charset_parameter("text/html; charsets=utf-8"), "");
  EXPECT_EQ(charset_parameter("text/html; charset"), "");
  EXPECT_EQ(charset_parameter("text/html"), "");
  EXPECT_EQ(charset_parameter("charset=utf-8"), "");  // that is the type, not a parameter
  EXPECT_EQ(charset_parameter(""), "");
}

TEST(ContentTypeTest, SniffsBinaryAsUnsupported) {
  EXPECT_EQ(sniff_body_kind(std::string("\x89PNG\r\n\x1A\n", 8)), body_kind::unsupported);
  EXPECT_EQ(sniff_body_kind(std::string("abc\0def", 7)), body_kind::unsupported);
  EXPECT_EQ(sniff_body_kind("GIF89a\x01\x02"), body_kind::unsupported);
}

TEST(ContentTypeTest, SniffsHtmlOpenings) {
  EXPECT_EQ(sniff_body_kind("<!DOCTYPE html><html>"), body_kind::html);
  EXPECT_EQ(sniff_body_kind("\n\t  <HTML lang=en>"), body_kind::html);
  EXPECT_EQ(sniff_body_kind("<head>"), body_kind::html);
  EXPECT_EQ(sniff_body_kind("<body>"), body_kind::html);
  EXPECT_EQ(sniff_body_kind("<p>text"), body_kind::html);
  EXPECT_EQ(sniff_body_kind("<div class=x>"), body_kind::html);
  EXPECT_EQ(sniff_body_kind("<!-- comment"), body_kind::html);
}

TEST(ContentTypeTest, SniffsOtherTextAsPlain) {
  EXPECT_EQ(sniff_body_kind("Hello, world.\r\n"), body_kind::plain_text);
  EXPECT_EQ(sniff_body_kind("<pre>not one of the openings"), body_kind::plain_text);
  EXPECT_EQ(sniff_body_kind("<html"), body_kind::plain_text);
  EXPECT_EQ(sniff_body_kind("\x1B$B"), body_kind::plain_text);
  EXPECT_EQ(sniff_body_kind(""), body_kind::plain_text);
}

TEST(ContentTypeTest, ByteOrderMarkMeansText) {
  EXPECT_EQ(sniff_body_kind(std::string("\xFF\xFEh\0i\0", 6)), body_kind::plain_text);
  EXPECT_EQ(sniff_body_kind("\xEF\xBB\xBFtext"), body_kind::plain_text);
}

}  // namespace
}  // namespace wordcrawl::testing
