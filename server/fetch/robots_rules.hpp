#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wordcrawl {

/// The rules of one robots.txt for one user-agent token (RFC 9309).
class robots_rules {
 public:
  /// The first 500 KiB of a robots.txt are parsed; RFC 9309 2.5 allows a crawler to stop there.
  static constexpr std::size_t max_parsed_bytes = std::size_t{500} * 1024;

  /// Parses body (only the first 500 KiB count, per RFC 9309 2.5) and keeps the group(s) for
  /// product token `agent` (case-insensitive match of the user-agent line's product token
  /// against `agent`, e.g. "wordcrawl"), else the `*` group(s); groups with the same agent are
  /// merged. A leading UTF-8 byte order mark is skipped.
  static robots_rules parse(std::string_view body, std::string_view agent);
  static robots_rules allow_all();
  static robots_rules disallow_all();

  /// True if path (the URL's path plus "?query", percent-encoding as in the URL) may be
  /// fetched: longest matching rule wins, allow wins a tie; '*' matches any sequence, '$' at
  /// the end anchors; /robots.txt is always allowed; an empty Disallow value means nothing is
  /// disallowed.
  bool allowed(std::string_view path_and_query) const;

  /// The Crawl-delay of the chosen group in seconds (a common extension, not RFC 9309), if any.
  std::optional<double> crawl_delay() const { return crawl_delay_; }

 private:
  struct rule {
    std::string pattern;  // normalised; a bare '*' is the wildcard (a literal one is "%2A")
    bool anchored = false;
    bool allow = false;
    std::size_t priority = 0;  // octets of the normalised pattern, '*' and '$' included
  };

  std::vector<rule> rules_;
  std::optional<double> crawl_delay_;
};

}  // namespace wordcrawl
