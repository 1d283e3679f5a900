#include "wordcrawl/page_analyzer.hpp"

#include <stdexcept>

#include "wordcrawl/charset_decoder.hpp"
#include "wordcrawl/html_text_extractor.hpp"
#include "wordcrawl/word_counter.hpp"

namespace wordcrawl {

struct page_analyzer::impl {
  charset_decoder decoder;
  html_text_extractor extractor;
  word_counter counter;
  bool html = true;

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
  // A body of unknown kind that reached us was sniffed as text; HTML rules read plain text
  // the same except for markup, so they are the safe choice.
  impl_->html = kind != body_kind::plain_text;
  impl_->decoder.reset(content_type, impl_->html);
  impl_->extractor.reset();
  impl_->counter.reset();
}

void page_analyzer::feed(std::string_view bytes) {
  impl_->consume(impl_->decoder.decode(bytes));
}

std::vector<word_count> page_analyzer::finish(std::size_t k) {
  impl_->consume(impl_->decoder.finish());
  if (impl_->html) {
    impl_->extractor.finish(impl_->counter);
  } else {
    impl_->counter.boundary();
  }
  return impl_->counter.top(k);
}

const std::string& page_analyzer::charset() const {
  return impl_->decoder.name();
}

}  // namespace wordcrawl
