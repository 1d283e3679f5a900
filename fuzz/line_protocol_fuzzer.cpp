// Fuzzes what the server does with untrusted client bytes before any fetch: line framing
// (any chunking, over-long lines, stray "\r"), URL extraction, and the reply encoder and
// parser (which must round-trip any URL, valid UTF-8 or not, as one valid JSON line).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/line_framer.hpp"
#include "wordcrawl/protocol.hpp"

namespace {

constexpr std::size_t max_line = 64;

void check(bool condition) {
  if (!condition) {
    std::abort();
  }
}

std::vector<wordcrawl::framed_line> frame(std::string_view bytes, std::size_t chunk) {
  wordcrawl::line_framer framer(max_line);
  std::vector<wordcrawl::framed_line> lines;
  for (std::size_t at = 0; at < bytes.size(); at += chunk) {
    framer.feed(bytes.substr(at, chunk));
    while (auto line = framer.next()) {
      lines.push_back(std::move(*line));
    }
  }
  return lines;
}

void check_reply_round_trip(std::string_view url) {
  using wordcrawl::page_result;
  const auto line = wordcrawl::encode_reply(
      url, page_result::failure(wordcrawl::error_kind::bad_request, "not a URL"));
  check(line.find('\n') == line.size() - 1);
  const auto parsed = wordcrawl::parse_reply(line);
  check(parsed.has_value() && parsed->result.error.has_value() &&
        parsed->result.error->kind == wordcrawl::error_kind::bad_request);
  const auto words = wordcrawl::encode_reply(url, page_result{.words = {{std::string(url), 1}}});
  check(words.size() <= wordcrawl::max_reply_bytes + 1);
  check(wordcrawl::parse_reply(words).has_value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::size_t chunk = data[0] % 17 + 1;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);

  const auto whole = frame(bytes, bytes.size() + 1);
  check(frame(bytes, chunk) == whole);  // chunking never changes the lines
  std::size_t newlines = 0;
  for (const char c : bytes) {
    newlines += c == '\n' ? 1 : 0;
  }
  check(whole.size() == newlines);  // one line per terminator, over-long ones included
  for (const auto& line : whole) {
    check(line.text.size() <= max_line);
    if (const auto url = wordcrawl::url_from_line(line.text)) {
      check(!url->empty());
      check_reply_round_trip(*url);
    }
  }
  (void)wordcrawl::parse_reply(bytes);  // arbitrary server bytes never crash the client
  return 0;
}
