#pragma once

// The server's state at one moment, and its two renderings: the Prometheus text of /metrics
// and the JSON of /status. Gathered on the I/O thread, which owns the sessions and the parked
// jobs, when a request asks for it; never in between.

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "dispatch/progress_log.hpp"
#include "status/status_metrics.hpp"

namespace wordcrawl {

/// Hosts shown in the fetches-in-flight gauge: the busiest only, to bound its series.
inline constexpr std::size_t max_shown_hosts = 20;

struct status_view {
  std::size_t queue_depth = 0;
  std::size_t queue_capacity = 0;
  std::size_t parked = 0;
  std::size_t clients = 0;
  std::size_t workers_total = 0;
  bool stopping = false;
  progress_log::totals totals{};
  const status_metrics* metrics = nullptr;  // never null when rendered
};

/// The Prometheus text exposition (format 0.0.4).
std::string metrics_text(const status_view& view);
/// The same figures, and every worker's state, as JSON.
nlohmann::json status_json(const status_view& view);

}  // namespace wordcrawl
