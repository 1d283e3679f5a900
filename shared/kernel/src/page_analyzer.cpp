#include "wordcrawl/page_analyzer.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "wordcrawl/charset_decoder.hpp"
#include "wordcrawl/html_text_extractor.hpp"
#include "wordcrawl/word_counter.hpp"

namespace wordcrawl {

struct page_analyzer::impl {
  charset_decoder decoder;
  html_text_extractor extractor;
  word_counter counter;
  bool html = true;
  bool sniffing = false;  // kind unknown: the first bytes are held in sniffed
  bool binary = false;
  std::string content_type;
  std::string sniffed;

  void start(body_kind kind) {
    html = kind != body_kind::plain_text;
    decoder.reset(content_type, html);
  }

  // Decides an unknown body's kind from its first bytes and counts them.
  void end_sniffing() {
    sniffing = false;
    const auto kind = sniff_body_kind(sniffed);
    if (kind == body_kind::unsupported) {
      binary = true;
      return;
    }
    start(kind);
    consume(decoder.decode(sniffed));
  }

  void consume(std::string_view text) {
    if (text.empty()) {
      return;
    }
    if (html) {
      extractor.feed(text, counter);
    } else {
      counter.text(text);
    }
  }
};

page_analyzer::page_analyzer() : impl_(std::make_unique<impl>()) {}
page_analyzer::~page_analyzer() = default;
page_analyzer::page_analyzer(page_analyzer&&) noexcept = default;
page_analyzer& page_analyzer::operator=(page_analyzer&&) noexcept = default;

void page_analyzer::begin(body_kind kind, std::string_view content_type) {
  if (kind == body_kind::unsupported) {
    throw std::invalid_argument("page_analyzer: an unsupported body cannot be counted");
  }
  auto& state = *impl_;
  state.content_type.assign(content_type);
  state.sniffing = kind == body_kind::unknown;
  state.binary = false;
  state.sniffed.clear();
  if (state.sniffing) {
    // No charset until the kind is known: charset() must not name the previous page's.
    state.decoder.reset(content_type, true);
  } else {
    state.start(kind);
  }
  state.extractor.reset();
  state.counter.reset();
}

bool page_analyzer::feed(std::string_view bytes) {
  auto& state = *impl_;
  if (state.sniffing) {
    const auto take = std::min(bytes.size(), sniff_bytes - state.sniffed.size());
    state.sniffed.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    if (state.sniffed.size() < sniff_bytes) {
      return true;
    }
    state.end_sniffing();
  }
  if (state.binary) {
    return false;
  }
  state.consume(state.decoder.decode(bytes));
  return true;
}

std::vector<word_count> page_analyzer::finish(std::size_t k) {
  auto& state = *impl_;
  if (state.sniffing) {
    state.end_sniffing();
  }
  if (state.binary) {
    return {};
  }
  state.consume(state.decoder.finish());
  if (state.html) {
    state.extractor.finish(state.counter);
  } else {
    state.counter.boundary();
  }
  return state.counter.top(k);
}

bool page_analyzer::binary() const {
  return impl_->binary;
}

const std::string& page_analyzer::charset() const {
  return impl_->decoder.name();
}

}  // namespace wordcrawl
