#include "fetch/url_check.hpp"

#include <array>
#include <optional>
#include <string>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

page_error bad_request(const char* message) {
  return {error_kind::bad_request, message};
}

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
  EXPECT_EQ(check_url("http://example.com/\xff\xfe"), bad_request("invalid UTF-8 in URL"));
  EXPECT_EQ(check_url("http://example.com/\xd0"), bad_request("invalid UTF-8 in URL"));
  EXPECT_EQ(check_url("http://example.com/\xed\xa0\x80"), bad_request("invalid UTF-8 in URL"));
  EXPECT_EQ(check_url("http://example.com/\xc0\xaf"), bad_request("invalid UTF-8 in URL"));
  EXPECT_EQ(check_url("http://example.com/\xf4\x90\x80\x80"), bad_request("invalid UTF-8 in URL"));
}

TEST(UrlCheckTest, RejectsUnsupportedSchemes) {
  EXPECT_EQ(check_url("ftp://example.com/file"),
            (page_error{error_kind::unsupported_scheme, "unsupported scheme 'ftp'"}));
  EXPECT_EQ(check_url("file:///etc/passwd"),
            (page_error{error_kind::unsupported_scheme, "unsupported scheme 'file'"}));
  EXPECT_EQ(check_url("gopher://example.com/"),
            (page_error{error_kind::unsupported_scheme, "unsupported scheme 'gopher'"}));
}

TEST(UrlCheckTest, RejectsTextThatIsNotAUrl) {
  const std::array<std::string, 6> texts = {"",        "example.com", "not a url",
                                            "http://", "http://:80/", "http://exa mple.com/"};
  for (const std::string& text : texts) {
    const auto error = check_url(text);
    ASSERT_TRUE(error.has_value()) << text;
    EXPECT_EQ(error->kind, error_kind::bad_request) << text;
    EXPECT_EQ(error->message.rfind("not a URL", 0), 0U) << text << " -> " << *error;
  }
}

TEST(UrlCheckTest, RejectsEmbeddedNul) {
  const std::string text("http://example.com/\0evil", 24);
  EXPECT_EQ(check_url(text), bad_request("not a URL"));
}

TEST(UrlCheckTest, HostIsLowerCased) {
  EXPECT_EQ(url_host("http://Example.COM:81/Path"), "example.com");
  EXPECT_EQ(url_host("https://[::1]/"), "[::1]");
  EXPECT_EQ(url_host("not a url"), "");
  // Only ASCII letters fold: an internationalised host keeps its bytes.
  EXPECT_EQ(url_host("http://B\xc3\x84R.Test/"), "b\xc3\x84r.test");
}

}  // namespace
}  // namespace wordcrawl::testing
