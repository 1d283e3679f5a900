#include "status/metrics.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace wordcrawl {

histogram::histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), buckets_(bounds_.size() + 1) {
  std::sort(bounds_.begin(), bounds_.end());
}

void histogram::observe(double seconds) {
  const auto found = std::lower_bound(bounds_.begin(), bounds_.end(), seconds);
  const auto index = static_cast<std::size_t>(found - bounds_.begin());
  buckets_[index].fetch_add(1, std::memory_order_relaxed);
  const auto micros = std::llround(std::max(seconds, 0.0) * 1e6);
  sum_micros_.fetch_add(static_cast<std::uint64_t>(micros), std::memory_order_relaxed);
}

histogram::snapshot histogram::read() const {
  snapshot out;
  out.cumulative.reserve(bounds_.size() + 1);
  std::uint64_t total = 0;
  for (std::size_t i = 0; i <= bounds_.size(); ++i) {
    total += buckets_[i].load(std::memory_order_relaxed);
    out.cumulative.push_back(total);
  }
  out.sum = static_cast<double>(sum_micros_.load(std::memory_order_relaxed)) / 1e6;
  return out;
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string format_metric_value(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  std::array<char, 32> buffer{};
  // The shortest text that reads back as the same double: 0.005, not 0.0050000000000000001;
  // whole numbers come without a fraction.
  const auto written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  return {buffer.data(), written.ptr};
}

void exposition::family(std::string_view name, std::string_view help, std::string_view type) {
  text_.append("# HELP ").append(name).append(" ").append(help).append("\n");
  text_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void exposition::sample(std::string_view name, const metric_labels& labels, double value) {
  text_.append(name);
  if (!labels.empty()) {
    text_ += '{';
    for (std::size_t i = 0; i < labels.size(); ++i) {
      text_.append(i == 0 ? "" : ",").append(labels[i].first).append("=\"");
      text_.append(escape_label_value(labels[i].second)).append("\"");
    }
    text_ += '}';
  }
  text_.append(" ").append(format_metric_value(value)).append("\n");
}

void exposition::write_histogram(std::string_view name, std::string_view help,
                                 const histogram& values) {
  family(name, help, "histogram");
  const auto now = values.read();
  const std::string bucket = std::string(name) + "_bucket";
  for (std::size_t i = 0; i < now.cumulative.size(); ++i) {
    const auto bound =
        i < values.bounds().size() ? format_metric_value(values.bounds()[i]) : std::string("+Inf");
    sample(bucket, {{"le", bound}}, static_cast<double>(now.cumulative[i]));
  }
  sample(std::string(name) + "_sum", {}, now.sum);
  sample(std::string(name) + "_count", {}, static_cast<double>(now.count()));
}

}  // namespace wordcrawl
