#pragma once

// The last minutes of the processed and failed counts, sampled once a second on the I/O thread,
// so that a status page opened now draws throughput and error rate from before it was opened.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>

#include <nlohmann/json.hpp>

namespace wordcrawl {

class rate_history {
 public:
  /// One sample a second, five minutes.
  static constexpr std::size_t default_capacity = 300;

  struct sample {
    std::int64_t at_ms = 0;  // the steady clock, as /status's now_ms
    std::uint64_t processed = 0;
    std::uint64_t failed = 0;
  };

  explicit rate_history(std::size_t capacity = default_capacity) : capacity_(capacity) {}

  /// Adds a sample; the oldest goes when there are more than the capacity.
  void record(const sample& taken);

  const std::deque<sample>& samples() const { return samples_; }

  /// [[at_ms, processed, failed], ...], oldest first.
  nlohmann::json to_json() const;

 private:
  std::size_t capacity_;
  std::deque<sample> samples_;
};

}  // namespace wordcrawl
