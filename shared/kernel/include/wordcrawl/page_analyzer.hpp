#pragma once

// The word kernel's front door: the raw body of one page goes in chunk by chunk, exactly as
// libcurl delivers it; its top-k words come out. Charset decoding, HTML text extraction,
// word segmentation, case folding and counting all happen while streaming, so the whole page
// is never held. One analyzer per worker thread, reused from page to page.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/word_count.hpp"
#include "wordcrawl/word_options.hpp"

namespace wordcrawl {

/// How a body is counted, from its Content-Type.
enum class body_kind {
  html,        // text/html, application/xhtml+xml
  plain_text,  // text/plain
  unknown,     // no Content-Type: sniff the first bytes (see sniff_body_kind)
  unsupported  // anything else: not counted, answered with an error
};

/// Classifies a Content-Type header value such as "text/html; charset=koi8-r".
body_kind classify_content_type(std::string_view content_type);

/// A body of unknown kind is sniffed from this many first bytes (the MIME Sniffing standard's
/// resource header), whatever the chunks they arrive in.
inline constexpr std::size_t sniff_bytes = 1445;

/// For a body sent without Content-Type: html or plain_text if its first sniff_bytes look like
/// text, unsupported if they look binary.
body_kind sniff_body_kind(std::string_view first_bytes);

class page_analyzer {
 public:
  page_analyzer();
  ~page_analyzer();
  page_analyzer(const page_analyzer&) = delete;
  page_analyzer& operator=(const page_analyzer&) = delete;
  page_analyzer(page_analyzer&& other) noexcept;
  page_analyzer& operator=(page_analyzer&& other) noexcept;

  /// Starts a new page; forgets the previous one but keeps its memory for reuse.
  /// content_type is the HTTP header value (its charset parameter is honoured), maybe empty.
  /// kind is html, plain_text or unknown; an unknown body is held until sniff_bytes have come
  /// (or the body ends) and then sniffed.
  void begin(body_kind kind, std::string_view content_type);
  /// The same, for an answer with word options (stop words, stems, main content, language).
  void begin(body_kind kind, std::string_view content_type, const word_options& options);

  /// Feeds the next bytes of the body. Output does not depend on how the body is chunked.
  /// Returns false once a sniffed body has shown itself to be binary: stop feeding it.
  bool feed(std::string_view bytes);

  /// Ends the page and returns its k most frequent words: count descending, then word
  /// ascending by code point. Nothing for a binary body (see binary()).
  std::vector<word_count> finish(std::size_t k);

  /// Ends the page and returns its answer under the options given to begin(): the words,
  /// totals, languages. Empty for a binary body.
  page_words finish_page(std::size_t k);

  /// True if the body was sniffed as binary: it is not text and was not counted.
  bool binary() const;

  /// WHATWG name of the charset the page was decoded from (valid after the first feed).
  const std::string& charset() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace wordcrawl
