#pragma once

// Decides, before a page is fetched, whether its origin's robots.txt lets wordcrawl fetch it
// (RFC 9309). The robots.txt is fetched through the worker's own page_fetcher, so the same
// address filter, timeouts, redirect limit and connection cache apply as to any page, and
// kept in the robots_cache every worker shares. Each worker owns one gate.

#include <atomic>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "fetch/body_sink.hpp"
#include "fetch/host_pacer.hpp"
#include "fetch/page_fetcher.hpp"
#include "fetch/robots_cache.hpp"
#include "fetch/url_check.hpp"

namespace wordcrawl {

class robots_gate final : private body_sink {
 public:
  /// cache, fetcher and cancel must outlive the gate; pacer may be null (no delays).
  robots_gate(robots_cache& cache, page_fetcher& fetcher, host_pacer* pacer,
              const std::atomic<bool>& cancel);

  /// nullopt if the page at where may be fetched, else the error it is answered with (kind
  /// robots when the rules forbid it). gap is raised to the host's honoured Crawl-delay.
  std::optional<page_error> check(const robots_location& where,
                                  std::chrono::steady_clock::time_point deadline,
                                  std::chrono::milliseconds& gap);

 private:
  robots_verdict fetch_verdict(const robots_location& where,
                               std::chrono::steady_clock::time_point deadline);
  robots_verdict verdict_of(const page_result& result) const;

  std::optional<page_error> begin(std::string_view content_type) override;
  std::optional<page_error> feed(std::string_view bytes) override;

  robots_cache& cache_;
  page_fetcher& fetcher_;
  host_pacer* pacer_;
  const std::atomic<bool>& cancel_;
  std::string agent_;
  std::string body_;        // of the robots.txt being fetched
  bool truncated_ = false;  // it was longer than robots_rules::max_parsed_bytes
};

}  // namespace wordcrawl
