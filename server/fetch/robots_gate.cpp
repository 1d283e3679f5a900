#include "fetch/robots_gate.hpp"

#include <algorithm>
#include <memory>
#include <utility>

namespace wordcrawl {
namespace {

// A 5xx robots.txt disallows everything (RFC 9309 2.3.1.4), but such outages pass: the
// verdict is asked again after this long, or after --robots-ttl if that is shorter.
constexpr std::chrono::seconds outage_keep{60};
// An unreachable robots.txt disallows everything as well (2.3.1.4). The verdict is the answer
// of every URL of the origin for a short while, so that a site that never answers costs one
// timeout, not one per URL, and one that comes back is asked again soon.
constexpr std::chrono::seconds unreachable_keep{10};

// Failures that say the site itself cannot be reached: the page could not be fetched either,
// so the URL is answered with the failure itself, which names the real problem.
bool site_unreachable(error_kind kind, bool reached_peer) {
  switch (kind) {
    case error_kind::dns:
    case error_kind::connect:
    case error_kind::tls:
    case error_kind::blocked_address:
      return true;
    default:
      return !reached_peer;  // a timeout while resolving or connecting
  }
}
// The sink's own signal that the first max_parsed_bytes have arrived.
constexpr const char* enough_message = "robots.txt read up to its limit";

robots_verdict rules_verdict(robots_rules rules, std::chrono::seconds keep) {
  return {std::make_shared<const robots_rules>(std::move(rules)), {}, std::nullopt, keep};
}

}  // namespace

robots_gate::robots_gate(robots_cache& cache, page_fetcher& fetcher, host_pacer* pacer,
                         const std::atomic<bool>& cancel)
    : cache_(cache),
      fetcher_(fetcher),
      pacer_(pacer),
      cancel_(cancel),
      agent_(robots_agent_token(fetcher.options().user_agent)) {}

std::optional<page_error> robots_gate::check(const robots_location& where,
                                             std::chrono::steady_clock::time_point deadline,
                                             std::chrono::milliseconds& gap) {
  const auto verdict = cache_.get(
      where, [&] { return fetch_verdict(where, deadline); }, deadline, cancel_);
  if (!verdict.rules) {
    auto error = verdict.error.value_or(page_error{error_kind::internal, "no robots.txt verdict"});
    if (error.kind != error_kind::shutting_down) {
      error.message = "robots.txt: " + error.message;
    }
    return error;
  }
  const auto& options = fetcher_.options();
  if (const auto delay = verdict.rules->crawl_delay(); delay && *delay > 0) {
    const std::chrono::duration<double> asked(*delay);
    const auto honoured = asked < options.max_crawl_delay
                              ? std::chrono::duration_cast<std::chrono::milliseconds>(asked)
                              : options.max_crawl_delay;
    gap = std::max(gap, honoured);
  }
  if (verdict.rules->allowed(where.path_and_query)) {
    return std::nullopt;
  }
  if (!verdict.reason.empty()) {
    return page_error{error_kind::robots, verdict.reason + ": everything is disallowed"};
  }
  return page_error{error_kind::robots, "disallowed by robots.txt for " + agent_};
}

robots_verdict robots_gate::fetch_verdict(const robots_location& where,
                                          std::chrono::steady_clock::time_point deadline) {
  if (pacer_ != nullptr && !pacer_->wait_turn(where.host, pacer_->delay(), deadline, cancel_)) {
    auto error = cancel_.load() ? page_error{error_kind::shutting_down, shutting_down_message}
                                : page_error{error_kind::timeout, no_turn_message};
    return {nullptr, {}, std::move(error), {}};
  }
  body_.clear();
  truncated_ = false;
  const auto result = fetcher_.fetch(where.robots_url, *this, deadline);
  auto verdict = verdict_of(result);
  body_.clear();
  body_.shrink_to_fit();  // a worker keeps no robots.txt between fetches
  return verdict;
}

// RFC 9309 2.3.1: a 2xx body is the rules; 4xx means there are none (allow all); 5xx, and
// 429 (the site asks to slow down), mean everything is disallowed for now; a redirect chain
// that does not end is "unavailable", like 4xx. A site that was reached but gave no robots.txt
// (a timeout or broken transfer after connecting) is "unreachable": everything is disallowed.
// A site that cannot be reached at all (DNS, connect, TLS, a blocked address) answers the URL
// with that failure.
robots_verdict robots_gate::verdict_of(const page_result& result) const {
  const auto keep = fetcher_.options().robots_ttl;
  const auto read_part =
      result.error && (truncated_ || result.error->kind == error_kind::too_large);
  if (!result.error || read_part) {
    return rules_verdict(robots_rules::parse(body_, agent_), keep);
  }
  switch (result.error->kind) {
    case error_kind::http_status: {
      const auto status = result.details.status;
      if (status == 429 || status >= 500) {
        return {std::make_shared<const robots_rules>(robots_rules::disallow_all()),
                "robots.txt answered HTTP " + std::to_string(status), std::nullopt,
                std::min(keep, outage_keep)};
      }
      return rules_verdict(robots_rules::allow_all(), keep);
    }
    case error_kind::too_many_redirects:
    case error_kind::unsupported_scheme:
      return rules_verdict(robots_rules::allow_all(), keep);
    case error_kind::shutting_down:
    case error_kind::internal:
      return {nullptr, {}, result.error, {}};
    default:
      if (site_unreachable(result.error->kind, fetcher_.reached_peer())) {
        return {nullptr, {}, result.error, std::min(keep, unreachable_keep)};
      }
      return {std::make_shared<const robots_rules>(robots_rules::disallow_all()),
              "robots.txt unreachable (" + result.error->message + ")", std::nullopt,
              std::min(keep, unreachable_keep)};
  }
}

std::optional<page_error> robots_gate::begin(std::string_view /*content_type*/) {
  body_.clear();  // a retry starts again
  truncated_ = false;
  return std::nullopt;
}

std::optional<page_error> robots_gate::feed(std::string_view bytes) {
  const auto room = robots_rules::max_parsed_bytes - body_.size();
  body_.append(bytes.substr(0, room));
  if (bytes.size() >= room) {
    truncated_ = true;
    return page_error{error_kind::too_large, enough_message};
  }
  return std::nullopt;
}

}  // namespace wordcrawl
