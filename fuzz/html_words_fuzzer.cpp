// Fuzzes the word kernel end to end (charset decoding, HTML text extraction, word counting)
// and checks its central promise: the answer does not depend on how the body is chunked.
// The first input byte picks the Content-Type; the rest is the body, fed once whole and once
// in small chunks of varying size. Any difference aborts.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/page_analyzer.hpp"

namespace {

struct content {
  wordcrawl::body_kind kind;
  std::string_view type;
};

constexpr std::array<content, 6> contents{{
    {wordcrawl::body_kind::html, "text/html"},
    {wordcrawl::body_kind::html, "text/html; charset=utf-8"},
    {wordcrawl::body_kind::html, "text/html; charset=windows-1251"},
    {wordcrawl::body_kind::html, "text/html; charset=shift_jis"},
    {wordcrawl::body_kind::plain_text, "text/plain; charset=utf-8"},
    {wordcrawl::body_kind::unknown, ""},
}};

struct result {
  std::vector<wordcrawl::word_count> words;
  std::string charset;
};

// Chunk sizes 1..16 from a tiny LCG seeded by the body size, so every run is reproducible.
result analyze(wordcrawl::page_analyzer& analyzer, const content& type, std::string_view body,
               bool whole) {
  analyzer.begin(type.kind, type.type);
  std::uint32_t state = static_cast<std::uint32_t>(body.size()) * 2654435761U + 1U;
  while (!body.empty()) {
    state = state * 1664525U + 1013904223U;
    const std::size_t n = whole ? body.size() : std::size_t{1} + (state >> 28U);
    analyzer.feed(body.substr(0, n));
    body.remove_prefix(std::min(n, body.size()));
  }
  result out;
  out.words = analyzer.finish(std::numeric_limits<std::size_t>::max());
  out.charset = analyzer.charset();
  return out;
}

}  // namespace

// NOLINTNEXTLINE(readability-identifier-naming): the name libFuzzer calls
extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  static wordcrawl::page_analyzer analyzer;  // reused, as a server worker reuses it
  const content& type = contents.at(data[0] % contents.size());
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-reinterpret-cast): libFuzzer hands out bytes
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  const result whole = analyze(analyzer, type, body, true);
  const result chunked = analyze(analyzer, type, body, false);
  if (whole.words != chunked.words || whole.charset != chunked.charset) {
    std::abort();
  }
  return 0;
}
