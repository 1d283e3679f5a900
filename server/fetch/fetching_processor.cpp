#include "fetch/fetching_processor.hpp"

#include <memory>

#include "wordcrawl/protocol.hpp"

namespace wordcrawl {

fetching_processor::fetching_processor(const fetch_options& options, curl_share_state& shared,
                                       const std::atomic<bool>& cancel, std::size_t top_k)
    : fetcher_(options, shared, cancel), top_k_(top_k) {}

std::string fetching_processor::process(const std::string& url) {
  const auto outcome = fetcher_.fetch(url, top_k_);
  if (outcome.ok) {
    return encode_words_reply(url, outcome.words, outcome.details);
  }
  return encode_error_reply(url, outcome.error);
}

processor_factory make_fetching_factory(const fetch_options& options, curl_share_state& shared,
                                        std::size_t top_k) {
  return [options, &shared, top_k](const std::atomic<bool>& cancel) {
    return std::make_unique<fetching_processor>(options, shared, cancel, top_k);
  };
}

}  // namespace wordcrawl
