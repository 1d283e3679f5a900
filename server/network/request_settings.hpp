#pragma once

// From a request line's options and the server's defaults to how its answer is made.

#include <cstddef>
#include <variant>

#include "fetch/url_processor.hpp"
#include "wordcrawl/page_result.hpp"
#include "wordcrawl/request.hpp"

namespace wordcrawl {

/// The server's defaults for what a request leaves out (--stopwords, --stem, --content, -k)
/// and the largest k a request may ask for (--max-k).
struct request_defaults {
  std::size_t k = 10;
  std::size_t max_k = 1000;
  stopword_choice stopwords{};
  bool stem = false;
  content_choice content = content_choice::all;

  /// True if every default counts every word of the whole page, as a bare server does.
  bool plain() const {
    return stopwords.how == stopword_choice::mode::none && !stem && content == content_choice::all;
  }
};

/// The answer's settings, or a bad_request error: k over max_k, or a stop list asked for a
/// language that has none. The language is detected (and reported) for a JSON request and
/// whenever the options need it.
std::variant<answer_settings, page_error> resolve_settings(const request& asked,
                                                           const request_defaults& defaults);

/// The error for a stop-word choice naming a language without a list, if any.
std::optional<page_error> check_stopwords(const stopword_choice& choice);

}  // namespace wordcrawl
