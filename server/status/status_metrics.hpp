#pragma once

// What the workers record for the status port: outcomes by kind, bytes, latencies and each
// worker's state. Every update is a relaxed atomic or the worker's own slot, so recording
// costs a worker nothing it could wait on.

#include <array>
#include <chrono>
#include <cstddef>
#include <optional>

#include "status/metrics.hpp"
#include "status/worker_board.hpp"
#include "wordcrawl/error_kind.hpp"
#include "wordcrawl/page_result.hpp"

namespace wordcrawl {

/// Every error_kind, for arrays indexed by kind.
inline constexpr std::size_t error_kind_count = static_cast<std::size_t>(error_kind::quota) + 1;

class status_metrics {
 public:
  explicit status_metrics(std::size_t workers);

  worker_board& workers() { return workers_; }
  const worker_board& workers() const { return workers_; }

  /// Worker i's thread: it starts on url.
  void begin(std::size_t i, std::string_view host, std::string_view url);
  /// Worker i's thread: result is its answer; counts it and marks the worker idle.
  void end(std::size_t i, const page_result& result);

  std::uint64_t ok() const { return ok_.value(); }
  std::uint64_t failed(error_kind kind) const;
  std::uint64_t bytes() const { return bytes_.value(); }
  const histogram& fetch_seconds() const { return fetch_seconds_; }
  const histogram& kernel_seconds() const { return kernel_seconds_; }

 private:
  worker_board workers_;
  counter ok_;
  std::array<counter, error_kind_count> failed_{};
  counter bytes_;
  histogram fetch_seconds_;
  histogram kernel_seconds_;
};

}  // namespace wordcrawl
