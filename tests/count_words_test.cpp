// count_words, run as a user runs it: files in, one line of top words per file out.

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

class CountWords : public ::testing::Test {
 protected:
  std::string file(const std::string& name, const std::string& content) const {
    return dir_.write(name, content);
  }

  struct outcome {
    int status = -1;
    std::string out;
    std::string err;
  };

  static outcome run(const std::vector<std::string>& args) {
    child_process child(COUNT_WORDS_BINARY, args);
    outcome result;
    result.out = child.read_rest(10s);
    result.status = child.wait(10s).value_or(-1);
    result.err = child.stderr_text();
    return result;
  }

 private:
  temp_dir dir_;
};

TEST_F(CountWords, PrintsTheTopWordsOfEachFile) {
  const auto a = file("a.html", "<title>Cats</title><p>cats &amp; dogs</p><script>x y</script>");
  const auto b = file("b.html", "<p>one two two</p>");
  const auto result = run({"-k", "1", a, b});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, a + "\t{\"cats\": 2}\n" + b + "\t{\"two\": 2}\n");
}

TEST_F(CountWords, ReadsPlainTextWithoutMarkup) {
  const auto a = file("a.txt", "<b>bold</b>");
  const auto result = run({"--content-type", "text/plain", a});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, a + "\t{\"b\": 2, \"bold\": 1}\n");
}

TEST_F(CountWords, SniffsWhenTheContentTypeIsEmpty) {
  const auto a = file("a", "<html><body><p>sniffed words</p></body></html>");
  const auto result = run({"--content-type", "", a});
  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.out, a + "\t{\"sniffed\": 1, \"words\": 1}\n");
}

TEST_F(CountWords, ReportsFilesItCannotCount) {
  const auto good = file("good.html", "fine");
  const auto missing = run({"/nonexistent/page.html", good});
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.out, good + "\t{\"fine\": 1}\n");
  EXPECT_NE(missing.err.find("/nonexistent/page.html: cannot open"), std::string::npos);

  const auto image = run({"--content-type", "image/png", good});
  EXPECT_EQ(image.status, 1);
  EXPECT_NE(image.err.find("not text"), std::string::npos);
}

TEST_F(CountWords, RejectsBadArguments) {
  EXPECT_NE(run({"-k", "0", "x"}).status, 0);
  EXPECT_NE(run({}).status, 0);
}

}  // namespace
}  // namespace wordcrawl::testing
