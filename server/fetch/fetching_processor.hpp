#pragma once

#include <atomic>
#include <cstddef>
#include <string>

#include "fetch/curl_share_state.hpp"
#include "fetch/page_fetcher.hpp"
#include "fetch/url_processor.hpp"

namespace wordcrawl {

/// The production processor: fetches the page with a page_fetcher and encodes the outcome.
class fetching_processor final : public url_processor {
 public:
  /// shared and cancel must outlive the processor.
  fetching_processor(const fetch_options& options, curl_share_state& shared,
                     const std::atomic<bool>& cancel, std::size_t top_k);

  std::string process(const std::string& url) override;

 private:
  page_fetcher fetcher_;
  std::size_t top_k_;
};

/// A factory making one fetching_processor per worker; options are copied, shared must outlive
/// every processor.
processor_factory make_fetching_factory(const fetch_options& options, curl_share_state& shared,
                                        std::size_t top_k);

}  // namespace wordcrawl
