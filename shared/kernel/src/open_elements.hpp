#pragma once

// The stack of open elements of the HTML5 tree builder (section 13.2.4.3), reduced to what
// decides where an element ends: each entry is a 16-bit tag code and a "hidden" bit, no
// strings. Used by the extractor's main-content mode to know whether text lies inside a
// <nav>, <header>, <footer>, <aside> or an element with a landmark role.
//
// Modelled ("in body" insertion mode rules): end tags of block elements close the element
// and everything opened inside it when it is in scope, otherwise they are ignored; "any
// other end tag" stops at special elements; start tags of block elements close an open
// <p>; <li>, <dd>, <dt>, headings, <button> and a nested <a> close their predecessors; table
// start and end tags close cells, rows and sections; void elements and raw-text elements
// are never pushed. </body> and </html> close nothing (HTML5 leaves the stack as it is: text
// after them goes into the current node).
//
// Not modelled: the list of active formatting elements (adoption agency, reconstruction:
// a formatting element reopened as a clone keeps its attributes), foreign content (SVG,
// MathML), <select>, the form element pointer, quirks mode (<table> always closes a <p>).
// Tag names longer than the extractor's 16-byte prefix are told apart by that prefix only.
// Past max_depth open elements nothing more is recorded (gumbo has no such cap): a landmark
// that deep shows its text. Raw text and RCDATA elements (<title>, <textarea>, <xmp>...) are
// not pushed; the extractor hides the text of one with a landmark role up to its end tag.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace wordcrawl::html_tree {

enum tag_property : std::uint16_t {
  special = 1U << 0U,         // HTML5 "special" category
  scope_boundary = 1U << 1U,  // ends the search of "has an element in scope"
  table_boundary = 1U << 2U,  // ends the search of "in table scope"
  never_pushed = 1U << 3U,    // void, raw text, html/head/body/frameset
  closes_p = 1U << 4U,        // its start tag closes a <p> in button scope
  block_end = 1U << 5U,       // its end tag closes it when in scope
  hides = 1U << 6U,           // nav, header, footer, aside
  heading = 1U << 7U,
  table_part = 1U << 8U,  // caption, table sections, rows and cells
};

struct tag_info {
  std::string_view name;
  std::uint16_t properties;
};

constexpr std::uint16_t block = special | closes_p | block_end;
constexpr std::uint16_t unpushed = special | never_pushed;

// Every name the rules above mention (gumbo 0.10.1 knows neither <dialog> nor <search>, so
// they are ordinary elements here too). Any other name is an ordinary element.
constexpr std::array<tag_info, 97> unsorted_tags{{
    {"a", 0},
    {"address", block},
    {"applet", special | scope_boundary | block_end},
    {"area", unpushed},
    {"article", block},
    {"aside", block | hides},
    {"b", 0},
    {"base", unpushed},
    {"basefont", unpushed},
    {"bgsound", unpushed},
    {"big", 0},
    {"blockquote", block},
    {"body", unpushed},
    {"br", unpushed},
    {"button", special | block_end},
    {"caption", special | scope_boundary | table_part},
    {"center", block},
    {"code", 0},
    {"col", unpushed},
    {"colgroup", special | table_part},
    {"dd", block},
    {"details", block},
    {"dir", block},
    {"div", block},
    {"dl", block},
    {"dt", block},
    {"em", 0},
    {"embed", unpushed},
    {"fieldset", block},
    {"figcaption", block},
    {"figure", block},
    {"font", 0},
    {"footer", block | hides},
    {"form", block},
    {"frame", unpushed},
    {"frameset", unpushed},
    {"h1", block | heading},
    {"h2", block | heading},
    {"h3", block | heading},
    {"h4", block | heading},
    {"h5", block | heading},
    {"h6", block | heading},
    {"head", unpushed},
    {"header", block | hides},
    {"hgroup", block},
    {"hr", unpushed | closes_p},
    {"html", unpushed | scope_boundary | table_boundary},
    {"i", 0},
    {"iframe", unpushed},
    {"image", unpushed},
    {"img", unpushed},
    {"input", unpushed},
    {"keygen", unpushed},
    {"li", block},
    {"link", unpushed},
    {"listing", block},
    {"main", block},
    {"marquee", special | scope_boundary | block_end},
    {"menu", block},
    {"meta", unpushed},
    {"nav", block | hides},
    {"nobr", 0},
    {"noembed", unpushed},
    {"noframes", unpushed},
    {"noscript", unpushed},
    {"object", special | scope_boundary | block_end},
    {"ol", block},
    {"p", block},
    {"param", unpushed},
    {"plaintext", special | closes_p},
    {"pre", block},
    {"s", 0},
    {"script", unpushed},
    {"section", block},
    {"select", special},
    {"small", 0},
    {"source", unpushed},
    {"strike", 0},
    {"strong", 0},
    {"style", unpushed},
    {"summary", block},
    {"table", special | scope_boundary | table_boundary | closes_p},
    {"tbody", special | table_part},
    {"td", special | scope_boundary | table_part},
    {"template", special | scope_boundary | table_boundary},
    {"textarea", unpushed},
    {"tfoot", special | table_part},
    {"th", special | scope_boundary | table_part},
    {"thead", special | table_part},
    {"title", unpushed},
    {"tr", special | table_part},
    {"track", unpushed},
    {"tt", 0},
    {"u", 0},
    {"ul", block},
    {"wbr", unpushed},
    {"xmp", unpushed | closes_p},
}};

constexpr std::array<tag_info, unsorted_tags.size()> sorted_tags() {
  auto tags = unsorted_tags;
  std::sort(tags.begin(), tags.end(),
            [](const tag_info& a, const tag_info& b) { return a.name < b.name; });
  return tags;
}

constexpr std::array<tag_info, unsorted_tags.size()> tags = sorted_tags();

// Codes 1..tags.size() are the names above; other names hash into [256, 32768) (two unknown
// names may share a code: then one's end tag can close the other).
constexpr std::uint16_t first_unknown = 256;

constexpr std::uint16_t code_of(std::string_view name) {
  const auto* found =
      std::lower_bound(tags.begin(), tags.end(), name,
                       [](const tag_info& info, std::string_view key) { return info.name < key; });
  if (found != tags.end() && found->name == name) {
    return static_cast<std::uint16_t>(found - tags.begin() + 1);
  }
  std::uint32_t hash = 2166136261U;  // FNV-1a
  for (const char c : name) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 16777619U;
  }
  return static_cast<std::uint16_t>(first_unknown + hash % (32768U - first_unknown));
}

constexpr std::uint16_t properties_of(std::uint16_t code) {
  return code >= 1 && code <= tags.size() ? tags.at(code - 1U).properties : 0;
}

namespace code {
constexpr std::uint16_t a = code_of("a");
constexpr std::uint16_t button = code_of("button");
constexpr std::uint16_t caption = code_of("caption");
constexpr std::uint16_t colgroup = code_of("colgroup");
constexpr std::uint16_t dd = code_of("dd");
constexpr std::uint16_t dt = code_of("dt");
constexpr std::uint16_t li = code_of("li");
constexpr std::uint16_t ol = code_of("ol");
constexpr std::uint16_t p = code_of("p");
constexpr std::uint16_t table = code_of("table");
constexpr std::uint16_t tbody = code_of("tbody");
constexpr std::uint16_t td = code_of("td");
constexpr std::uint16_t tfoot = code_of("tfoot");
constexpr std::uint16_t th = code_of("th");
constexpr std::uint16_t thead = code_of("thead");
constexpr std::uint16_t template_element = code_of("template");
constexpr std::uint16_t tr = code_of("tr");
constexpr std::uint16_t ul = code_of("ul");
constexpr std::uint16_t address = code_of("address");
constexpr std::uint16_t div = code_of("div");
}  // namespace code

static_assert(tags.size() < first_unknown, "known codes stay below unknown ones");

// Works on the extractor's storage: one code per open element, bit 15 set when it hides its
// text, and the number of such elements.
class open_elements {
 public:
  /// Past this many open elements start tags are not recorded: their text belongs to the
  /// deepest recorded element and their end tags match nothing.
  static constexpr std::size_t max_depth = 512;

  open_elements(std::vector<std::uint16_t>& codes, std::size_t& hidden_count)
      : codes_(codes), hidden_count_(hidden_count) {}

  void start_tag(std::uint16_t tag, bool hiding_role) {
    const std::uint16_t properties = properties_of(tag);
    if ((properties & closes_p) != 0) {
      close_in_scope(code::p, scope_boundary, code::button);
    }
    if ((properties & table_part) != 0 || tag == code::table) {
      if (!start_table_part(tag)) {
        return;
      }
    } else {
      close_predecessor(tag, properties);
    }
    if ((properties & never_pushed) == 0) {
      push(tag, hiding_role || (properties & hides) != 0);
    }
  }

  void end_tag(std::uint16_t tag) {
    const std::uint16_t properties = properties_of(tag);
    if (tag == code::template_element) {
      close_in_scope(tag, 0, 0);
    } else if ((properties & table_part) != 0 || tag == code::table) {
      close_in_scope(tag, table_boundary, 0);
    } else if ((properties & heading) != 0) {
      close_heading();
    } else if (tag == code::li) {
      close_in_scope(tag, scope_boundary, code::ol, code::ul);
    } else if (tag == code::p || tag == code::button) {
      close_in_scope(tag, scope_boundary, code::button);
    } else if ((properties & block_end) != 0) {
      close_in_scope(tag, scope_boundary, 0);
    } else if ((properties & special) == 0) {
      close_any_other(tag);
    }
    // Other special end tags (</body>, </html>, </br>, void elements...) close nothing.
  }

 private:
  static constexpr std::uint16_t hidden_bit = 0x8000;

  std::uint16_t at(std::size_t i) const {
    return static_cast<std::uint16_t>(codes_[i] & ~hidden_bit);
  }

  void push(std::uint16_t tag, bool hides_text) {
    if (codes_.size() == max_depth) {
      return;
    }
    codes_.push_back(static_cast<std::uint16_t>(tag | (hides_text ? hidden_bit : 0U)));
    if (hides_text) {
      ++hidden_count_;
    }
  }

  void pop_to(std::size_t size) {
    while (codes_.size() > size) {
      if ((codes_.back() & hidden_bit) != 0) {
        --hidden_count_;
      }
      codes_.pop_back();
    }
  }

  void erase(std::size_t index) {
    if ((codes_[index] & hidden_bit) != 0) {
      --hidden_count_;
    }
    codes_.erase(codes_.begin() + static_cast<std::ptrdiff_t>(index));
  }

  // Closes the topmost `tag` (and all above it) if it is found before an element with one of
  // the boundary properties or one of the extra boundary tags.
  bool close_in_scope(std::uint16_t tag, std::uint16_t boundaries, std::uint16_t extra,
                      std::uint16_t extra2 = 0) {
    for (std::size_t i = codes_.size(); i-- > 0;) {
      const std::uint16_t open = at(i);
      if (open == tag) {
        pop_to(i);
        return true;
      }
      if ((properties_of(open) & boundaries) != 0 || (extra != 0 && open == extra) ||
          (extra2 != 0 && open == extra2)) {
        return false;
      }
    }
    return false;
  }

  void close_heading() {
    for (std::size_t i = codes_.size(); i-- > 0;) {
      const std::uint16_t properties = properties_of(at(i));
      if ((properties & heading) != 0) {
        pop_to(i);
        return;
      }
      if ((properties & scope_boundary) != 0) {
        return;
      }
    }
  }

  // "Any other end tag": the topmost element of that name, unless a special one comes first.
  void close_any_other(std::uint16_t tag) {
    for (std::size_t i = codes_.size(); i-- > 0;) {
      if (at(i) == tag) {
        pop_to(i);
        return;
      }
      if ((properties_of(at(i)) & special) != 0) {
        return;
      }
    }
  }

  // <li>, <dd>/<dt>, headings, <button> and <a>: what their start tag closes first.
  void close_predecessor(std::uint16_t tag, std::uint16_t properties) {
    if (tag == code::li || tag == code::dd || tag == code::dt) {
      close_list_item(tag);
    } else if ((properties & heading) != 0) {
      if (!codes_.empty() && (properties_of(at(codes_.size() - 1)) & heading) != 0) {
        pop_to(codes_.size() - 1);
      }
    } else if (tag == code::button) {
      close_in_scope(tag, scope_boundary, 0);
    } else if (tag == code::a) {
      close_open_link();
    }
  }

  void close_list_item(std::uint16_t tag) {
    for (std::size_t i = codes_.size(); i-- > 0;) {
      const std::uint16_t open = at(i);
      const bool same = tag == code::li ? open == code::li : (open == code::dd || open == code::dt);
      if (same) {
        pop_to(i);
        return;
      }
      if ((properties_of(open) & special) != 0 && open != code::address && open != code::div &&
          open != code::p) {
        return;
      }
    }
  }

  // A nested <a> ends the open one: the adoption agency pops it with what was opened inside,
  // or, when a special element was opened inside, takes only the <a> off the stack.
  void close_open_link() {
    for (std::size_t i = codes_.size(); i-- > 0;) {
      const std::uint16_t open = at(i);
      if (open == code::a) {
        bool special_inside = false;
        for (std::size_t j = i + 1; j < codes_.size(); ++j) {
          special_inside = special_inside || (properties_of(at(j)) & special) != 0;
        }
        if (special_inside) {
          erase(i);
        } else {
          pop_to(i);
        }
        return;
      }
      if ((properties_of(open) & scope_boundary) != 0) {  // markers: cells, captions...
        return;
      }
    }
  }

  // Table structure: a start tag closes the cells, rows and sections it cannot live in and
  // pushes the sections and rows HTML5 implies. False if the tag is ignored (no table).
  bool start_table_part(std::uint16_t tag) {
    // A caption or colgroup closes rows and sections like a section does, and implies none.
    const bool implies = tag != code::caption && tag != code::colgroup;
    const int level = implies ? table_level(tag) : section_level;
    for (std::size_t i = codes_.size(); i-- > 0;) {
      const std::uint16_t open = at(i);
      const int open_level = table_level(open);
      if (open == code::template_element) {
        return true;
      }
      if (open_level < 0) {
        continue;
      }
      if (open_level == cell_level) {  // inside a cell or caption
        if (tag == code::table) {
          return true;  // a table nested in a cell
        }
        pop_to(i);
        continue;
      }
      if (tag == code::table) {  // a table directly in a table closes it
        pop_to(index_of_table(i));
        return true;
      }
      if (open_level >= level) {  // a row closes a row, a section a section...
        pop_to(i);
        continue;
      }
      pop_to(i + 1);
      if (!implies) {
        return true;
      }
      if (level == cell_level && open_level < row_level) {
        if (open_level < section_level) {
          push(code::tbody, false);
        }
        push(code::tr, false);
      } else if (level == row_level && open_level < section_level) {
        push(code::tbody, false);
      }
      return true;
    }
    return tag == code::table;
  }

  std::size_t index_of_table(std::size_t from) const {
    for (std::size_t i = from + 1; i-- > 0;) {
      if (at(i) == code::table) {
        return i;
      }
    }
    return 0;
  }

  static constexpr int whole_table_level = 0;
  static constexpr int section_level = 1;
  static constexpr int row_level = 2;
  static constexpr int cell_level = 3;

  static int table_level(std::uint16_t tag) {
    if (tag == code::table) {
      return whole_table_level;
    }
    if (tag == code::tbody || tag == code::thead || tag == code::tfoot) {
      return section_level;
    }
    if (tag == code::tr) {
      return row_level;
    }
    if (tag == code::td || tag == code::th || tag == code::caption) {
      return cell_level;
    }
    if (tag == code::colgroup) {
      return section_level;
    }
    return -1;
  }

  std::vector<std::uint16_t>& codes_;
  std::size_t& hidden_count_;
};

}  // namespace wordcrawl::html_tree
