#include "fetch/url_check.hpp"

#include <array>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace wordcrawl {
namespace {

TEST(UrlCheckTest, AcceptsHttpAndHttpsUrls) {
  EXPECT_EQ(check_url("http://example.com/"), std::nullopt);
  EXPECT_EQ(check_url("https://example.com/a/b?q=1#frag"), std::nullopt);
  EXPECT_EQ(check_url("HTTP://EXAMPLE.COM"), std::nullopt);
  EXPECT_EQ(check_url("http://127.0.0.1:8080/x"), std::nullopt);
  EXPECT_EQ(check_url("http://[::1]:8080/x"), std::nullopt);
}

TEST(UrlCheckTest, AcceptsUtf8PathsAndHosts) {
  EXPECT_EQ(check_url("https://ru.wikipedia.org/wiki/Москва"), std::nullopt);
}

TEST(UrlCheckTest, RejectsInvalidUtf8) {
  EXPECT_EQ(check_url("http://example.com/\xff\xfe"), "invalid UTF-8 in URL");
  EXPECT_EQ(check_url("http://example.com/\xd0"), "invalid UTF-8 in URL");
  EXPECT_EQ(check_url("http://example.com/\xed\xa0\x80"), "invalid UTF-8 in URL");
}

TEST(UrlCheckTest, RejectsUnsupportedSchemes) {
  EXPECT_EQ(check_url("ftp://example.com/file"), "unsupported scheme 'ftp'");
  EXPECT_EQ(check_url("file:///etc/passwd"), "unsupported scheme 'file'");
  EXPECT_EQ(check_url("gopher://example.com/"), "unsupported scheme 'gopher'");
}

TEST(UrlCheckTest, RejectsTextThatIsNotAUrl) {
  const std::array<std::string, 6> texts = {"",        "example.com", "not a url",
                                            "http://", "http://:80/", "http://exa mple.com/"};
  for (const std::string& text : texts) {
    const auto error = check_url(text);
    ASSERT_TRUE(error.has_value()) << text;
    EXPECT_EQ(error->rfind("not a URL", 0), 0U) << text << " -> " << *error;
  }
}

TEST(UrlCheckTest, RejectsEmbeddedNul) {
  const std::string text("http://example.com/\0evil", 24);
  EXPECT_EQ(check_url(text), "not a URL");
}

TEST(UrlCheckTest, HostIsLowerCased) {
  EXPECT_EQ(url_host("http://Example.COM:81/Path"), "example.com");
  EXPECT_EQ(url_host("https://[::1]/"), "[::1]");
  EXPECT_EQ(url_host("not a url"), "");
}

}  // namespace
}  // namespace wordcrawl
