#pragma once

// For the status port tests: a blocking HTTP/1.1 client over loopback with a deadline, and a
// parser of the Prometheus text format that checks every line as it reads it.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace wordcrawl::testing {

struct http_reply {
  int status = 0;                              // 0: no answer (refused, closed, timed out)
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  /// A header's value ("" if absent); name lower-cased.
  std::string header(const std::string& name) const {
    const auto found = headers.find(name);
    return found == headers.end() ? std::string() : found->second;
  }
};

/// Sends one request (method, target, extra header lines ended by "\r\n") to host:port with
/// "Connection: close" and reads the whole answer, within timeout.
http_reply http_request(const std::string& host, std::uint16_t port, const std::string& method,
                        const std::string& target, const std::string& extra_headers = "",
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

/// One sample line: name, labels in order written, value.
struct metric_sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
  /// name{a="1",b="2"}: the series' identity.
  std::string series() const;
};

/// A scrape, parsed: samples in order and each family's type.
struct metric_scrape {
  std::vector<metric_sample> samples;
  std::map<std::string, std::string> types;
  /// The value of a series (metric_sample::series() form), if present.
  std::optional<double> value(const std::string& series) const;
};

/// Parses text; on the first malformed line (or a sample outside its family, a counter not
/// ending in _total, a histogram whose buckets are not cumulative or do not end with
/// +Inf == _count) returns nullopt and says why in error.
std::optional<metric_scrape> parse_metrics(const std::string& text, std::string& error);

}  // namespace wordcrawl::testing
