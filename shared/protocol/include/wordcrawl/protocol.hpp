#pragma once

// The wire protocol, one line each way per URL:
//   client -> server   a URL, UTF-8, ended by "\n" or "\r\n"; blank lines are ignored
//   server -> client   one JSON object per URL line, in completion order:
//                        {"url": U, "words": {"w": n, ...}, "status": 200, ...}   success
//                        {"url": U, "error": "message"}                           failure
// "words" keeps the top-k order (most frequent first), so both sides use ordered JSON.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/word_count.hpp"

namespace wordcrawl {

/// What the server learnt while fetching a page; sent beside the words.
struct fetch_details {
  std::int64_t status = 0;       // final HTTP status
  std::string final_url;         // after redirects
  std::uint64_t bytes = 0;       // decoded body bytes
  std::uint64_t elapsed_ms = 0;  // fetch and count, retries included
  std::string charset;           // the charset the body was decoded from
};

/// A reply line as the client sees it.
struct reply {
  std::string url;
  std::vector<word_count> words;     // empty on error
  std::optional<std::string> error;  // set on failure
};

/// The line's content without its trailing "\r", or nullopt for a blank line.
std::optional<std::string_view> url_from_line(std::string_view line);

/// Success reply line, "\n" included.
std::string encode_words_reply(std::string_view url, const std::vector<word_count>& words,
                               const fetch_details& details);

/// Failure reply line, "\n" included.
std::string encode_error_reply(std::string_view url, std::string_view message);

/// Parses a reply line (terminator optional); nullopt if it is not a valid reply.
std::optional<reply> parse_reply(std::string_view line);

/// {"w1": 10, "w2": 5}: the words object as the client prints it.
std::string format_words(const std::vector<word_count>& words);

/// "<url>: {...}" or "<url>: error: <message>", without a newline.
std::string format_answer(const reply& answer);

}  // namespace wordcrawl
