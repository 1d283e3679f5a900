#include "wordcrawl/html_text_extractor.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "html_samples.hpp"

namespace wordcrawl::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Records what the extractor emits: text pieces joined, each boundary as '|'.
class RecordingSink final : public text_sink {
 public:
  void text(std::string_view utf8) override { out_.append(utf8); }
  void boundary() override { out_.push_back('|'); }
  const std::string& out() const { return out_; }

  // The text between boundaries, empty pieces dropped.
  std::vector<std::string> segments() const {
    std::vector<std::string> result;
    std::istringstream in(out_);
    for (std::string piece; std::getline(in, piece, '|');) {
      if (!piece.empty()) {
        result.push_back(piece);
      }
    }
    return result;
  }

 private:
  std::string out_;
};

RecordingSink extract_in_chunks(std::string_view html, std::size_t max_chunk, unsigned seed) {
  RecordingSink sink;
  html_text_extractor extractor;
  std::mt19937 random(seed);
  std::uniform_int_distribution<std::size_t> size(1, max_chunk);
  while (!html.empty()) {
    const std::size_t n = std::min(size(random), html.size());
    extractor.feed(html.substr(0, n), sink);
    html.remove_prefix(n);
  }
  extractor.finish(sink);
  return sink;
}

std::vector<std::string> segments(std::string_view html) {
  RecordingSink sink;
  html_text_extractor extractor;
  extractor.feed(html, sink);
  extractor.finish(sink);
  return sink.segments();
}

TEST(HtmlTextExtractor, KeepsTextOfElementsAndTitle) {
  EXPECT_THAT(segments("<html><head><title>The title</title></head><body><p>Hello <b>big</b> "
                       "world</p></body></html>"),
              ElementsAre("The title", "Hello ", "big", " world"));
}

TEST(HtmlTextExtractor, EveryTagSplitsWords) {
  EXPECT_THAT(segments("a<b>b</b>c<br>d<img src=x>e"), ElementsAre("a", "b", "c", "d", "e"));
}

TEST(HtmlTextExtractor, DecodesNamedReferencesWithAndWithoutSemicolon) {
  EXPECT_THAT(segments("&amp;|&amp|&lt|&eacute;|&Eacute|&CounterClockwiseContourIntegral;"),
              ElementsAre("&", "&", "<", "\xC3\xA9", "\xC3\x89", "\xE2\x88\xB3"));
}

TEST(HtmlTextExtractor, NamedReferencesTakeTheLongestMatch) {
  // "&notin;" is a name; "&notit;" only matches the legacy "&not" followed by "it;".
  EXPECT_THAT(segments("&notin; &notit; &ampx &zzz; & x"),
              ElementsAre("\xE2\x88\x89 \xC2\xACit; &x &zzz; & x"));
}

TEST(HtmlTextExtractor, DecodesNumericReferences) {
  EXPECT_THAT(segments("&#65;&#x42;&#X43&#100 &#x1F600;"), ElementsAre("ABCd \xF0\x9F\x98\x80"));
}

TEST(HtmlTextExtractor, RemapsWindows1252AndReplacesInvalidCodePoints) {
  EXPECT_THAT(segments("&#128;&#x9F;&#x81;"), ElementsAre("\xE2\x82\xAC\xC5\xB8\xC2\x81"));
  EXPECT_THAT(segments("&#0;&#xD800;&#x110000;&#99999999999;"),
              ElementsAre("\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"));
}

TEST(HtmlTextExtractor, IncompleteNumericReferencesStayText) {
  EXPECT_THAT(segments("&#; &#x; &#xg &# "), ElementsAre("&#; &#x; &#xg &# "));
}

TEST(HtmlTextExtractor, SkipsScriptStyleTemplateAndNoscript) {
  EXPECT_THAT(segments("a<script>var b = '<p>c</p>';</script>d<style>p > e {}</style>f"
                       "<template>g<b>h</b></template>i<noscript>j</noscript>k"),
              ElementsAre("a", "d", "f", "i", "k"));
}

// A tag name ends at whitespace, '/' or '>' whatever its case and length; the self-closing
// slash does not make <script/> or <STYLE/> an empty element (HTML ignores it on them).
TEST(HtmlTextExtractor, TagNamesEndAtSpaceSlashOrGreaterThanInAnyCase) {
  const std::string html =
      "a<script/>var b</script>c<STYLE\t/>p{}</style>d<Script\nsrc=x>e</SCRIPT >f"
      "<title/>g</title><br/>h<textarea\f/>i</textarea><TEMPLATE\r>j</template>k";
  const std::vector<std::string> expected{"a", "c", "d", "f", "g", "h", "i", "k"};
  EXPECT_EQ(segments(html), expected);
  // And with the tags at every distance from the end of a chunk.
  const std::string_view view = html;
  for (std::size_t cut = 1; cut < html.size(); ++cut) {
    RecordingSink sink;
    html_text_extractor extractor;
    extractor.feed(view.substr(0, cut), sink);
    extractor.feed(view.substr(cut), sink);
    extractor.finish(sink);
    EXPECT_EQ(sink.segments(), expected) << "cut at " << cut;
  }
}

TEST(HtmlTextExtractor, NestedTemplatesStayHiddenUntilTheOuterEnds) {
  EXPECT_THAT(segments("<template>a<template>b</template>c</template>d"), ElementsAre("d"));
}

TEST(HtmlTextExtractor, ScriptEndsOnlyAtItsOwnEndTag) {
  EXPECT_THAT(segments("<script>a</scriptx>b</SCRIPT >c"), ElementsAre("c"));
}

TEST(HtmlTextExtractor, EscapedScriptHidesANestedScriptEndTag) {
  EXPECT_THAT(segments("<script><!-- <script> </script> x --></script>after"),
              ElementsAre("after"));
  EXPECT_THAT(segments("<script><!-- a </script>b"), ElementsAre("b"));
  // Double escaped: the first </script> only leaves the inner "<script>"; "-->" ends escaping.
  EXPECT_THAT(segments("<script><!--<script></script>hidden--></script>out"), ElementsAre("out"));
  EXPECT_THAT(segments("<script><!--<script>--></script>shown"), ElementsAre("shown"));
}

TEST(HtmlTextExtractor, SkipsCommentsDoctypeCdataAndProcessingInstructions) {
  EXPECT_THAT(segments("<!DOCTYPE html PUBLIC \"a>\">a<!-- b -->c<![CDATA[d]]>e<?php f ?>g"),
              ElementsAre("\">a", "c", "e", "g"));
}

TEST(HtmlTextExtractor, CommentsEndAsHtml5Says) {
  EXPECT_THAT(segments("a<!-->b<!--->c<!-- x --!>d<!-- -- -->e<!-- <!-- -->f<!--x--!y-->g"),
              ElementsAre("a", "b", "c", "d", "e", "f", "g"));
}

TEST(HtmlTextExtractor, TextareaAndTitleAreRcdata) {
  EXPECT_THAT(segments("<title>a <b>c</b> &amp; d</title><textarea>x<p>y&lt;</textarea>"),
              ElementsAre("a <b>c</b> & d", "x<p>y<"));
  EXPECT_THAT(segments("<title>a</titlex>b</title>"), ElementsAre("a</titlex>b"));
}

TEST(HtmlTextExtractor, RawTextElementsKeepMarkupAsText) {
  EXPECT_THAT(segments("<xmp>a<b>&amp;</xmp><iframe>c</iframe><noembed>d</noembed>"
                       "<noframes>e</noframes>"),
              ElementsAre("a<b>&amp;", "c", "d", "e"));
}

TEST(HtmlTextExtractor, PlaintextRunsToTheEnd) {
  EXPECT_THAT(segments("a<plaintext>b</plaintext><p>&amp;"),
              ElementsAre("a", "b</plaintext><p>&amp;"));
}

TEST(HtmlTextExtractor, IgnoresAttributeValues) {
  EXPECT_THAT(segments("<a title=\"x > y\" alt='p > q' data=r>s</a><img alt=\"words\">t"),
              ElementsAre("s", "t"));
  EXPECT_THAT(segments("<a b=c d e = 'f' g=\"h\"/>i<a =x>j"), ElementsAre("i", "j"));
}

TEST(HtmlTextExtractor, LessThanThatStartsNoTagIsText) {
  EXPECT_THAT(segments("a < b <3 x<=y <> c"), ElementsAre("a < b <3 x<=y <> c"));
}

TEST(HtmlTextExtractor, EmptyEndTagIsNoBoundary) {
  EXPECT_THAT(segments("ab</>cd"), ElementsAre("abcd"));
  EXPECT_THAT(segments("a</ b>c"), ElementsAre("a", "c"));
}

TEST(HtmlTextExtractor, UnclosedTagsStillGiveTheirText) {
  EXPECT_THAT(segments("<div><p>one<b>two<i>three"), ElementsAre("one", "two", "three"));
}

TEST(HtmlTextExtractor, EndOfFileInsideMarkupDropsOnlyTheMarkup) {
  EXPECT_THAT(segments("a<b title=\"x"), ElementsAre("a"));
  EXPECT_THAT(segments("a<!-- b"), ElementsAre("a"));
  EXPECT_THAT(segments("a<"), ElementsAre("a<"));
  EXPECT_THAT(segments("a</"), ElementsAre("a</"));
  EXPECT_THAT(segments("a&am"), ElementsAre("a&am"));
  EXPECT_THAT(segments("a&amp"), ElementsAre("a&"));
  EXPECT_THAT(segments("a&#x4"), ElementsAre("a\x04"));
  EXPECT_THAT(segments("a&"), ElementsAre("a&"));
  EXPECT_THAT(segments("<textarea>a</text"), ElementsAre("a</text"));
  EXPECT_THAT(segments("<xmp>a<"), ElementsAre("a<"));
  EXPECT_THAT(segments("<xmp>a</"), ElementsAre("a</"));
}

TEST(HtmlTextExtractor, DropsNulInTextButReplacesItInRcdata) {
  using namespace std::string_literals;
  EXPECT_THAT(segments("a\0b<title>c\0d</title>"s), ElementsAre("ab",
                                                                "c\xEF\xBF\xBD"
                                                                "d"));
}

TEST(HtmlTextExtractor, TemplateHidesReferencesAndLessThan) {
  EXPECT_THAT(segments("<template>&amp; < &#65;</template>"), IsEmpty());
}

TEST(HtmlTextExtractor, ResetForgetsAnUnfinishedDocument) {
  RecordingSink sink;
  html_text_extractor extractor;
  extractor.feed("<script>a", sink);
  extractor.reset();
  extractor.feed("b", sink);
  extractor.finish(sink);
  EXPECT_THAT(sink.segments(), ElementsAre("b"));
}

TEST(HtmlTextExtractor, OutputDoesNotDependOnChunkingOfGeneratedPages) {
  for (unsigned seed = 0; seed < 300; ++seed) {
    const std::string html = generate_page(seed);
    const std::string whole = extract_in_chunks(html, html.size() + 1, seed).out();
    ASSERT_EQ(extract_in_chunks(html, 1, seed).out(), whole) << "seed " << seed;
    ASSERT_EQ(extract_in_chunks(html, 7, seed).out(), whole) << "seed " << seed;
    ASSERT_EQ(extract_in_chunks(html, 300, seed).out(), whole) << "seed " << seed;
  }
}

TEST(HtmlTextExtractor, OutputDoesNotDependOnChunkingOfRealPages) {
  const auto pages = documentation_pages(60);
  if (pages.empty()) {
    GTEST_SKIP() << "no documentation pages installed";
  }
  unsigned seed = 0;
  for (const auto& page : pages) {
    std::ifstream in(page, std::ios::binary);
    std::ostringstream content;
    content << in.rdbuf();
    const std::string html = content.str();
    const std::string whole = extract_in_chunks(html, html.size() + 1, seed).out();
    EXPECT_EQ(extract_in_chunks(html, 1, seed).out(), whole) << page;
    EXPECT_EQ(extract_in_chunks(html, 4096, seed).out(), whole) << page;
    ++seed;
  }
}

}  // namespace
}  // namespace wordcrawl::testing
