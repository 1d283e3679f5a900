#include "fetch/fetching_processor.hpp"

#include <memory>

#include "wordcrawl/content_type.hpp"

namespace wordcrawl {
namespace {

constexpr const char* binary_message = "unsupported content: binary body without type";

page_error unsupported_type(std::string_view content_type) {
  return {error_kind::content_type, "unsupported content type '" + media_type(content_type) + "'"};
}

}  // namespace

fetching_processor::fetching_processor(const fetch_options& options, curl_share_state& shared,
                                       const std::atomic<bool>& cancel, std::size_t top_k)
    : fetcher_(options, shared, cancel), top_k_(top_k) {}

page_result fetching_processor::process(const std::string& url) {
  answer_settings defaults;
  defaults.k = top_k_;
  return process_with(url, defaults);
}

page_result fetching_processor::process_with(const std::string& url,
                                             const answer_settings& settings) {
  settings_ = &settings;
  auto result = fetcher_.fetch(url, *this);
  settings_ = nullptr;
  if (!result.ok()) {
    return result;
  }
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
                                        std::size_t top_k) {
  return [options, &shared, top_k](const std::atomic<bool>& cancel) {
    return std::make_unique<fetching_processor>(options, shared, cancel, top_k);
  };
}

}  // namespace wordcrawl
