// Main-content mode of the HTML text extractor: no text from <nav>, <header>, <footer>,
// <aside> or elements with a landmark role (navigation, banner, contentinfo, complementary),
// one test per rule, then a differential against gumbo (a complete HTML5 parser) on generated
// landmark pages and on the documentation pages, and chunk independence.
//
// The gumbo reference drops the subtree of an HTML element named nav, header, footer or
// aside, or of any element (but html, head and body) whose role attribute's first ARIA role
// is one of the four, and otherwise collects text as tests/gumbo_differential_test.cpp does.
//
// What the extractor does not model (shared/kernel/src/open_elements.hpp) and why it does not
// show here:
//   - the list of active formatting elements: a formatting element (<b>, <a>, ...) that the
//     tree builder reopens as a clone keeps its attributes, so a role on it can hide text
//     after its end; the generator puts no role on formatting elements, and
//     RealPagesHaveNoUnmodelledMarkup shows the documentation pages have none either;
//   - foster parenting: text in a table outside a cell moves before the table, which changes
//     nothing unless the table itself hides its text; the generator puts no role on tables,
//     and the documentation pages have no such table (same test);
//   - foreign content (<svg>, <math>): its elements are read as ordinary ones, which they are
//     as long as no HTML element breaks out of it; the documentation pages hold only the
//     Python manual's one-<path> search icon;
//   - <select>, which ignores most tags inside it: none on the documentation pages.

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gumbo.h>
#include <iostream>
#include <limits>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "html_samples.hpp"
#include "wordcrawl/html_text_extractor.hpp"
#include "wordcrawl/text_sink.hpp"
#include "wordcrawl/word_counter.hpp"

namespace wordcrawl::testing {
namespace {

using word_list = std::vector<word_count>;

constexpr std::size_t every_word = std::numeric_limits<std::size_t>::max();

// The depth cap of the extractor's stack of open elements (open_elements.hpp).
constexpr std::size_t html_tree_depth = 512;

// Collects text and boundaries as one string ('|' for a boundary).
class TextCollector : public text_sink {
 public:
  void text(std::string_view utf8) override { out.append(utf8); }
  void boundary() override {
    if (!out.empty() && out.back() != '|') {
      out += '|';
    }
  }
  std::string out;
};

std::string extract(std::string_view html, content_scope scope, std::size_t chunk = 0) {
  html_text_extractor extractor;
  extractor.reset(scope);
  TextCollector sink;
  const std::size_t step = chunk == 0 ? std::max<std::size_t>(html.size(), 1) : chunk;
  for (std::size_t at = 0; at < html.size(); at += step) {
    extractor.feed(html.substr(at, step), sink);
  }
  extractor.finish(sink);
  return sink.out;
}

// The words of the main content, boundaries dropped: "a|b" and "a b" read alike.
std::string main_text(std::string_view html) {
  std::string text = extract(html, content_scope::main);
  std::replace(text.begin(), text.end(), '|', ' ');
  std::string out;
  std::istringstream words(text);
  for (std::string word; words >> word;) {
    out += out.empty() ? "" : " ";
    out += word;
  }
  return out;
}

TEST(MainContent, NavHeaderFooterAsideAreDropped) {
  for (const std::string_view tag : {"nav", "header", "footer", "aside"}) {
    const std::string html =
        "<body>before <" + std::string(tag) + ">hidden</" + std::string(tag) + "> after";
    EXPECT_EQ(main_text(html), "before after") << tag;
  }
  EXPECT_EQ(main_text("<NAV>hidden</Nav> shown"), "shown");
}

TEST(MainContent, LandmarkRolesOnAnyElementAreDropped) {
  for (const std::string_view role : {"navigation", "banner", "contentinfo", "complementary"}) {
    const std::string html = "a <div role=\"" + std::string(role) + "\">hidden</div> b";
    EXPECT_EQ(main_text(html), "a b") << role;
  }
  EXPECT_EQ(main_text("a <span role=NAVIGATION>hidden</span> b"), "a b");
  EXPECT_EQ(main_text("a <div ROLE=' Banner '>hidden</div> b"), "a b");
  EXPECT_EQ(main_text("a <div role=\"main\">kept</div> b"), "a kept b");
  EXPECT_EQ(main_text("a <div role=nav>kept</div> b"), "a kept b");
}

TEST(MainContent, FirstKnownRoleOfAListCounts) {
  EXPECT_EQ(main_text("a <div role=\"foo navigation\">hidden</div> b"), "a b");
  EXPECT_EQ(main_text("a <div role=\"main navigation\">kept</div> b"), "a kept b");
  EXPECT_EQ(main_text("a <div role=\"navigation main\">hidden</div> b"), "a b");
  // Abstract roles are no roles to fall back on.
  EXPECT_EQ(main_text("a <div role=\"landmark banner\">hidden</div> b"), "a b");
  // Only the first role attribute of a tag counts.
  EXPECT_EQ(main_text("a <div role=main role=navigation>kept</div> b"), "a kept b");
}

TEST(MainContent, RoleValuesDecodeReferences) {
  EXPECT_EQ(main_text("a <div role=\"nav&#105;gation\">hidden</div> b"), "a b");
  EXPECT_EQ(main_text("a <div role=\"banner&#32;main\">hidden</div> b"), "a b");
  EXPECT_EQ(main_text("a <div role=\"&amp;navigation\">kept</div> b"), "a kept b");
}

TEST(MainContent, NestedNavEndsAtTheOuterEnd) {
  EXPECT_EQ(main_text("a <nav>x <nav>y</nav> z</nav> b"), "a b");
}

TEST(MainContent, BodyEndDoesNotCloseAnUnclosedNav) {
  // HTML5 leaves the stack alone at </body> and </html>: text after them goes into the
  // current node, the unclosed <nav>.
  EXPECT_EQ(main_text("<body>a <nav>x</body> y</html> z"), "a");
}

TEST(MainContent, ParentEndTagClosesAnUnclosedNav) {
  EXPECT_EQ(main_text("<div>a <nav>x</div> b"), "a b");
  EXPECT_EQ(main_text("<ul><li>a <nav>x</ul> b"), "a b");
  EXPECT_EQ(main_text("<table><tr><td>a <nav>x</td><td> b</table> c"), "a b c");
}

TEST(MainContent, UnclosedNavHidesTextToTheEnd) {
  EXPECT_EQ(main_text("a <nav>x <p>y"), "a");
}

TEST(MainContent, EndTagWithoutOpenNavIsIgnored) {
  EXPECT_EQ(main_text("a </nav> b"), "a b");
  // Inside a cell the open <nav> is out of scope: its end tag is ignored there.
  EXPECT_EQ(main_text("<nav>a <table><tr><td>x</nav> y</td></table> z</nav> b"), "b");
}

TEST(MainContent, DivEndInsideNavClosesOnlyTheDiv) {
  EXPECT_EQ(main_text("<nav><div>x</div> y</nav> b"), "b");
  EXPECT_EQ(main_text("<nav>x </div> y</nav> b"), "b");
}

TEST(MainContent, AnyOtherEndTagStopsAtSpecialElements) {
  // </span> cannot reach past the <nav> opened inside it.
  EXPECT_EQ(main_text("<span>a <nav>x</span> y</nav> b"), "a b");
  EXPECT_EQ(main_text("<span role=navigation>x <em>y</span> z"), "z");
}

TEST(MainContent, VoidElementsAreNeverOpened) {
  EXPECT_EQ(main_text("<nav>x<br><img src=a>y</nav> b"), "b");
  EXPECT_EQ(main_text("a <img role=navigation> b"), "a b");
}

TEST(MainContent, SelfClosingSyntaxDoesNotCloseNav) {
  EXPECT_EQ(main_text("a <nav/> x"), "a");
  EXPECT_EQ(main_text("a <nav/> x</nav> b"), "a b");
}

TEST(MainContent, ImpliedEndsCloseLandmarkParagraphsAndItems) {
  EXPECT_EQ(main_text("<p role=banner>x<div>a</div> b"), "a b");
  EXPECT_EQ(main_text("<ul><li role=navigation>x<li>a</ul> b"), "a b");
}

TEST(MainContent, RawTextElementsWithALandmarkRole) {
  EXPECT_EQ(main_text("a <textarea role=navigation>x <b>y</b></textarea> b"), "a b");
  EXPECT_EQ(main_text("a <xmp role=banner>x</xmp> b <title role=banner>t</title> c"), "a b c");
  EXPECT_EQ(main_text("a <textarea role=navigation>x"), "a");
}

TEST(MainContent, OpenElementsPastTheCapAreNotRecorded) {
  const std::size_t deep = html_tree_depth + 88;
  std::string opens;
  std::string closes;
  for (std::size_t i = 0; i < deep; ++i) {
    opens += "<div>";
    closes += "</div>";
  }
  // A landmark below the cap hides everything nested deeper, to its end.
  EXPECT_EQ(main_text("<nav>" + opens + "x" + closes + "</nav> y"), "y");
  // A landmark past the cap is not recorded (gumbo has no such cap): its text counts.
  EXPECT_EQ(main_text(opens + "<nav>deep</nav>" + closes + " y"), "deep y");
}

TEST(MainContent, TextAfterTheNavCounts) {
  EXPECT_EQ(main_text("<nav><ul><li>home<li>about</ul></nav><main>article text</main>"),
            "article text");
}

TEST(MainContent, AllModeIsUnchanged) {
  const std::string html = "a <nav>x</nav> <div role=banner>y</div> b";
  html_text_extractor plain;
  TextCollector expected;
  plain.feed(html, expected);
  plain.finish(expected);
  EXPECT_EQ(extract(html, content_scope::all), expected.out);
  EXPECT_EQ(expected.out, "a |x| |y| b|");
}

TEST(MainContent, ScopeSurvivesFinish) {
  html_text_extractor extractor;
  extractor.reset(content_scope::main);
  TextCollector first;
  extractor.feed("<nav>x</nav>a", first);
  extractor.finish(first);
  TextCollector second;
  extractor.feed("<nav>y</nav>b", second);
  extractor.finish(second);
  EXPECT_EQ(second.out, "b|");
}

// --- declared language ---

std::string lang_of(std::string_view html, std::size_t chunk = 0,
                    content_scope scope = content_scope::all) {
  html_text_extractor extractor;
  extractor.reset(scope);
  TextCollector sink;
  const std::size_t step = chunk == 0 ? std::max<std::size_t>(html.size(), 1) : chunk;
  for (std::size_t at = 0; at < html.size(); at += step) {
    extractor.feed(html.substr(at, step), sink);
  }
  extractor.finish(sink);
  return extractor.declared_lang();
}

TEST(DeclaredLang, LowercasedAndTrimmed) {
  EXPECT_EQ(lang_of("<html lang=\"RU\"><body>x"), "ru");
  EXPECT_EQ(lang_of("<html lang=\" en-US \"><body>x"), "en-us");
  EXPECT_EQ(lang_of("<HTML LANG=De-at>"), "de-at");
  EXPECT_EQ(lang_of("<html lang='\tfr\n'>"), "fr");
}

TEST(DeclaredLang, EmptyWithoutOne) {
  EXPECT_EQ(lang_of("<html><body lang=fr>x"), "");
  EXPECT_EQ(lang_of("<p lang=fr>x"), "");
  EXPECT_EQ(lang_of("no markup"), "");
}

TEST(DeclaredLang, LaterHtmlTagAddsAMissingLang) {
  EXPECT_EQ(lang_of("<html><body><html lang=pt>x"), "pt");
  EXPECT_EQ(lang_of("<html lang=en><body><html lang=pt>x"), "en");
  // Present but empty is still present: a later one is not merged.
  EXPECT_EQ(lang_of("<html lang=\"\"><html lang=pt>"), "");
  EXPECT_EQ(lang_of("<html lang=en lang=pt>"), "en");
}

TEST(DeclaredLang, ReferencesAreDecoded) {
  EXPECT_EQ(lang_of("<html lang=\"&#x45;N\">"), "en");
  EXPECT_EQ(lang_of("<html lang=en&#45;gb>"), "en-gb");
  // In attributes a legacy reference before '=' or an alphanumeric stays as written.
  EXPECT_EQ(lang_of("<html lang=\"&ampx\">"), "&ampx");
  EXPECT_EQ(lang_of("<html lang=\"a&amp;b\">"), "a&b");
}

TEST(DeclaredLang, CutToBcp47Length) {
  const std::string lang = lang_of("<html lang=\"" + std::string(50, 'x') + "\">");
  EXPECT_EQ(lang, std::string(html_text_extractor::max_lang, 'x'));
  // Never in the middle of a UTF-8 sequence.
  const std::string cut = lang_of("<html lang=\"" + std::string(34, 'x') + "\xC3\xA9\">");
  EXPECT_EQ(cut, std::string(34, 'x'));
}

TEST(DeclaredLang, SameForEveryChunking) {
  const std::string html =
      "<!DOCTYPE html><html class=x lang = \" EN-&#x55;s \" dir=ltr><body>text";
  for (const std::size_t chunk : {1U, 2U, 3U, 7U, 0U}) {
    EXPECT_EQ(lang_of(html, chunk), "en-us") << chunk;
    EXPECT_EQ(lang_of(html, chunk, content_scope::main), "en-us") << chunk;
  }
}

TEST(DeclaredLang, KeptAfterFinishUntilTheNextDocument) {
  html_text_extractor extractor;
  TextCollector sink;
  extractor.feed("<html lang=nl>", sink);
  extractor.finish(sink);
  EXPECT_EQ(extractor.declared_lang(), "nl");
  extractor.feed("<html>", sink);
  extractor.finish(sink);
  EXPECT_EQ(extractor.declared_lang(), "");
}

// --- differential against gumbo ---

constexpr std::array<std::string_view, 82> aria_roles{
    "alert",         "alertdialog",   "application",  "article",
    "banner",        "blockquote",    "button",       "caption",
    "cell",          "checkbox",      "code",         "columnheader",
    "combobox",      "complementary", "contentinfo",  "definition",
    "deletion",      "dialog",        "directory",    "document",
    "emphasis",      "feed",          "figure",       "form",
    "generic",       "grid",          "gridcell",     "group",
    "heading",       "img",           "insertion",    "link",
    "list",          "listbox",       "listitem",     "log",
    "main",          "marquee",       "math",         "meter",
    "menu",          "menubar",       "menuitem",     "menuitemcheckbox",
    "menuitemradio", "navigation",    "none",         "note",
    "option",        "paragraph",     "presentation", "progressbar",
    "radio",         "radiogroup",    "region",       "row",
    "rowgroup",      "rowheader",     "scrollbar",    "search",
    "searchbox",     "separator",     "slider",       "spinbutton",
    "status",        "strong",        "subscript",    "superscript",
    "switch",        "tab",           "table",        "tablist",
    "tabpanel",      "term",          "textbox",      "time",
    "timer",         "toolbar",       "tooltip",      "tree",
    "treegrid",      "treeitem"};

bool hiding_role(std::string_view value) {
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; });
  std::replace_if(
      lower.begin(), lower.end(),
      [](char c) { return c == '\t' || c == '\n' || c == '\f' || c == '\r'; }, ' ');
  std::istringstream tokens(lower);
  for (std::string token; tokens >> token;) {
    if (std::find(aria_roles.begin(), aria_roles.end(), token) != aria_roles.end()) {
      return token == "navigation" || token == "banner" || token == "contentinfo" ||
             token == "complementary";
    }
  }
  return false;
}

// gumbo's C API hands node contents out as a union tagged by node.type.
// NOLINTBEGIN(cppcoreguidelines-pro-type-union-access)
bool dropped_element(const GumboElement& element) {
  switch (element.tag) {
    case GUMBO_TAG_SCRIPT:
    case GUMBO_TAG_STYLE:
    case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE:
      return true;
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
      if (element.tag_namespace == GUMBO_NAMESPACE_HTML) {
        return true;
      }
      break;
    case GUMBO_TAG_HTML:
    case GUMBO_TAG_HEAD:
    case GUMBO_TAG_BODY:
      return false;
    default:
      break;
  }
  const GumboAttribute* role = gumbo_get_attribute(&element.attributes, "role");
  return role != nullptr && hiding_role(role->value);
}

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
      if (node.type == GUMBO_NODE_ELEMENT && dropped_element(node.v.element)) {
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

// Inside foreign content: an HTML element (a breakout) or an element with a landmark role.
// Without them (the search icon of the Python manual is one <path>) SVG and MathML nest as
// ordinary elements do.
bool html_inside(const GumboNode& node) {
  const GumboVector& children = node.v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    const auto& child = *static_cast<const GumboNode*>(children.data[i]);
    if (child.type == GUMBO_NODE_ELEMENT &&
        (child.v.element.tag_namespace == GUMBO_NAMESPACE_HTML ||
         dropped_element(child.v.element) || html_inside(child))) {
      return true;
    }
  }
  return false;
}

// Markup whose main content the extractor does not model (see the top of this file).
bool unmodelled(const GumboNode& node) {
  if (node.type != GUMBO_NODE_ELEMENT && node.type != GUMBO_NODE_DOCUMENT) {
    return false;
  }
  const GumboVector* children = &node.v.document.children;
  if (node.type == GUMBO_NODE_ELEMENT) {
    const GumboElement& element = node.v.element;
    children = &element.children;
    switch (element.tag) {
      case GUMBO_TAG_SVG:
      case GUMBO_TAG_MATH:
        return html_inside(node);
      case GUMBO_TAG_SELECT:
        return true;
      case GUMBO_TAG_A:
      case GUMBO_TAG_B:
      case GUMBO_TAG_BIG:
      case GUMBO_TAG_CODE:
      case GUMBO_TAG_EM:
      case GUMBO_TAG_FONT:
      case GUMBO_TAG_I:
      case GUMBO_TAG_NOBR:
      case GUMBO_TAG_S:
      case GUMBO_TAG_SMALL:
      case GUMBO_TAG_STRIKE:
      case GUMBO_TAG_STRONG:
      case GUMBO_TAG_TT:
      case GUMBO_TAG_U:
      case GUMBO_TAG_TABLE:
      case GUMBO_TAG_TBODY:
      case GUMBO_TAG_THEAD:
      case GUMBO_TAG_TFOOT:
      case GUMBO_TAG_TR:
        if (gumbo_get_attribute(&element.attributes, "role") != nullptr &&
            dropped_element(element)) {
          return true;
        }
        break;
      default:
        break;
    }
  }
  for (unsigned i = 0; i < children->length; ++i) {
    if (unmodelled(*static_cast<const GumboNode*>(children->data[i]))) {
      return true;
    }
  }
  return false;
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

bool gumbo_unmodelled(const std::string& html) {
  GumboOutput* output = gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size());
  const bool found = unmodelled(*output->document);
  gumbo_destroy_output(&kGumboDefaultOptions, output);
  return found;
}

word_list kernel_words(const std::string& html, std::size_t chunk = 0) {
  html_text_extractor extractor;
  extractor.reset(content_scope::main);
  word_counter counter;
  const std::string_view body = html;
  const std::size_t step = chunk == 0 ? std::max<std::size_t>(body.size(), 1) : chunk;
  for (std::size_t at = 0; at < body.size(); at += step) {
    extractor.feed(body.substr(at, step), counter);
  }
  extractor.finish(counter);
  return counter.top(every_word);
}

TEST(MainContentDifferential, GeneratedPagesGiveTheSameWords) {
  constexpr unsigned pages = 3000;
  unsigned with_hidden_text = 0;
  for (unsigned seed = 0; seed < pages; ++seed) {
    const std::string html = generate_landmark_page(seed);
    const word_list expected = gumbo_words(html);
    const word_list actual = kernel_words(html);
    ASSERT_TRUE(expected == actual)
        << "seed " << seed << ":" << word_difference(expected, actual) << "\npage:\n"
        << html;
    html_text_extractor extractor;
    word_counter counter;
    extractor.feed(html, counter);
    extractor.finish(counter);
    with_hidden_text += counter.top(every_word) != actual ? 1U : 0U;
  }
  std::cout << "compared " << pages << " pages, " << with_hidden_text
            << " with text outside the main content\n";
  // The generator must exercise the rules: most pages hide something, not all hide all.
  EXPECT_GT(with_hidden_text, pages / 2);
}

TEST(MainContentDifferential, GeneratedPagesGiveTheSameWordsInAnyChunking) {
  constexpr unsigned pages = 500;
  for (unsigned seed = 0; seed < pages; ++seed) {
    const std::string html = generate_landmark_page(seed);
    const word_list whole = kernel_words(html);
    for (const std::size_t chunk : {1U, 7U}) {
      ASSERT_TRUE(whole == kernel_words(html, chunk)) << "seed " << seed << " chunk " << chunk;
    }
    ASSERT_EQ(extract(html, content_scope::main), extract(html, content_scope::main, 1))
        << "seed " << seed;
    ASSERT_EQ(extract(html, content_scope::main), extract(html, content_scope::main, 7))
        << "seed " << seed;
  }
}

std::vector<std::filesystem::path> corpus() {
  // WORDCRAWL_DIFF_ALL=1 compares every page instead of a sample.
  // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before anything could set it
  const char* all_env = std::getenv("WORDCRAWL_DIFF_ALL");
  const bool all = all_env != nullptr && std::string(all_env) == "1";
  return documentation_pages(all ? 1 : 12);
}

TEST(MainContentDifferential, RealPagesGiveTheSameWords) {
  const auto files = corpus();
  if (files.empty()) {
    GTEST_SKIP() << "no documentation pages installed";
  }
  std::size_t words = 0;
  std::size_t all_words = 0;
  for (const auto& file : files) {
    const std::string html = read_file(file);
    const word_list expected = gumbo_words(html);
    const word_list actual = kernel_words(html);
    EXPECT_TRUE(expected == actual) << file << ":" << word_difference(expected, actual);
    for (const auto& entry : actual) {
      words += entry.count;
    }
    html_text_extractor extractor;
    word_counter counter;
    extractor.feed(html, counter);
    extractor.finish(counter);
    all_words += counter.total_words();
  }
  std::cout << "compared " << files.size() << " pages: " << words << " main-content words of "
            << all_words << "\n";
}

TEST(MainContentDifferential, RealPagesHaveNoUnmodelledMarkup) {
  const auto files = corpus();
  if (files.empty()) {
    GTEST_SKIP() << "no documentation pages installed";
  }
  for (const auto& file : files) {
    EXPECT_FALSE(gumbo_unmodelled(read_file(file))) << file;
  }
}

TEST(MainContentDifferential, RealPagesGiveTheSameTextInAnyChunking) {
  const auto files = corpus();
  if (files.empty()) {
    GTEST_SKIP() << "no documentation pages installed";
  }
  for (std::size_t i = 0; i < files.size(); i += 8) {
    const std::string html = read_file(files[i]);
    const std::string whole = extract(html, content_scope::main);
    EXPECT_EQ(whole, extract(html, content_scope::main, 1)) << files[i];
    EXPECT_EQ(whole, extract(html, content_scope::main, 7)) << files[i];
  }
}

}  // namespace
}  // namespace wordcrawl::testing
