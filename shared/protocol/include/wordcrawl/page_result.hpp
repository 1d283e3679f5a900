#pragma once

// What became of one URL, as data: the words and what the fetch learnt, or an error with its
// kind. A worker makes it, the protocol encodes it once, the client parses it back into the
// same type; the progress log and both summaries count by kind, never by message text.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "wordcrawl/error_kind.hpp"
#include "wordcrawl/word_count.hpp"

namespace wordcrawl {

// Every member below has an initializer, so that a designated initializer may name only the
// members it sets without GCC's -Wmissing-field-initializers.

/// What the server learnt while fetching a page; sent beside the words.
struct fetch_details {
  std::int64_t status = 0;       // final HTTP status
  std::string final_url{};       // after redirects
  std::uint64_t bytes = 0;       // decoded body bytes
  std::uint64_t elapsed_ms = 0;  // fetch and count, retries included
  std::string charset{};         // the charset the body was decoded from
};

/// What the words are out of, and what was done to them; sent beside the words.
struct word_stats {
  std::uint64_t total_words = 0;     // every word of the counted text, before filtering
  std::uint64_t distinct_words = 0;  // distinct words among them
  std::string lang{};                // detected language of the text, when it was needed
  std::string declared_lang{};       // <html lang> or Content-Language, when the page has one
  std::string stopwords{};           // the stop lists left out, "en,ru" ("" for none)
  std::string stemmed_as{};          // words merged by their stem in this language
  std::string not_stemmed{};         // why stems were asked for and not applied

  bool operator==(const word_stats&) const = default;
};

/// Why a URL has no words: its kind for programs, its message for people.
struct page_error {
  error_kind kind = error_kind::internal;
  std::string message{};

  bool operator==(const page_error&) const = default;
};

struct page_result {
  std::vector<word_count> words{};  // most frequent first; empty on error
  fetch_details details{};
  word_stats stats{};
  bool truncated = false;  // words were cut to fit the reply size limit
  std::optional<page_error> error{};

  bool ok() const { return !error.has_value(); }

  static page_result failure(page_error error) {
    page_result result;
    result.error = std::move(error);
    return result;
  }

  static page_result failure(error_kind kind, std::string message) {
    return failure(page_error{kind, std::move(message)});
  }
};

/// "timeout: timeout after 30 s", for logs and test failures.
std::ostream& operator<<(std::ostream& out, const page_error& error);

/// The message of a shutting_down error, the same wherever it is produced.
inline constexpr const char* shutting_down_message = "server shutting down";

}  // namespace wordcrawl
