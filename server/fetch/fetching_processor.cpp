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
  auto result = fetcher_.fetch(url, *this);
  if (!result.ok()) {
    return result;
  }
  result.words = analyzer_.finish(top_k_);
  if (analyzer_.binary()) {  // a short body is sniffed only once it has ended
    return page_result::failure(error_kind::content_type, binary_message);
  }
  result.details.charset = analyzer_.charset();
  return result;
}

std::optional<page_error> fetching_processor::begin(std::string_view content_type) {
  const auto kind = classify_content_type(content_type);
  if (kind == body_kind::unsupported) {
    return unsupported_type(content_type);
  }
  analyzer_.begin(kind, content_type);
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
