#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "fetch/body_sink.hpp"
#include "fetch/crawl_policy.hpp"
#include "fetch/curl_share_state.hpp"
#include "fetch/host_pacer.hpp"
#include "fetch/page_fetcher.hpp"
#include "fetch/robots_cache.hpp"
#include "fetch/robots_gate.hpp"
#include "fetch/url_processor.hpp"
#include "wordcrawl/page_analyzer.hpp"

namespace wordcrawl {

/// The production processor: asks the URL's robots.txt, waits for the host's turn, fetches the
/// page with a page_fetcher into its own page_analyzer and returns the page's top-k words.
class fetching_processor final : public url_processor, private body_sink {
 public:
  /// shared, cancel and what policy points to must outlive the processor.
  fetching_processor(const fetch_options& options, curl_share_state& shared,
                     const std::atomic<bool>& cancel, std::size_t top_k, crawl_policy policy = {});

  page_result process(const std::string& url) override;
  page_result process_with(const std::string& url, const answer_settings& settings) override;

 private:
  std::optional<page_error> begin(std::string_view content_type) override;
  std::optional<page_error> feed(std::string_view bytes) override;
  std::optional<page_error> be_polite(const std::string& url,
                                      std::chrono::steady_clock::time_point deadline);

  const std::atomic<bool>& cancel_;
  page_fetcher fetcher_;
  std::optional<robots_gate> robots_;
  host_pacer* pacer_;
  page_analyzer analyzer_;
  std::size_t top_k_;
  const answer_settings* settings_ = nullptr;  // of the page being fetched, if it has any
};

/// A factory making one fetching_processor per worker; options are copied, shared must outlive
/// every processor.
processor_factory make_fetching_factory(const fetch_options& options, curl_share_state& shared,
                                        std::size_t top_k, crawl_policy policy = {});

}  // namespace wordcrawl
