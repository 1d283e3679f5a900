#include "fetch/fetching_processor.hpp"

#include <memory>

#include "fetch/url_check.hpp"
#include "status/worker_board.hpp"
#include "wordcrawl/content_type.hpp"

namespace wordcrawl {
namespace {

constexpr const char* binary_message = "unsupported content: binary body without type";

page_error unsupported_type(std::string_view content_type) {
  return {error_kind::content_type, "unsupported content type '" + media_type(content_type) + "'"};
}

}  // namespace

fetching_processor::fetching_processor(const fetch_options& options, curl_share_state& shared,
                                       const std::atomic<bool>& cancel, std::size_t top_k,
                                       crawl_policy policy)
    : cancel_(cancel), fetcher_(options, shared, cancel), pacer_(policy.pacer), top_k_(top_k) {
  if (policy.robots != nullptr) {
    robots_.emplace(*policy.robots, fetcher_, pacer_, cancel);
  }
}

page_result fetching_processor::process(const std::string& url) {
  answer_settings defaults;
  defaults.k = top_k_;
  return process_with(url, defaults);
}

page_result fetching_processor::process_with(const std::string& url,
                                             const answer_settings& settings) {
  const auto deadline = std::chrono::steady_clock::now() + fetcher_.options().total_timeout;
  if (auto refusal = be_polite(url, deadline)) {
    return page_result::failure(std::move(*refusal));
  }
  settings_ = &settings;
  auto result = fetcher_.fetch(url, *this, deadline);
  settings_ = nullptr;
  if (!result.ok()) {
    return result;
  }
  note_counting();  // the status page shows the worker counting, no longer fetching
  auto page = analyzer_.finish_page(settings.k);
  if (analyzer_.binary()) {  // a short body is sniffed only once it has ended
    return page_result::failure(error_kind::content_type, binary_message);
  }
  result.words = std::move(page.words);
  result.details.charset = analyzer_.charset();
  auto& stats = result.stats;
  stats.total_words = page.total_words;
  stats.distinct_words = page.distinct_words;
  stats.lang = std::move(page.lang);
  stats.declared_lang = std::move(page.declared_lang);
  for (const auto& code : page.stop_languages) {
    stats.stopwords += (stats.stopwords.empty() ? "" : ",") + code;
  }
  stats.stemmed_as = std::move(page.stemmed_as);
  stats.not_stemmed = std::move(page.not_stemmed);
  return result;
}

// The URL's robots.txt first, then the host's turn: both come out of the URL's own deadline.
std::optional<page_error> fetching_processor::be_polite(
    const std::string& url, std::chrono::steady_clock::time_point deadline) {
  if (!robots_ && pacer_ == nullptr) {
    return std::nullopt;
  }
  if (auto error = check_url(url)) {
    return error;
  }
  const auto where = robots_location_of(url);
  if (!where) {
    return std::nullopt;  // check_url vetted it: the fetcher will name what is wrong
  }
  auto gap = pacer_ != nullptr ? pacer_->delay() : std::chrono::milliseconds(0);
  if (robots_) {
    if (auto refusal = robots_->check(*where, deadline, gap)) {
      return refusal;
    }
  }
  if (pacer_ != nullptr && !pacer_->wait_turn(where->host, gap, deadline, cancel_)) {
    return cancel_.load() ? page_error{error_kind::shutting_down, shutting_down_message}
                          : page_error{error_kind::timeout, no_turn_message};
  }
  return std::nullopt;
}

std::optional<page_error> fetching_processor::begin(std::string_view content_type) {
  const auto kind = classify_content_type(content_type);
  if (kind == body_kind::unsupported) {
    return unsupported_type(content_type);
  }
  if (settings_ == nullptr) {
    analyzer_.begin(kind, content_type);
    return std::nullopt;
  }
  auto options = settings_->words;
  options.content_language = fetcher_.response_header("Content-Language");
  analyzer_.begin(kind, content_type, options);
  return std::nullopt;
}

std::optional<page_error> fetching_processor::feed(std::string_view bytes) {
  if (!analyzer_.feed(bytes)) {
    return page_error{error_kind::content_type, binary_message};
  }
  return std::nullopt;
}

processor_factory make_fetching_factory(const fetch_options& options, curl_share_state& shared,
                                        std::size_t top_k, crawl_policy policy) {
  return [options, &shared, top_k, policy](const std::atomic<bool>& cancel) {
    return std::make_unique<fetching_processor>(options, shared, cancel, top_k, policy);
  };
}

}  // namespace wordcrawl
