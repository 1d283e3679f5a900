// The kernel's vector paths against its portable one: the same inputs through every path
// this machine can run (kernel_isa::available()) must give the same text, the same words and
// the same answers. The inputs are built to hit the edges of the vector code: words, '<',
// '&', apostrophes and multibyte characters at every offset around 16-, 32- and 64-byte
// lanes, and bodies cut into chunks at every offset.

#include "kernel_isa.hpp"

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wordcrawl/charset_decoder.hpp"
#include "wordcrawl/html_text_extractor.hpp"
#include "wordcrawl/page_analyzer.hpp"
#include "wordcrawl/word_counter.hpp"

namespace wordcrawl::testing {
namespace {

using ::testing::Each;
using ::testing::Eq;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr std::size_t every_word = std::numeric_limits<std::size_t>::max();

// Puts the path in use back as it was when a test ends.
class KernelIsaTest : public ::testing::Test {
 protected:
  void TearDown() override { kernel_isa::use(saved_); }

  // Runs compute on every available path; returns one result per path, portable first.
  template <typename Compute>
  static auto on_every_path(const Compute& compute) {
    std::vector<decltype(compute())> results;
    for (const auto path : kernel_isa::available()) {
      kernel_isa::use(path);
      results.push_back(compute());
    }
    return results;
  }

  // Expects every path's result to equal the portable one.
  template <typename Result>
  static void expect_all_equal(const std::vector<Result>& results, const std::string& what) {
    const auto paths = kernel_isa::available();
    for (std::size_t i = 1; i < results.size(); ++i) {
      EXPECT_EQ(results[i], results[0])
          << what << ": the " << kernel_isa::name(paths[i]) << " path differs from portable";
    }
  }

 private:
  kernel_isa::level saved_ = kernel_isa::active();
};

// Pieces that stress the word rules and the markup scanner.
const std::vector<std::string_view>& text_pieces() {
  static const std::vector<std::string_view> pieces{
      "word",
      "Word",
      "WORDS",
      "it's",
      "'",
      "''",
      "123",
      "a1b2c3",
      "x",
      " ",
      "  ",
      "\n",
      "\t",
      ",",
      ".",
      "-",
      "_",
      "caf\u00E9",
      "\u00C9T\u00C9",
      "Stra\u00DFe",
      "\u0421\u043B\u043E\u0432\u043E",                    // Cyrillic
      "\u03A3\u03BF\u03C6\u03AF\u03B1",                    // Greek
      "\u0643\u0644\u0645\u0629",                          // Arabic
      "\u65E5\u672C\u8A9E\u306E\u30C6\u30AD\u30B9\u30C8",  // Japanese
      "\u4E2D\u6587",                                      // Chinese
      "\u0E44\u0E17\u0E22",                                // Thai
      "\U0001F600",                                        // outside the BMP, no letter
      "\U00010400",                                        // outside the BMP, a letter
      "\u200D",                                            // ZWJ
      "\u200C",                                            // ZWNJ
      "\u2019",                                            // right single quotation mark
      "\u00A0",                                            // no-break space
      "\xFF",                                              // invalid
      "\xC3",                                              // a cut sequence
      "\xE6\x97",                                          // a cut sequence
      "\xED\xA0\x80",                                      // a surrogate
      "\xC0\xAF",                                          // overlong
      "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz",
      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
  };
  return pieces;
}

const std::vector<std::string_view>& markup_pieces() {
  static const std::vector<std::string_view> pieces{
      "<p>",
      "</p>",
      "<b>",
      "</b>",
      "<br/>",
      "<a href=\"/x?a=1&amp;b=2\" class='link'>",
      "</a>",
      "<div id=main lang=en>",
      "</div>",
      "<span\n  class=\"c\"\tdata-x = 'y' >",
      "&amp;",
      "&lt;",
      "&eacute;",
      "&#x41;",
      "&#1055;",
      "&nosuchentity;",
      "&",
      "<",
      "< p",
      "<!-- a comment -- -->",
      "<!doctype html>",
      "<script>if (a<b && c) { x = '</p>'; }</script>",
      "<style>p { color: red }</style>",
      "<title>The Title</title>",
      "<textarea>a &lt; b</textarea>",
      "<nav>navigation words</nav>",
      "<main role=\"main\">",
      "</main>",
      "<img alt=\"alt text\" src=x.png>",
      "<?pi?>",
      std::string_view("\0", 1),
  };
  return pieces;
}

// A document of random pieces, after `offset` filler bytes that move everything against the
// vector lanes.
std::string random_document(std::mt19937& random, std::size_t pieces, std::size_t offset,
                            bool markup) {
  std::string document(offset, offset % 2 == 0 ? 'a' : ' ');
  const auto& text = text_pieces();
  const auto& tags = markup_pieces();
  for (std::size_t i = 0; i < pieces; ++i) {
    if (markup && random() % 4 == 0) {
      document.append(tags[random() % tags.size()]);
    } else {
      document.append(text[random() % text.size()]);
    }
  }
  return document;
}

// The documents every test below runs: random ones at every offset up to 96 bytes, and
// hand-made ones that put a stop byte at each position of a lane.
std::vector<std::string> documents(bool markup) {
  std::vector<std::string> all;
  std::mt19937 random(markup ? 14 : 41);
  for (std::size_t offset = 0; offset < 96; ++offset) {
    all.push_back(random_document(random, 20 + offset % 37, offset, markup));
  }
  for (std::size_t at = 0; at < 130; ++at) {
    std::string plain(130, 'w');
    for (std::size_t space = 5; space < plain.size(); space += 7) {
      plain[space] = ' ';
    }
    plain[at] = markup ? '<' : '\'';
    all.push_back(plain + "b>tail");
    plain[at] = markup ? '&' : ',';
    all.push_back(plain + "amp; tail");
    plain.replace(at, 1, "\u00E9");
    all.push_back(plain);
  }
  return all;
}

std::string joined(const std::vector<word_count>& words) {
  std::string out;
  for (const auto& entry : words) {
    out.append(entry.word).append("=").append(std::to_string(entry.count)).append(" ");
  }
  return out;
}

// The counter's words for text given in two calls cut at `cut`.
std::string counted(std::string_view text, std::size_t cut) {
  word_counter counter;
  counter.text(text.substr(0, cut));
  counter.text(text.substr(cut));
  counter.boundary();
  return joined(counter.top(every_word));
}

// The page analyzer's answer for html fed in chunks of `chunk` bytes.
std::string analyzed(page_analyzer& analyzer, std::string_view html, std::size_t chunk) {
  analyzer.begin(body_kind::html, "text/html; charset=utf-8");
  for (std::size_t at = 0; at < html.size(); at += chunk) {
    analyzer.feed(html.substr(at, chunk));
  }
  return joined(analyzer.finish(every_word));
}

// What the extractor hands on: text, with '|' for each boundary.
class RecordingSink final : public text_sink {
 public:
  void text(std::string_view utf8) override { out_.append(utf8); }
  void boundary() override { out_.push_back('|'); }
  const std::string& out() const { return out_; }

 private:
  std::string out_;
};

std::string extracted(std::string_view html, std::size_t chunk) {
  html_text_extractor extractor;
  RecordingSink sink;
  for (std::size_t at = 0; at < html.size(); at += chunk) {
    extractor.feed(html.substr(at, chunk), sink);
  }
  extractor.finish(sink);
  return sink.out();
}

std::string decoded(std::string_view bytes, std::size_t chunk) {
  charset_decoder decoder;
  decoder.reset("text/html; charset=utf-8", true);
  std::string out;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    out.append(decoder.decode(bytes.substr(at, chunk)));
  }
  out.append(decoder.finish());
  return out;
}

TEST_F(KernelIsaTest, ThePortablePathIsAlwaysThereAndCanBeChosen) {
  const auto paths = kernel_isa::available();
  ASSERT_FALSE(paths.empty());
  EXPECT_EQ(paths.front(), kernel_isa::level::portable);
  for (const auto path : paths) {
    kernel_isa::use(path);
    EXPECT_EQ(kernel_isa::active(), path) << kernel_isa::name(path);
  }
}

TEST_F(KernelIsaTest, EveryPathCountsTheSameWordsWhereverTheTextIsCut) {
  // A known answer first, so that agreeing on nothing cannot pass.
  for (const auto& result : on_every_path([] {
         return counted(
             "It's the CAF\u00C9 caf\u00E9 l\u2019\u00E9t\u00E9 123 "
             "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijklmnop "
             "the the",
             17);
       })) {
    EXPECT_THAT(result, StartsWith("the=3 caf\u00E9=2 abcdefghijklmnopqrstuvwxyzabcdefghijklmn"));
    EXPECT_THAT(result, HasSubstr(" it's=1 "));
  }
  for (const auto& text : documents(false)) {
    for (std::size_t cut = 0; cut <= text.size(); cut += 1 + cut / 64) {
      expect_all_equal(on_every_path([&] { return counted(text, cut); }),
                       "words of \"" + text + "\" cut at " + std::to_string(cut));
    }
  }
}

TEST_F(KernelIsaTest, EveryPathCutsARunAtTheSameLimit) {
  // Runs of letters longer than the counter keeps whole, with and without a few others.
  std::string text(word_counter::max_run_bytes * 2 + 100, 'q');
  text[word_counter::max_run_bytes - 70] = 'Z';
  text.append(" short words after it");
  std::string mixed = text;
  mixed.replace(word_counter::max_run_bytes - 2, 1, "\u00E9");
  for (const auto& input : {text, mixed}) {
    const auto results = on_every_path([&] { return counted(input, 1000); });
    expect_all_equal(results, "a run past max_run_bytes");
    EXPECT_THAT(results[0], HasSubstr("short=1"));
  }
}

TEST_F(KernelIsaTest, EveryPathDecodesTheSameUtf8InEveryChunking) {
  for (const auto& bytes : documents(false)) {
    for (const std::size_t chunk :
         std::initializer_list<std::size_t>{1, 2, 3, 5, 31, 32, 33, 63, 64, 65, 4096}) {
      expect_all_equal(on_every_path([&] { return decoded(bytes, chunk); }),
                       "decoding \"" + bytes + "\" in chunks of " + std::to_string(chunk));
    }
  }
  // Invalid bytes become U+FFFD on every path.
  for (const auto& result : on_every_path([] {
         return decoded(
             "abc\xFF"
             "def",
             4096);
       })) {
    EXPECT_EQ(result,
              "abc\uFFFD"
              "def");
  }
}

TEST_F(KernelIsaTest, EveryPathExtractsTheSameText) {
  for (const auto& html : documents(true)) {
    for (const std::size_t chunk :
         std::initializer_list<std::size_t>{1, 15, 16, 17, 32, 64, 4096}) {
      expect_all_equal(on_every_path([&] { return extracted(html, chunk); }),
                       "text of \"" + html + "\" in chunks of " + std::to_string(chunk));
    }
  }
  for (const auto& result : on_every_path([] {
         return extracted(std::string(40, ' ') + "a&amp;b<p>c</p>" + std::string(40, 'd'), 4096);
       })) {
    EXPECT_EQ(result, std::string(40, ' ') + "a&b|c|" + std::string(40, 'd') + "|");
  }
}

TEST_F(KernelIsaTest, EveryPathGivesThePageAnalyzerTheSameAnswers) {
  page_analyzer analyzer;
  for (const auto& html : documents(true)) {
    for (const std::size_t chunk :
         std::initializer_list<std::size_t>{1, 7, 31, 32, 33, 63, 64, 65, 1000, 16384}) {
      expect_all_equal(on_every_path([&] { return analyzed(analyzer, html, chunk); }),
                       "answer for \"" + html + "\" in chunks of " + std::to_string(chunk));
    }
  }
  const auto words = on_every_path(
      [&] { return analyzed(analyzer, "<p>Hello</p><p>hello WORLD</p>&amp; <p>world</p>", 3); });
  EXPECT_THAT(words, Each(Eq("hello=2 world=2 ")));
}

}  // namespace
}  // namespace wordcrawl::testing
