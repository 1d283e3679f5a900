#pragma once

// The wire protocol, one line each way per URL:
//   client -> server   a URL, UTF-8, ended by "\n" or "\r\n"; blank lines are ignored; or a
//                      JSON object with word-statistics options (wordcrawl/request.hpp)
//   server -> client   one JSON object per URL line, in completion order:
//                        {"url": U, "words": {"w": n, ...}, "status": 200, ...}   success
//                        (with "total_words", "distinct_words", and for word-statistics
//                        requests "lang", "declared_lang", "stopwords", "stemmed_as", ...)
//                        {"url": U, "error": "message", "kind": "timeout"}        failure
// "words" keeps the top-k order (most frequent first), so both sides use ordered JSON. No reply
// line is longer than max_reply_bytes: a longer word list is cut from its tail and the answer
// says "truncated": true.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/page_result.hpp"
#include "wordcrawl/word_count.hpp"

namespace wordcrawl {

/// Longest reply line, "\n" excluded, the server sends and the client accepts.
inline constexpr std::size_t max_reply_bytes = std::size_t{1024} * 1024;

/// A reply line as the client sees it: the URL it answers and what became of it.
struct reply {
  std::string url;
  page_result result;
};

/// The line's content without its trailing "\r", or nullopt for a blank line.
std::optional<std::string_view> url_from_line(std::string_view line);

/// The reply line for url ("\n" included), at most max_reply_bytes + 1 bytes long.
std::string encode_reply(std::string_view url, const page_result& result);

/// Parses a reply line (terminator optional); nullopt if it is not a valid reply. An error
/// without a kind, or with one this version does not know, is of kind internal.
std::optional<reply> parse_reply(std::string_view line);

/// {"w1": 10, "w2": 5}: the words object as the client prints it.
std::string format_words(const std::vector<word_count>& words);

/// "<url>: {...}" or "<url>: error: <message>", without a newline; control characters in the
/// URL and the message are escaped (utf8::printable). An answer that names its language (a
/// word-statistics request) ends with " (ru, 1234 words)".
std::string format_answer(const reply& answer);

/// The message of the line a server at its client limit sends before closing.
inline constexpr const char* busy_message = "server busy: too many clients";

/// {"error":"server busy: too many clients","kind":"busy"} and "\n": the one line a server
/// at its client limit sends a new connection before closing it. It names no URL: it answers
/// the connection, not a line.
std::string encode_busy();

/// True if line is that busy answer (also in its form without "kind").
bool is_busy_answer(std::string_view line);

/// {"error":message,"kind":kind} and "\n": a line that answers the connection rather than a
/// URL (busy, unauthorized, quota), sent once before the server closes it.
std::string encode_connection_error(error_kind kind, std::string_view message);

/// The error of such a connection line (an object with "error" and no "url"), or nullopt for
/// any other line. A kind this version does not know is internal.
std::optional<page_error> parse_connection_error(std::string_view line);

/// {"auth":token} and "\n": the first line a client sends to a server that wants a token.
std::string encode_auth(std::string_view token);

/// The token of an auth line (terminator optional): a JSON object whose only key is "auth",
/// a string. nullopt for any other line, a URL or a request included.
std::optional<std::string> parse_auth(std::string_view line);

/// The tokens of a token file's text: its lines without surrounding blanks, blank lines and
/// lines starting with "#" left out.
std::vector<std::string> token_lines(std::string_view text);

/// True if the line looks like an auth line: a JSON object with an "auth" key, whatever else
/// it holds. A server without tokens skips such lines instead of answering them.
bool is_auth_line(std::string_view line);

}  // namespace wordcrawl
