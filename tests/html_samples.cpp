#include "html_samples.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <random>
#include <sstream>
#include <string_view>
#include <system_error>

namespace wordcrawl::testing {
namespace {

namespace fs = std::filesystem;

constexpr std::array<std::string_view, 24> words{
    "hello",    "World",    "don't",    "it’s",
    "Слово",    "СЛОВО",    "ёлка",     "Ёлка",
    "ΣΟΦΙΑ",    "σοφίας",   "日本語",   "ひらがな",
    "カタカナ", "中文分词", "ภาษาไทย",  "می‌خواهم",
    "naïve",    "Straße",   "x2",       "2024",
    "3.14",     "ĳssel",    "İstanbul", "l'été"};

constexpr std::array<std::string_view, 26> references{"&amp;",
                                                      "&amp",
                                                      "&notit;",
                                                      "&notin;",
                                                      "&nbsp;",
                                                      "&eacute;",
                                                      "&Eacute",
                                                      "&#233;",
                                                      "&#xE9;",
                                                      "&#x110000;",
                                                      "&#0;",
                                                      "&#128;",
                                                      "&#x9F;",
                                                      "&#55296;",
                                                      "&#;",
                                                      "&#x;",
                                                      "& ",
                                                      "&zzz;",
                                                      "&ampx",
                                                      "&lt",
                                                      "&#65",
                                                      "&#X41;",
                                                      "&CounterClockwiseContourIntegral;",
                                                      "&rsquo;",
                                                      "&hellip;",
                                                      "&#8217;s"};

constexpr std::array<std::string_view, 12> comments{"<!-- note -->",
                                                    "<!---->",
                                                    "<!-->",
                                                    "<!--->",
                                                    "<!-- a -- b -->",
                                                    "<!-- a --!>",
                                                    "<!-- <!-- x -->",
                                                    "<!--x--!y-->",
                                                    "<?php echo 1 ?>",
                                                    "<!x y>",
                                                    "<![CDATA[ cdata words ]]>",
                                                    "</ bogus>"};

constexpr std::array<std::string_view, 16> raw_elements{
    "<script>var s = '<b>no</b>';</script>",
    "<script><!-- <script> </script> still code --></script>",
    "<script>if (a</scriptx) {}</SCRIPT >",
    "<script type=\"x\"><!-- -- --> after</script>",
    "<style>p > b { content: \"hidden\" }</style>",
    "<noscript>enable scripts</noscript>",
    "<xmp>raw <b>bold</b> &amp; text</xmp>",
    "<iframe>frame words</iframe>",
    "<noembed>embed words</noembed>",
    "<noframes>frames words</noframes>",
    "<title>Title &amp; words <b>tag</b></title>",
    "<textarea>area &lt;b&gt; text</textarea >",
    "<template>hidden <b>template</b> words</template>",
    "<template><template>deep</template>still hidden</template>",
    "<title>unclosed title </titlex> more</title>",
    "<textarea>a</textareaa>b</textarea>"};

constexpr std::array<std::string_view, 8> inline_tags{"b", "i",    "em",  "span",
                                                      "a", "code", "div", "p"};

constexpr std::array<std::string_view, 8> attributes{
    "",        " class=x", " title=\"a > b\"",    " data-x='it''s'", " alt=\"words &amp; more\"",
    " hidden", " a=b=c",   " title=\"<b>no</b>\""};

constexpr std::array<std::string_view, 8> odd_text{" a < b ",  " x<3 ", " <> ",    "</>",
                                                   " y <= z ", " &",    " 1 > 0 ", "tail\r\n"};

class PageBuilder {
 public:
  explicit PageBuilder(unsigned seed) : random_(seed) {}

  std::string build() {
    out_ = "<!DOCTYPE html><html><head><title>";
    out_ += pick(words);
    out_ += "</title></head><body>";
    const std::size_t fragments = 10 + below(60);
    for (std::size_t i = 0; i < fragments; ++i) {
      fragment();
    }
    while (!open_.empty()) {
      close();
    }
    out_ += "</body></html>";
    return out_;
  }

 private:
  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  template <typename List>
  std::string_view pick(const List& list) {
    return list.at(below(list.size()));
  }

  void fragment() {
    switch (below(10)) {
      case 0:
      case 1:
        out_ += pick(words);
        out_ += below(3) == 0 ? "" : " ";
        break;
      case 2:
        out_ += pick(references);
        break;
      case 3:
        out_ += pick(comments);
        break;
      case 4:
        out_ += pick(raw_elements);
        break;
      case 5:
        open();
        break;
      case 6:
        if (!open_.empty()) {
          close();
        }
        break;
      case 7:
        out_ += below(2) == 0 ? "<br>" : "<img src='a>b' alt=\"x\"/>";
        break;
      default:
        out_ += pick(odd_text);
        break;
    }
  }

  void open() {
    std::string_view tag = pick(inline_tags);
    if (tag == "a" && std::find(open_.begin(), open_.end(), "a") != open_.end()) {
      tag = "span";  // a nested <a> closes the outer one: its </a> would then be stray
    }
    std::string name(tag);
    if (below(4) == 0) {
      std::transform(name.begin(), name.end(), name.begin(),
                     [](char c) { return static_cast<char>(c - 'a' + 'A'); });
    }
    out_ += '<' + name;
    out_ += pick(attributes);
    out_ += '>';
    open_.emplace_back(tag);
  }

  void close() {
    out_ += "</" + open_.back() + ">";
    open_.pop_back();
  }

  std::mt19937 random_;
  std::string out_;
  std::vector<std::string> open_;
};

constexpr std::array<std::string_view, 22> landmark_tags{
    "nav",        "header", "footer", "aside",   "div",   "section",  "p",  "span",
    "ul",         "li",     "ol",     "article", "main",  "x-widget", "em", "b",
    "blockquote", "h2",     "dl",     "dd",      "table", "td"};

constexpr std::array<std::string_view, 16> role_attributes{" role=navigation",
                                                           " role=\"NAVIGATION\"",
                                                           " role='Banner'",
                                                           " role=\" contentinfo \"",
                                                           " role=\"foo complementary\"",
                                                           " role=\"main navigation\"",
                                                           " role=presentation",
                                                           " role=\"nav&#105;gation\"",
                                                           " role=\"banner&#32;x\"",
                                                           " ROLE=complementary",
                                                           " role=\"\"",
                                                           " role=\"navigation\" role=main",
                                                           " role=\"main\" role=navigation",
                                                           " class=nav",
                                                           " data-role=navigation",
                                                           " role=\"\tcontentinfo\n\""};

constexpr std::array<std::string_view, 11> landmark_extras{
    "<br>",
    "<img src=x alt='nav'>",
    "<hr>",
    "<input value=header>",
    "<!-- </nav> -->",
    "<script>document.write('</nav>')</script>",
    "<title> titled </title>",
    "<wbr/>",
    "<textarea role=navigation> area </textarea>",
    "<xmp ROLE=\"x Banner\"> raw </xmp>",
    "<p role=contentinfo> para <div> block </div>"};

// Random case, as tag names and attribute values are ASCII case-insensitive.
std::string odd_case(std::string_view name, bool upper) {
  std::string out(name);
  if (upper) {
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; });
  }
  return out;
}

class LandmarkBuilder {
 public:
  explicit LandmarkBuilder(unsigned seed) : random_(seed) {}

  std::string build() {
    out_ = below(4) == 0 ? "" : "<!DOCTYPE html>";
    out_ += "<html><head><title> page title </title></head><body>";
    const std::size_t fragments = 10 + below(70);
    for (std::size_t i = 0; i < fragments; ++i) {
      fragment();
    }
    if (below(3) != 0) {
      while (!open_.empty()) {
        close_top();
      }
    }
    if (below(2) == 0) {
      out_ += "</body>";
      out_ += below(2) == 0 ? " after body " : "";
      out_ += "</html>";
      out_ += below(2) == 0 ? " after html " : "";
    }
    return out_;
  }

 private:
  std::size_t below(std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_);
  }

  template <typename List>
  std::string_view pick(const List& list) {
    return list.at(below(list.size()));
  }

  void fragment() {
    switch (below(12)) {
      case 0:
      case 1:
      case 2:
        out_ += ' ';
        out_ += pick(words);
        out_ += ' ';
        break;
      case 3:
      case 4:
        open();
        break;
      case 5:
      case 6:
        if (!open_.empty()) {
          close_top();
        }
        break;
      case 7:  // an end tag for an ancestor, or for nothing open
        out_ += "</";
        out_ += odd_case(pick(landmark_tags), below(3) == 0);
        out_ += '>';
        break;
      case 8:
        out_ += pick(landmark_extras);
        break;
      case 9: {  // self-closing syntax, ignored on non-void HTML elements: it stays open
        const std::string tag = below(2) == 0 ? "nav" : "aside";
        out_ += '<';
        out_ += tag;
        out_ += "/>";
        open_.push_back(tag);
        break;
      }
      default:
        out_ += ' ';
        out_ += pick(words);
        out_ += ' ';
        break;
    }
  }

  void open() {
    const std::string_view tag = pick(landmark_tags);
    out_ += '<';
    out_ += odd_case(tag, below(4) == 0);
    // No role on formatting or table elements: see main_content_test.cpp.
    if (tag != "em" && tag != "b" && tag != "table" && tag != "td" && below(3) == 0) {
      out_ += pick(role_attributes);
    }
    out_ += ">";
    if (tag == "table") {
      out_ += "<tr>";
    }
    open_.emplace_back(tag);
  }

  void close_top() {
    if (below(5) != 0) {  // otherwise left for an implied end
      out_ += "</";
      out_ += open_.back();
      out_ += '>';
    }
    open_.pop_back();
  }

  std::mt19937 random_;
  std::string out_;
  std::vector<std::string> open_;
};

void add_sample(const fs::path& dir, std::size_t stride, std::vector<fs::path>& out) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return;
  }
  std::vector<fs::path> pages;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file(ec) && it->path().extension() == ".html") {
      pages.push_back(it->path());
    }
  }
  std::sort(pages.begin(), pages.end());
  for (std::size_t i = 0; i < pages.size(); i += stride) {
    out.push_back(pages[i]);
  }
}

}  // namespace

std::string generate_page(unsigned seed) {
  return PageBuilder(seed).build();
}

std::string generate_landmark_page(unsigned seed) {
  return LandmarkBuilder(seed).build();
}

std::vector<fs::path> documentation_pages(std::size_t stride) {
  std::vector<fs::path> out;
  const fs::path handbook = "/usr/share/doc/debian-handbook/html";
  std::error_code ec;
  if (fs::is_directory(handbook, ec)) {
    std::vector<fs::path> languages;
    for (const auto& entry : fs::directory_iterator(handbook, ec)) {
      languages.push_back(entry.path());
    }
    std::sort(languages.begin(), languages.end());
    for (const auto& language : languages) {
      add_sample(language, stride, out);
    }
  }
  add_sample("/usr/share/doc/python3.11/html", stride, out);
  return out;
}

std::string word_difference(const std::vector<word_count>& expected,
                            const std::vector<word_count>& actual) {
  using word_list = std::vector<word_count>;
  auto by_word = [](word_list list) {
    std::sort(list.begin(), list.end(),
              [](const word_count& a, const word_count& b) { return a.word < b.word; });
    return list;
  };
  const word_list a = by_word(expected);
  const word_list b = by_word(actual);
  std::ostringstream out;
  std::size_t i = 0;
  std::size_t j = 0;
  int shown = 0;
  while ((i < a.size() || j < b.size()) && shown < 8) {
    if (j == b.size() || (i < a.size() && a[i].word < b[j].word)) {
      out << " [" << a[i].word << " gumbo " << a[i].count << " kernel 0]";
      ++i;
      ++shown;
    } else if (i == a.size() || b[j].word < a[i].word) {
      out << " [" << b[j].word << " gumbo 0 kernel " << b[j].count << "]";
      ++j;
      ++shown;
    } else {
      if (a[i].count != b[j].count) {
        out << " [" << a[i].word << " gumbo " << a[i].count << " kernel " << b[j].count << "]";
        ++shown;
      }
      ++i;
      ++j;
    }
  }
  return out.str();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

}  // namespace wordcrawl::testing
