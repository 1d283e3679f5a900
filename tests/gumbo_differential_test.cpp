// Differential test of the word kernel's HTML text extraction against gumbo, a complete
// HTML5 parser: both texts go through the same word_counter and the word multisets must
// match, on generated tricky pages and on real documentation pages.
//
// gumbo quirks normalised here (each is a tree-builder effect, not a tokenizer difference):
//   - text of script, style, noscript and template subtrees, comments and CDATA is skipped
//     in the walk, as the kernel skips it;
//   - every text node is its own word boundary; the generator avoids markup the tree builder
//     ignores (stray end tags, a second <body>), since gumbo then merges the text on both
//     sides into one node while the kernel splits words at every tag.

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gumbo.h>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "html_samples.hpp"
#include "wordcrawl/html_text_extractor.hpp"
#include "wordcrawl/word_counter.hpp"

namespace wordcrawl::testing {
namespace {

using word_list = std::vector<word_count>;

constexpr std::size_t every_word = std::numeric_limits<std::size_t>::max();

bool skipped_element(const GumboElement& element) {
  switch (element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
      return true;
    default:
      return false;
  }
}

// gumbo's C API hands node contents out as a union tagged by node.type.
// NOLINTBEGIN(cppcoreguidelines-pro-type-union-access)
void walk(const GumboNode& node, word_counter& counter) {
  switch (node.type) {
    case GUMBO_NODE_TEXT:
    case GUMBO_NODE_WHITESPACE:
      counter.boundary();
      counter.text(node.v.text.text);
      counter.boundary();
      return;
    case GUMBO_NODE_DOCUMENT:
    case GUMBO_NODE_ELEMENT: {
      const GumboVector& children =
          node.type == GUMBO_NODE_DOCUMENT ? node.v.document.children : node.v.element.children;
      if (node.type == GUMBO_NODE_ELEMENT && skipped_element(node.v.element)) {
        return;
      }
      for (unsigned i = 0; i < children.length; ++i) {
        walk(*static_cast<const GumboNode*>(children.data[i]), counter);
      }
      return;
    }
    default:  // comments, CDATA, template contents
      return;
  }
}
// NOLINTEND(cppcoreguidelines-pro-type-union-access)

word_list gumbo_words(const std::string& html) {
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  word_counter counter;
  walk(*output->document, counter);
  counter.boundary();
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return counter.top(every_word);
}

word_list kernel_words(const std::string& html) {
  html_text_extractor extractor;
  word_counter counter;
  extractor.feed(html, counter);
  extractor.finish(counter);
  return counter.top(every_word);
}

TEST(GumboDifferential, GeneratedPagesGiveTheSameWords) {
  constexpr unsigned pages = 3000;
  unsigned compared = 0;
  for (unsigned seed = 0; seed < pages; ++seed) {
    const std::string html = generate_page(seed);
    const word_list expected = gumbo_words(html);
    const word_list actual = kernel_words(html);
    ASSERT_TRUE(expected == actual)
        << "seed " << seed << ":" << word_difference(expected, actual) << "\npage:\n"
        << html;
    ++compared;
  }
  EXPECT_EQ(compared, pages);
}

TEST(GumboDifferential, RealPagesGiveTheSameWords) {
  // WORDCRAWL_DIFF_ALL=1 compares every page instead of a sample.
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before anything could set it
  const char* all_env = std::getenv("WORDCRAWL_DIFF_ALL");
  const bool all = all_env != nullptr && std::string(all_env) == "1";
  const auto files = documentation_pages(all ? 1 : 12);
  if (files.empty()) {
    GTEST_SKIP() << "no documentation pages installed";
  }
  std::size_t bytes = 0;
  std::size_t words = 0;
  for (const auto& file : files) {
    const std::string html = read_file(file);
    const word_list expected = gumbo_words(html);
    const word_list actual = kernel_words(html);
    EXPECT_TRUE(expected == actual) << file << ":" << word_difference(expected, actual);
    bytes += html.size();
    for (const auto& entry : actual) {
      words += entry.count;
    }
  }
  std::cout << "compared " << files.size() << " pages, " << bytes << " bytes, " << words
            << " words\n";
}

}  // namespace
}  // namespace wordcrawl::testing
