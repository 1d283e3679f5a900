#pragma once

// A small Prometheus registry of our own (Debian 12 packages no prometheus-cpp): counters and
// histograms that worker threads update with relaxed atomics, and a writer of the text
// exposition format 0.0.4. Gauges are read from the server's state when a scrape asks, so they
// cost nothing in between.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace wordcrawl {

/// A value that only grows. Lock-free: workers add to it on their hot path.
class counter {
 public:
  void add(std::uint64_t amount = 1) { value_.fetch_add(amount, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

/// Observations counted into fixed buckets (upper bounds in seconds, ascending), plus +Inf.
class histogram {
 public:
  /// Cumulative counts, one per bound and one for +Inf, and the sum of the observations.
  struct snapshot {
    std::vector<std::uint64_t> cumulative;
    double sum = 0;
    std::uint64_t count() const { return cumulative.empty() ? 0 : cumulative.back(); }
  };

  explicit histogram(std::vector<double> bounds);

  /// Lock-free: one relaxed increment of a bucket and one of the sum.
  void observe(double seconds);
  /// The counts now. The +Inf bucket is the total of the buckets read, so it always equals the
  /// count even while workers observe.
  snapshot read() const;
  const std::vector<double>& bounds() const { return bounds_; }

 private:
  std::vector<double> bounds_;
  std::deque<std::atomic<std::uint64_t>> buckets_;  // per bucket, not cumulative; never resized
  std::atomic<std::uint64_t> sum_micros_{0};
};

/// Label names and values of one sample, in the order written.
using metric_labels = std::vector<std::pair<std::string, std::string>>;

/// Writes the text exposition format: each family's # HELP and # TYPE, then its samples.
class exposition {
 public:
  /// Starts a family; type is "counter", "gauge" or "histogram".
  void family(std::string_view name, std::string_view help, std::string_view type);
  /// One sample line: name{labels} value.
  void sample(std::string_view name, const metric_labels& labels, double value);
  /// A whole histogram family of one series: its _bucket lines, _sum and _count.
  void write_histogram(std::string_view name, std::string_view help, const histogram& values);
  /// The text written so far.
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

/// A label value as the format wants it: backslash, double quote and newline escaped.
std::string escape_label_value(std::string_view value);
/// A sample value: integers without a fraction, +Inf, -Inf and NaN by name.
std::string format_metric_value(double value);

}  // namespace wordcrawl
