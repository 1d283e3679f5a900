#pragma once

// A request line is either a bare URL (as it always was) or a JSON object asking for word
// statistics:
//   https://example.org/page
//   {"url": "https://example.org/page", "stopwords": "auto", "stem": true, "content": "main", "k":
//   20}
// A URL never starts with "{", so the two forms cannot be confused. Every key but "url" is
// optional; a key left out takes the server's default. Unknown keys and bad values are errors
// of kind bad_request, answered like any other line.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// Which stop words to leave out of the counts.
struct stopword_choice {
  enum class mode : unsigned char {
    none,       // count every word (the default)
    automatic,  // the lists of every language that makes up a real share of the text
    listed      // the lists of the languages named
  };
  mode how = mode::none;
  std::vector<std::string> languages{};  // lowercase codes, for listed

  bool operator==(const stopword_choice&) const = default;
};

/// Which part of an HTML page is counted.
enum class content_choice : unsigned char {
  all,  // every visible text (the default)
  main  // without navigation, banners, footers and asides
};

/// What one request asks of the count; a field left unset takes the server's default.
struct word_options_request {
  std::optional<stopword_choice> stopwords{};
  std::optional<bool> stem{};
  std::optional<content_choice> content{};
  std::optional<std::size_t> k{};

  bool empty() const { return !stopwords && !stem && !content && !k; }
  bool operator==(const word_options_request&) const = default;
};

struct request {
  std::string url;
  word_options_request options{};
  bool json = false;  // the line was a JSON object
};

/// A request line that cannot be served: what to answer, and for which URL (the request's
/// "url" if it had one, else the line itself).
struct request_error {
  std::string url;
  page_error error;
};

/// Parses a non-blank request line (as url_from_line gives it).
std::variant<request, request_error> parse_request(std::string_view line);

/// "none", "auto" or "en,ru" (case-insensitive; spaces around commas allowed); nullopt if it
/// is none of those. A language is 2 or 3 ASCII letters.
std::optional<stopword_choice> parse_stopwords(std::string_view text);
/// The inverse of parse_stopwords: "none", "auto" or "en,ru".
std::string to_string(const stopword_choice& choice);

/// "all" or "main"; nullopt otherwise.
std::optional<content_choice> parse_content(std::string_view text);
std::string_view to_string(content_choice choice);

/// The request line for url ("\n" included): the bare URL when options is empty, else the
/// JSON object with the options set.
std::string encode_request(std::string_view url, const word_options_request& options);

}  // namespace wordcrawl
