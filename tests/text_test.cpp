#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "wordcrawl/ascii.hpp"
#include "wordcrawl/utf8.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::string_view_literals;

TEST(Ascii, LowerCasesOnlyAsciiLetters) {
  EXPECT_EQ(ascii::to_lower('A'), 'a');
  EXPECT_EQ(ascii::to_lower('Z'), 'z');
  EXPECT_EQ(ascii::to_lower('a'), 'a');
  EXPECT_EQ(ascii::to_lower('@'), '@');        // just below 'A'
  EXPECT_EQ(ascii::to_lower('['), '[');        // just above 'Z'
  EXPECT_EQ(ascii::to_lower('\xC4'), '\xC4');  // Latin-1 'Ä': not ASCII, whatever the locale
  EXPECT_EQ(ascii::to_lower("Example.COM"), "example.com");
  EXPECT_EQ(ascii::to_lower("B\xC3\x84R"), "b\xC3\x84r");  // "BÄR": only the ASCII letters fold
  EXPECT_EQ(ascii::to_lower(""), "");
  EXPECT_EQ(ascii::to_lower(std::string_view("A\0B", 3)), std::string("a\0b", 3));
}

TEST(Ascii, ComparesIgnoringAsciiCaseOnly) {
  EXPECT_TRUE(ascii::equals_nocase("Charset", "charset"));
  EXPECT_TRUE(ascii::equals_nocase("TEXT/HTML", "text/html"));
  EXPECT_TRUE(ascii::equals_nocase("text/html", "TEXT/HTML"));
  EXPECT_TRUE(ascii::equals_nocase("", ""));
  EXPECT_FALSE(ascii::equals_nocase("text/htm", "text/html"));
  EXPECT_FALSE(ascii::equals_nocase("text/html ", "text/html"));
  // Non-ASCII bytes match only themselves: 'Ä' is not 'ä', in UTF-8 or in Latin-1.
  EXPECT_TRUE(ascii::equals_nocase("\xC3\x84", "\xC3\x84"));
  EXPECT_FALSE(ascii::equals_nocase("\xC3\x84", "\xC3\xA4"));
  EXPECT_FALSE(ascii::equals_nocase("\xC4", "\xE4"));
  // Setting bit 0x20 on every byte would equate these.
  EXPECT_FALSE(ascii::equals_nocase("@", "`"));
  EXPECT_FALSE(ascii::equals_nocase("[", "{"));
}

TEST(Ascii, PrefixIgnoringAsciiCase) {
  EXPECT_TRUE(ascii::starts_with_nocase("<META charset=utf-8>", "<meta"));
  EXPECT_TRUE(ascii::starts_with_nocase("<!DOCTYPE html>", "<!doctype html"));
  EXPECT_TRUE(ascii::starts_with_nocase("anything", ""));
  EXPECT_FALSE(ascii::starts_with_nocase("<me", "<meta"));
  EXPECT_FALSE(ascii::starts_with_nocase("<m\xC3\xA9ta", "<meta"));
}

TEST(Ascii, Whitespace) {
  for (const char c : " \t\r\n"sv) {
    EXPECT_TRUE(ascii::is_http_whitespace(c)) << int{c};
    EXPECT_TRUE(ascii::is_whitespace(c)) << int{c};
  }
  // Form feed is whitespace to HTML and the Encoding Standard, not to HTTP.
  EXPECT_FALSE(ascii::is_http_whitespace('\f'));
  EXPECT_TRUE(ascii::is_whitespace('\f'));
  // Vertical tab, NUL, a letter, Latin-1 no-break space.
  for (const char c : {'\v', '\0', 'x', '\xA0'}) {
    EXPECT_FALSE(ascii::is_http_whitespace(c)) << int{c};
    EXPECT_FALSE(ascii::is_whitespace(c)) << int{c};
  }
}

TEST(Ascii, TrimsHttpWhitespaceAtBothEnds) {
  EXPECT_EQ(ascii::trim(" \t text/html \r\n"), "text/html");
  EXPECT_EQ(ascii::trim("a b"), "a b");  // inside stays
  EXPECT_EQ(ascii::trim(" \t\r\n"), "");
  EXPECT_EQ(ascii::trim(""), "");
  EXPECT_EQ(ascii::trim("\fx\f"), "\fx\f");  // not HTTP whitespace
  EXPECT_EQ(ascii::trim("\xA0x\xA0"), "\xA0x\xA0");
  EXPECT_EQ(ascii::trim_if("\f utf-8\f", ascii::is_whitespace), "utf-8");
}

TEST(Utf8, AcceptsWellFormedUtf8) {
  EXPECT_TRUE(utf8::is_valid_utf8("http://example.test/"));
  EXPECT_TRUE(utf8::is_valid_utf8("http://b\xc3\xa4r.test/\xe2\x82\xac/\xf0\x9f\x98\x80"));
  EXPECT_TRUE(utf8::is_valid_utf8(""));
  EXPECT_TRUE(utf8::is_valid_utf8(std::string_view("\0", 1)));  // NUL is a character
  // The edges of each range: U+007F, U+0080, U+07FF, U+0800, U+D7FF, U+E000, U+FFFF,
  // U+10000 and U+10FFFF.
  for (const auto* text :
       {"\x7F", "\xC2\x80", "\xDF\xBF", "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80",
        "\xEF\xBF\xBF", "\xF0\x90\x80\x80", "\xF4\x8F\xBF\xBF"}) {
    EXPECT_TRUE(utf8::is_valid_utf8(text)) << text;
  }
}

TEST(Utf8, RejectsMalformedUtf8) {
  EXPECT_FALSE(utf8::is_valid_utf8("\xff"));              // never in UTF-8
  EXPECT_FALSE(utf8::is_valid_utf8("\x80"));              // continuation without a lead
  EXPECT_FALSE(utf8::is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(utf8::is_valid_utf8("\xc1\xbf"));          // overlong U+007F
  EXPECT_FALSE(utf8::is_valid_utf8("\xe0\x80\xaf"));      // overlong three-byte
  EXPECT_FALSE(utf8::is_valid_utf8("\xe0\x9f\xbf"));      // overlong U+07FF
  EXPECT_FALSE(utf8::is_valid_utf8("\xf0\x8f\xbf\xbf"));  // overlong U+FFFF
  EXPECT_FALSE(utf8::is_valid_utf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(utf8::is_valid_utf8("\xed\xbf\xbf"));      // surrogate U+DFFF
  EXPECT_FALSE(utf8::is_valid_utf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(utf8::is_valid_utf8("\xf5\x80\x80\x80"));  // lead byte past U+10FFFF
  EXPECT_FALSE(utf8::is_valid_utf8("\xe2\x82"));          // cut short
  EXPECT_FALSE(utf8::is_valid_utf8("\xf0\x9f\x98"));      // cut short, four-byte
  EXPECT_FALSE(utf8::is_valid_utf8("\xe2\x28\xa1"));      // bad continuation
  EXPECT_FALSE(utf8::is_valid_utf8("\xf0\x9f\x98\x28"));  // bad last continuation
}

TEST(Utf8, ValidPrefixStopsAtTheFirstBadSequence) {
  EXPECT_EQ(utf8::valid_utf8_prefix(""), 0U);
  EXPECT_EQ(utf8::valid_utf8_prefix("abc"), 3U);
  EXPECT_EQ(utf8::valid_utf8_prefix("ab\xc3\xa4\xff"), 4U);
  // A sequence cut at the end is not part of the prefix: the next chunk may complete it.
  EXPECT_EQ(utf8::valid_utf8_prefix("ab\xe2\x82"), 2U);
  // Past the eight-bytes-at-a-time stretch, and inside it.
  EXPECT_EQ(utf8::valid_utf8_prefix("0123456789abcdef\xed\xa0\x80xyz"), 16U);
  EXPECT_EQ(utf8::valid_utf8_prefix("0123\x80"
                                    "56789abcdef"),
            4U);
  const std::string long_text = std::string(100, 'x') + "\xe2\x82\xac" + std::string(100, 'y');
  EXPECT_EQ(utf8::valid_utf8_prefix(long_text), long_text.size());
  EXPECT_EQ(utf8::valid_utf8_prefix(long_text.substr(0, 102)), 100U);
}

TEST(Utf8, ReplacementCharacterIsUfffdEncoded) {
  EXPECT_EQ(utf8::replacement_character, "\xEF\xBF\xBD");
  EXPECT_EQ(utf8::encode(utf8::replacement).view(), utf8::replacement_character);
  EXPECT_TRUE(utf8::is_valid_utf8(utf8::replacement_character));
}

}  // namespace
}  // namespace wordcrawl::testing
