#include "wordcrawl/page_analyzer.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "word_selection.hpp"
#include "word_stemmer.hpp"
#include "wordcrawl/ascii.hpp"
#include "wordcrawl/charset_decoder.hpp"
#include "wordcrawl/html_text_extractor.hpp"
#include "wordcrawl/language_detector.hpp"
#include "wordcrawl/stop_words.hpp"
#include "wordcrawl/word_counter.hpp"

namespace wordcrawl {
namespace {

// A language "makes up a real share of the text" from this percentage of it on.
constexpr int real_share_percent = 10;

// Passes text on to the counter and keeps its first bytes, cut at a code point, as the sample
// the language is detected from: a bounded cost whatever the page's size.
class sampling_sink final : public text_sink {
 public:
  sampling_sink(text_sink& next, std::string& sample) : next_(next), sample_(sample) {}

  void text(std::string_view utf8) override {
    next_.text(utf8);
    const auto room = language_detector::sample_bytes - sample_.size();
    if (room == 0) {
      return;
    }
    auto take = std::min(room, utf8.size());
    while (take < utf8.size() && take > 0 &&
           (static_cast<unsigned char>(utf8[take]) & 0xC0U) == 0x80U) {
      --take;  // do not cut a code point
    }
    sample_.append(utf8.substr(0, take));
    if (take < utf8.size()) {
      sample_.resize(language_detector::sample_bytes, ' ');  // full: no later text fits
    }
  }

  void boundary() override {
    next_.boundary();
    if (sample_.size() < language_detector::sample_bytes && !sample_.empty() &&
        sample_.back() != ' ') {
      sample_.push_back(' ');
    }
  }

 private:
  text_sink& next_;
  std::string& sample_;
};

// The first language tag of a Content-Language header ("ru-RU, en" gives "ru-ru").
std::string first_language_tag(std::string_view header) {
  const auto comma = header.find(',');
  return ascii::to_lower(ascii::trim(header.substr(0, comma)));
}

}  // namespace

struct page_analyzer::impl {
  charset_decoder decoder;
  html_text_extractor extractor;
  word_counter counter;
  word_options options;
  language_detector detector;
  word_stemmer stemmer;
  std::string sample;  // the text's first bytes, when its language is needed
  sampling_sink sampler{counter, sample};
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
    text_sink& sink = options.needs_language() ? static_cast<text_sink&>(sampler) : counter;
    if (html) {
      extractor.feed(text, sink);
    } else {
      sink.text(text);
    }
  }

  // Ends the body; false if it was binary and nothing was counted.
  bool end_body() {
    if (sniffing) {
      end_sniffing();
    }
    if (binary) {
      return false;
    }
    consume(decoder.finish());
    text_sink& sink = options.needs_language() ? static_cast<text_sink&>(sampler) : counter;
    if (html) {
      extractor.finish(sink);
    } else {
      sink.boundary();
    }
    return true;
  }

  std::vector<const stop_list*> stop_lists(const language_guess& guess) const {
    std::vector<const stop_list*> lists;
    const auto add = [&lists](std::string_view code) {
      const auto* list = find_stop_list(code);
      if (list != nullptr && std::find(lists.begin(), lists.end(), list) == lists.end()) {
        lists.push_back(list);
      }
    };
    if (options.stopwords == word_options::stop_mode::listed) {
      for (const auto& code : options.stop_languages) {
        add(code);
      }
    } else if (options.stopwords == word_options::stop_mode::automatic) {
      for (const auto& share : guess.languages) {
        if (share.percent >= real_share_percent) {
          add(share.code);
        }
      }
    }
    return lists;
  }
};

page_analyzer::page_analyzer() : impl_(std::make_unique<impl>()) {}
page_analyzer::~page_analyzer() = default;
page_analyzer::page_analyzer(page_analyzer&&) noexcept = default;
page_analyzer& page_analyzer::operator=(page_analyzer&&) noexcept = default;

void page_analyzer::begin(body_kind kind, std::string_view content_type) {
  begin(kind, content_type, word_options{});
}

void page_analyzer::begin(body_kind kind, std::string_view content_type,
                          const word_options& options) {
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
  state.options = options;
  state.extractor.reset(options.content);
  state.counter.reset();
  state.sample.clear();
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
  if (!state.end_body()) {
    return {};
  }
  return state.counter.top(k);
}

page_words page_analyzer::finish_page(std::size_t k) {
  auto& state = *impl_;
  page_words page;
  if (!state.end_body()) {
    return page;
  }
  page.total_words = state.counter.total_words();
  page.distinct_words = state.counter.distinct_words();
  page.declared_lang = state.html ? state.extractor.declared_lang() : std::string();
  if (page.declared_lang.empty()) {
    page.declared_lang = first_language_tag(state.options.content_language);
  }
  language_guess guess;
  if (state.options.needs_language()) {
    guess = state.detector.detect(state.sample);
    page.lang = guess.main();
  }
  const auto lists = state.stop_lists(guess);
  for (const auto* list : lists) {
    page.stop_languages.emplace_back(list->language());
  }
  if (state.options.stem) {
    if (page.lang.empty()) {
      page.not_stemmed = "language unknown";
    } else if (state.stemmer.supports(page.lang)) {
      page.stemmed_as = page.lang;
    } else {
      page.not_stemmed = "no Snowball stemmer for '" + page.lang + "'";
    }
  }
  page.words = lists.empty() && page.stemmed_as.empty()
                   ? state.counter.top(k)
                   : select_words(state.counter, lists, state.stemmer, page.stemmed_as, k);
  return page;
}

bool page_analyzer::binary() const {
  return impl_->binary;
}

const std::string& page_analyzer::charset() const {
  return impl_->decoder.name();
}

}  // namespace wordcrawl
