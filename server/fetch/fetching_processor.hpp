#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "fetch/body_sink.hpp"
#include "fetch/curl_share_state.hpp"
#include "fetch/page_fetcher.hpp"
#include "fetch/url_processor.hpp"
#include "wordcrawl/page_analyzer.hpp"

namespace wordcrawl {

/// The production processor: fetches the page with a page_fetcher into its own page_analyzer
/// and returns the page's top-k words.
class fetching_processor final : public url_processor, private body_sink {
 public:
  /// shared and cancel must outlive the processor.
  fetching_processor(const fetch_options& options, curl_share_state& shared,
                     const std::atomic<bool>& cancel, std::size_t top_k);

  page_result process(const std::string& url) override;
  page_result process_with(const std::string& url, const answer_settings& settings) override;

 private:
  std::optional<page_error> begin(std::string_view content_type) override;
  std::optional<page_error> feed(std::string_view bytes) override;

  page_fetcher fetcher_;
  page_analyzer analyzer_;
  std::size_t top_k_;
  const answer_settings* settings_ = nullptr;  // of the page being fetched, if it has any
};

/// A factory making one fetching_processor per worker; options are copied, shared must outlive
/// every processor.
processor_factory make_fetching_factory(const fetch_options& options, curl_share_state& shared,
                                        std::size_t top_k);

}  // namespace wordcrawl
