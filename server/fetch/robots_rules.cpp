#include "fetch/robots_rules.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace wordcrawl {
namespace {

char lower_ascii(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return lower_ascii(x) == lower_ascii(y);
         });
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  const auto last = s.find_last_not_of(" \t");
  return s.substr(first, last - first + 1);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  return -1;
}

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// One octet in the canonical form both sides are compared in (RFC 9309 2.2.2): unreserved
// characters literal whether they came encoded or not, everything else (reserved, non-ASCII,
// controls, space) as uppercase %XX whether it came encoded or not. '/' stays literal, and "%2F"
// becomes '/', because the RFC's table treats "https://foo.bar" and "https%3A%2F%2Ffoo.bar" as
// the same path; keeping '/' literal keeps rule lengths close to what the author wrote.
void append_octet(std::string& out, unsigned char c) {
  if (is_unreserved(c) || c == '/') {
    out.push_back(static_cast<char>(c));
    return;
  }
  static constexpr std::string_view digits = "0123456789ABCDEF";
  out.push_back('%');
  out.push_back(digits[c >> 4U]);
  out.push_back(digits[c & 0x0FU]);
}

// The canonical form of a path or (with is_pattern) a rule value, in which a bare '*' can only
// be a wildcard: a literal '*' in a path, or "%2A" in a rule, becomes "%2A".
std::string normalise(std::string_view text, bool is_pattern) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
        hex_value(text[i + 2]) >= 0) {
      append_octet(
          out, static_cast<unsigned char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
      i += 2;
    } else if (is_pattern && c == '*') {
      out.push_back('*');
    } else {
      append_octet(out, static_cast<unsigned char>(c));
    }
  }
  return out;
}

// True if pattern (canonical, '*' wildcards) matches a prefix of path, or all of it if
// anchored. Each '*'-free segment is placed at its leftmost possible position, which is enough:
// a later placement never leaves more room for the segments after it.
bool wildcard_match(std::string_view pattern, bool anchored, std::string_view path) {
  const auto star = pattern.find('*');
  if (star == std::string_view::npos) {
    return anchored ? path == pattern : path.starts_with(pattern);
  }
  if (!path.starts_with(pattern.substr(0, star))) {
    return false;
  }
  std::size_t pos = star;
  std::string_view rest = pattern.substr(star + 1);
  while (true) {
    const auto next = rest.find('*');
    const std::string_view segment = rest.substr(0, next);
    if (next == std::string_view::npos) {
      if (!anchored) {
        return path.find(segment, pos) != std::string_view::npos;
      }
      return path.size() >= pos + segment.size() && path.ends_with(segment);
    }
    const auto found = path.find(segment, pos);
    if (found == std::string_view::npos) {
      return false;
    }
    pos = found + segment.size();
    rest = rest.substr(next + 1);
  }
}

// The product token of a user-agent value ("WordCrawl/1.0" -> "WordCrawl"): RFC 9309 2.2.1
// limits it to letters, '_' and '-', and crawlers match on it alone.
std::string_view product_token(std::string_view value) {
  std::size_t end = 0;
  while (end < value.size()) {
    const char c = lower_ascii(value[end]);
    if (!((c >= 'a' && c <= 'z') || c == '_' || c == '-')) {
      break;
    }
    ++end;
  }
  return value.substr(0, end);
}

std::optional<double> parse_delay(std::string_view value) {
  double delay = 0;
  const auto* const end = value.data() + value.size();
  const auto [ptr, ec] = std::from_chars(value.data(), end, delay);
  if (ec != std::errc() || ptr != end || !std::isfinite(delay) || delay < 0) {
    return std::nullopt;
  }
  return delay;
}

}  // namespace

robots_rules robots_rules::parse(std::string_view body, std::string_view agent) {
  // A UTF-8 byte order mark is an encoding signature, not text: left in, it would hide the
  // first line (typically "User-agent: *") and with it a whole group.
  if (body.starts_with("\xEF\xBB\xBF")) {
    body.remove_prefix(3);
  }
  if (body.size() > max_parsed_bytes) {
    // Drop the line the cut falls in: a truncated "Allow: /a/b" would become a broader
    // "Allow: /a" and grant more than the file does.
    body = body.substr(0, max_parsed_bytes);
    const auto last_break = body.find_last_of("\r\n");
    body = last_break == std::string_view::npos ? std::string_view() : body.substr(0, last_break);
  }

  // Rules go to both lists as they are read, since whether the agent has its own group is only
  // known at the end.
  robots_rules specific;
  robots_rules star;
  bool found_specific = false;
  bool found_star = false;
  bool in_agent_lines = false;  // consecutive user-agent lines share one group
  bool group_specific = false;
  bool group_star = false;

  std::size_t pos = 0;
  while (pos < body.size()) {
    auto end = body.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      end = body.size();
    }
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (end < body.size() && body[end] == '\r' && pos < body.size() && body[pos] == '\n') {
      ++pos;
    }

    line = line.substr(0, line.find('#'));
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) {
      continue;  // blank, comment-only or garbage: not a line of RFC 9309's grammar
    }
    const std::string_view key = trim(line.substr(0, colon));
    const std::string_view value = trim(line.substr(colon + 1));

    if (iequals(key, "user-agent")) {
      if (!in_agent_lines) {
        group_specific = false;
        group_star = false;
        in_agent_lines = true;
      }
      if (value.starts_with('*')) {
        group_star = true;
        found_star = true;
      } else {
        const auto token = product_token(value);
        if (!token.empty() && iequals(token, agent)) {
          group_specific = true;
          found_specific = true;
        }
      }
      continue;
    }
    in_agent_lines = false;

    const bool is_allow = iequals(key, "allow");
    if (is_allow || iequals(key, "disallow")) {
      if (value.empty()) {
        continue;  // "Disallow:" disallows nothing
      }
      rule r;
      std::string_view pattern = value;
      if (pattern.ends_with('$')) {
        r.anchored = true;
        pattern.remove_suffix(1);
      }
      r.pattern = normalise(pattern, true);
      // Paths always start with '/', so "foo" can only mean "/foo".
      if (!r.pattern.starts_with('/') && !r.pattern.starts_with('*')) {
        r.pattern.insert(0, 1, '/');
      }
      r.allow = is_allow;
      r.priority = r.pattern.size() + (r.anchored ? 1U : 0U);
      if (group_specific) {
        specific.rules_.push_back(r);
      }
      if (group_star) {
        star.rules_.push_back(r);
      }
    } else if (iequals(key, "crawl-delay")) {
      if (const auto delay = parse_delay(value)) {
        if (group_specific) {
          specific.crawl_delay_ = delay;
        }
        if (group_star) {
          star.crawl_delay_ = delay;
        }
      }
    }
  }

  if (found_specific) {
    return specific;
  }
  if (found_star) {
    return star;
  }
  return allow_all();
}

robots_rules robots_rules::allow_all() {
  return {};
}

robots_rules robots_rules::disallow_all() {
  robots_rules rules;
  rules.rules_.push_back(rule{.pattern = "/", .anchored = false, .allow = false, .priority = 1});
  return rules;
}

bool robots_rules::allowed(std::string_view path_and_query) const {
  std::string path = normalise(path_and_query, false);
  if (path.empty() || path.front() != '/') {
    path.insert(0, 1, '/');
  }
  // RFC 9309 2.3.1: the robots.txt itself is implicitly allowed.
  if (path == "/robots.txt" || path.starts_with("/robots.txt%3F")) {
    return true;
  }
  bool verdict = true;
  std::size_t best = 0;
  bool matched = false;
  for (const rule& r : rules_) {
    if (!wildcard_match(r.pattern, r.anchored, path)) {
      continue;
    }
    if (!matched || r.priority > best || (r.priority == best && r.allow)) {
      verdict = r.allow;
      best = r.priority;
      matched = true;
    }
  }
  return verdict;
}

}  // namespace wordcrawl
