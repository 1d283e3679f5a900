#include "status/status_metrics.hpp"

#include <vector>

namespace wordcrawl {
namespace {

// A fetch takes milliseconds on loopback, seconds on the web, up to --timeout (30 s).
std::vector<double> fetch_bounds() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30};
}

// Counting after the body is in takes microseconds to a few tens of milliseconds.
std::vector<double> kernel_bounds() {
  return {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1};
}

}  // namespace

status_metrics::status_metrics(std::size_t workers)
    : workers_(workers), fetch_seconds_(fetch_bounds()), kernel_seconds_(kernel_bounds()) {}

void status_metrics::begin(std::size_t i, std::string_view host, std::string_view url) {
  workers_.start(i, host, url);
}

void status_metrics::end(std::size_t i, const page_result& result) {
  const auto counted = workers_.idle(i);
  if (result.ok()) {
    ok_.add();
  } else {
    const auto kind = static_cast<std::size_t>(result.error->kind);
    failed_.at(kind < error_kind_count ? kind : static_cast<std::size_t>(error_kind::internal))
        .add();
  }
  bytes_.add(result.details.bytes);
  // elapsed_ms is the fetcher's own measure (transfer, retries included); a result that never
  // reached the network (refused URL, robots) has none and is not a fetch.
  if (result.details.status != 0 || result.details.elapsed_ms != 0) {
    fetch_seconds_.observe(static_cast<double>(result.details.elapsed_ms) / 1000.0);
  }
  if (counted) {
    kernel_seconds_.observe(std::chrono::duration<double>(*counted).count());
  }
}

std::uint64_t status_metrics::failed(error_kind kind) const {
  const auto index = static_cast<std::size_t>(kind);
  return index < error_kind_count ? failed_.at(index).value() : 0;
}

}  // namespace wordcrawl
