#include "fetch/robots_rules.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <string_view>
#include <unistd.h>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace wordcrawl {
namespace {

robots_rules parse(std::string_view body) {
  return robots_rules::parse(body, "wordcrawl");
}

// RFC 9309 5.1: a group for one agent, a group for several, and the catch-all group.
TEST(RobotsRulesTest, RfcSimpleExample) {
  const std::string_view body =
      "User-Agent: foobot\n"
      "Disallow: *.gif$\n"
      "Disallow: /example/\n"
      "Allow: /publications/\n"
      "\n"
      "User-Agent: bazbot\n"
      "User-Agent: barbot\n"
      "Disallow: /example/page.html\n"
      "\n"
      "User-Agent: *\n"
      "Disallow: /\n";
  const auto foobot = robots_rules::parse(body, "foobot");
  EXPECT_FALSE(foobot.allowed("/image.gif"));
  EXPECT_TRUE(foobot.allowed("/image.gif?x"));
  EXPECT_FALSE(foobot.allowed("/example/x"));
  EXPECT_TRUE(foobot.allowed("/publications/x"));
  EXPECT_TRUE(foobot.allowed("/other"));
  for (const auto* agent : {"barbot", "bazbot"}) {
    const auto rules = robots_rules::parse(body, agent);
    EXPECT_FALSE(rules.allowed("/example/page.html")) << agent;
    EXPECT_TRUE(rules.allowed("/example/other.html")) << agent;
  }
  const auto other = robots_rules::parse(body, "quxbot");
  EXPECT_FALSE(other.allowed("/"));
  EXPECT_FALSE(other.allowed("/anything"));
  EXPECT_TRUE(other.allowed("/robots.txt"));
}

// RFC 9309 5.2: the longest match wins, whatever the order of the lines.
TEST(RobotsRulesTest, RfcLongestMatchExample) {
  const auto rules = parse(
      "User-Agent: *\n"
      "Allow: /example/page/\n"
      "Disallow: /example/page/disallowed.gif\n");
  EXPECT_TRUE(rules.allowed("/example/page/"));
  EXPECT_TRUE(rules.allowed("/example/page/other.gif"));
  EXPECT_FALSE(rules.allowed("/example/page/disallowed.gif"));
  EXPECT_FALSE(rules.allowed("/example/page/disallowed.gif2"));
}

TEST(RobotsRulesTest, AllowWinsATie) {
  EXPECT_TRUE(parse("user-agent: *\ndisallow: /a\nallow: /a\n").allowed("/a"));
  EXPECT_TRUE(parse("user-agent: *\nallow: /a\ndisallow: /a\n").allowed("/a"));
  // Same length, different patterns, both match.
  EXPECT_TRUE(parse("user-agent: *\ndisallow: /a*\nallow: /ab\n").allowed("/abc"));
}

TEST(RobotsRulesTest, Wildcards) {
  const auto rules = parse(
      "User-agent: *\n"
      "Disallow: /*.php$\n"
      "Disallow: /fish*shop\n"
      "Disallow: /end$\n"
      "Disallow: /a$b\n");
  EXPECT_FALSE(rules.allowed("/index.php"));
  EXPECT_FALSE(rules.allowed("/x/y.php"));
  EXPECT_TRUE(rules.allowed("/index.php?q=1"));
  EXPECT_TRUE(rules.allowed("/index.php5"));
  EXPECT_FALSE(rules.allowed("/fishshop"));
  EXPECT_FALSE(rules.allowed("/fish/and/shop/more"));
  EXPECT_TRUE(rules.allowed("/fish"));
  EXPECT_FALSE(rules.allowed("/end"));
  EXPECT_TRUE(rules.allowed("/ending"));
  // '$' before the end is an ordinary character.
  EXPECT_FALSE(rules.allowed("/a$b"));
  EXPECT_FALSE(rules.allowed("/a%24bc"));
  EXPECT_TRUE(rules.allowed("/ab"));
  // Several stars, and a star that must match the empty string.
  EXPECT_FALSE(parse("user-agent: *\ndisallow: /**a**b*$\n").allowed("/ab"));
  EXPECT_TRUE(parse("user-agent: *\ndisallow: /*a*b$\n").allowed("/abc"));
  EXPECT_FALSE(parse("user-agent: *\ndisallow: /*a*b$\n").allowed("/xaxbxb"));
}

TEST(RobotsRulesTest, EmptyDisallowDisallowsNothing) {
  const auto rules = parse("User-agent: *\nDisallow:\n");
  EXPECT_TRUE(rules.allowed("/"));
  EXPECT_TRUE(rules.allowed("/x"));
}

TEST(RobotsRulesTest, RobotsTxtIsAlwaysAllowed) {
  const auto rules = parse("User-agent: *\nDisallow: /\n");
  EXPECT_TRUE(rules.allowed("/robots.txt"));
  EXPECT_FALSE(rules.allowed("/robots.txt.bak"));
  EXPECT_TRUE(robots_rules::disallow_all().allowed("/robots.txt"));
  EXPECT_FALSE(robots_rules::disallow_all().allowed("/"));
  EXPECT_TRUE(robots_rules::allow_all().allowed("/"));
}

TEST(RobotsRulesTest, AgentSelection) {
  const std::string_view body =
      "User-agent: *\nDisallow: /star\n\n"
      "User-agent: WordCrawl/1.0 (+https://example.com)\nDisallow: /own\n\n"
      "User-agent: wordcrawlbot\nDisallow: /bot\n\n"
      "User-agent: word\nDisallow: /word\n";
  const auto rules = parse(body);
  EXPECT_FALSE(rules.allowed("/own"));
  // The specific group replaces the '*' group entirely; prefixes and longer tokens don't count.
  EXPECT_TRUE(rules.allowed("/star"));
  EXPECT_TRUE(rules.allowed("/bot"));
  EXPECT_TRUE(rules.allowed("/word"));
  const auto other = robots_rules::parse(body, "otherbot");
  EXPECT_FALSE(other.allowed("/star"));
  EXPECT_TRUE(other.allowed("/own"));
  // No group applies: everything is allowed.
  EXPECT_TRUE(parse("User-agent: otherbot\nDisallow: /\n").allowed("/x"));
  // A group of our own with no rules allows everything, even if '*' disallows.
  EXPECT_TRUE(parse("User-agent: *\nDisallow: /\n\nUser-agent: wordcrawl\n").allowed("/x"));
}

TEST(RobotsRulesTest, GroupsOfOneAgentAreMerged) {
  const auto rules = parse(
      "User-agent: wordcrawl\nDisallow: /a\n\n"
      "User-agent: otherbot\nDisallow: /b\n\n"
      "user-agent: WORDCRAWL\nDisallow: /c\n\n"
      "User-agent: *\nDisallow: /d\n");
  EXPECT_FALSE(rules.allowed("/a"));
  EXPECT_TRUE(rules.allowed("/b"));
  EXPECT_FALSE(rules.allowed("/c"));
  EXPECT_TRUE(rules.allowed("/d"));
}

TEST(RobotsRulesTest, ConsecutiveAgentLinesFormOneGroup) {
  const std::string_view body =
      "User-agent: a\nUser-agent: wordcrawl\n\nUser-agent: b\nDisallow: /x\n"
      "User-agent: c\nDisallow: /y\n";
  // Blank lines do not end the user-agent lines, so wordcrawl shares /x with a and b.
  const auto rules = parse(body);
  EXPECT_FALSE(rules.allowed("/x"));
  EXPECT_TRUE(rules.allowed("/y"));
}

TEST(RobotsRulesTest, FieldsAreCaseInsensitive) {
  const auto rules = parse("USER-AGENT: WordCrawl\nDISALLOW: /a\nallow: /a/b\nDisAllow: /C\n");
  EXPECT_FALSE(rules.allowed("/a"));
  EXPECT_TRUE(rules.allowed("/a/b"));
  EXPECT_FALSE(rules.allowed("/C"));
  // Paths are not.
  EXPECT_TRUE(rules.allowed("/c"));
}

TEST(RobotsRulesTest, GarbageAndComments) {
  const auto rules = parse(
      "Disallow: /before-any-agent\n"
      "<html><body>not a robots.txt</body></html>\n"
      "   # a comment\n"
      "User-agent: * # everyone\n"
      "Disallow /no-colon\n"
      "Sitemap: https://example.com/sitemap.xml\n"
      "Unknown-field: /x\n"
      "Disallow: /a#b\n"
      "\tDisallow :  /spaced  \r\n"
      "Disallow: /cr\r"
      "Disallow: /last");
  EXPECT_TRUE(rules.allowed("/before-any-agent"));
  EXPECT_TRUE(rules.allowed("/no-colon"));
  EXPECT_TRUE(rules.allowed("/x"));
  EXPECT_FALSE(rules.allowed("/a"));
  EXPECT_FALSE(rules.allowed("/spaced"));
  EXPECT_FALSE(rules.allowed("/cr"));
  EXPECT_FALSE(rules.allowed("/last"));
  EXPECT_TRUE(rules.allowed("/b"));
}

TEST(RobotsRulesTest, EmptyFileAllowsAll) {
  EXPECT_TRUE(parse("").allowed("/"));
  EXPECT_TRUE(parse("\n\n# nothing\n").allowed("/x"));
  EXPECT_EQ(parse("").crawl_delay(), std::nullopt);
}

TEST(RobotsRulesTest, OnlyFirst500KibCount) {
  std::string body = "User-agent: *\nDisallow: /early\n";
  body.append(robots_rules::max_parsed_bytes - body.size() - 10, '#');
  body += "\nDisallow: /cut-in-half\nDisallow: /late\n";
  const auto rules = parse(body);
  EXPECT_FALSE(rules.allowed("/early"));
  // The line the cut falls in is dropped rather than kept truncated ("/c" would be broader).
  EXPECT_TRUE(rules.allowed("/c"));
  EXPECT_TRUE(rules.allowed("/cut-in-half"));
  EXPECT_TRUE(rules.allowed("/late"));
}

TEST(RobotsRulesTest, PercentEncoding) {
  // RFC 9309 2.2.2's table.
  const auto rules = parse(
      "User-agent: *\n"
      "Disallow: /foo/bar?baz=https://foo.bar\n"
      "Disallow: /foo/bar/\xE3\x83\x84\n"
      "Disallow: /enc/%E3%83%84\n"
      "Disallow: /foo/bar/%62%61%7A\n");
  EXPECT_FALSE(rules.allowed("/foo/bar?baz=https%3A%2F%2Ffoo.bar"));
  EXPECT_FALSE(rules.allowed("/foo/bar?baz=https://foo.bar"));
  EXPECT_FALSE(rules.allowed("/foo/bar/%E3%83%84"));
  EXPECT_FALSE(rules.allowed("/foo/bar/%e3%83%84"));
  EXPECT_FALSE(rules.allowed("/enc/%E3%83%84"));
  EXPECT_FALSE(rules.allowed("/enc/\xE3\x83\x84"));
  EXPECT_FALSE(rules.allowed("/foo/bar/baz"));
  EXPECT_TRUE(rules.allowed("/foo/bar/ba"));
  // An encoded '*' in a rule is a literal star, not a wildcard.
  const auto star = parse("User-agent: *\nDisallow: /a%2Ab\n");
  EXPECT_FALSE(star.allowed("/a*b"));
  EXPECT_TRUE(star.allowed("/axb"));
}

TEST(RobotsRulesTest, CrawlDelay) {
  EXPECT_EQ(parse("User-agent: *\nCrawl-delay: 2.5\n").crawl_delay(), 2.5);
  EXPECT_EQ(parse("User-agent: *\ncrawl-DELAY: 10\n").crawl_delay(), 10.0);
  EXPECT_EQ(parse("User-agent: *\nCrawl-delay: soon\n").crawl_delay(), std::nullopt);
  EXPECT_EQ(parse("User-agent: *\nCrawl-delay: -1\n").crawl_delay(), std::nullopt);
  EXPECT_EQ(parse("Crawl-delay: 3\nUser-agent: *\n").crawl_delay(), std::nullopt);
  // From the chosen group only.
  EXPECT_EQ(parse("User-agent: *\nCrawl-delay: 1\n\nUser-agent: wordcrawl\nCrawl-delay: 4\n")
                .crawl_delay(),
            4.0);
  EXPECT_EQ(
      parse("User-agent: *\nCrawl-delay: 1\n\nUser-agent: wordcrawl\nDisallow: /\n").crawl_delay(),
      std::nullopt);
}

// A UTF-8 byte order mark (written by some editors) must not hide the first line.
TEST(RobotsRulesTest, ByteOrderMarkIsSkipped) {
  const auto rules = parse("\xEF\xBB\xBFUser-agent: *\nDisallow: /private\n");
  EXPECT_FALSE(rules.allowed("/private"));
  EXPECT_TRUE(rules.allowed("/public"));
  // Only at the very start: elsewhere it is just bytes of a (garbage) line.
  EXPECT_TRUE(parse("User-agent: *\n\xEF\xBB\xBF"
                    "Disallow: /private\n")
                  .allowed("/private"));
}

// --- differential check against protego (scripts/robots_reference.py) ---
//
// Every decision is compared with protego's. A disagreement must be explained by one of the
// categories below, each a known way in which protego reads robots.txt or URLs differently;
// anything else fails the test and is printed. Most categories explain a disagreement by
// emulation: the case is rewritten the way protego reads it, and our parser, asked again, must
// then give protego's answer.

struct diff_case {
  std::string name;  // for messages: "generated 12" or "wikipedia.txt as Googlebot"
  std::string robots;
  std::string agent;
  std::vector<std::string> paths;
};

// A case as protego reads it; verdict is set when protego answers without looking at the rules.
struct reading {
  std::string robots;
  std::string agent;
  std::string path;
  std::optional<bool> verdict;
};

struct category {
  std::string_view name;
  std::string_view meaning;
  // Rewrites r into protego's reading; false if the category does not apply to the case.
  bool (*rewrite)(reading& r);
  // For a category that cannot be emulated: true if it explains the disagreement.
  bool (*applies)(const reading& r, bool ours);
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string_view trim_blanks(std::string_view s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    lines.push_back(text.substr(pos, end - pos));
    pos = end + ((end + 1 < text.size() && text[end] == '\r' && text[end + 1] == '\n') ? 2 : 1);
  }
  return lines;
}

// "Key: value # comment" -> lowercase key and trimmed value; nullopt for a line without ':'.
std::optional<std::pair<std::string, std::string_view>> split_field(std::string_view line) {
  line = line.substr(0, line.find('#'));
  const auto colon = line.find(':');
  if (colon == std::string_view::npos) {
    return std::nullopt;
  }
  return std::pair{lower(trim_blanks(line.substr(0, colon))), trim_blanks(line.substr(colon + 1))};
}

bool is_rule_key(std::string_view key) {
  return key == "allow" || key == "disallow";
}

// The values of all Allow and Disallow lines, in order.
std::vector<std::string> rule_values(std::string_view robots) {
  std::vector<std::string> values;
  for (const auto line : split_lines(robots)) {
    if (const auto field = split_field(line); field && is_rule_key(field->first)) {
      values.emplace_back(field->second);
    }
  }
  return values;
}

// Replaces each Allow/Disallow line by the values change() returns (none: the line goes).
// Returns false if nothing changed.
template <typename Change>
bool rewrite_rules(std::string& robots, Change change) {
  std::string out;
  bool changed = false;
  for (const auto line : split_lines(robots)) {
    const auto field = split_field(line);
    if (!field || !is_rule_key(field->first)) {
      out.append(line).append("\n");
      continue;
    }
    const std::vector<std::string> values = change(std::string(field->second));
    changed = changed || values.size() != 1 || values.front() != field->second;
    for (const auto& value : values) {
      out.append(field->first).append(": ").append(value).append("\n");
    }
  }
  if (changed) {
    robots = std::move(out);
  }
  return changed;
}

bool replace_all(std::string& text, std::string_view from, std::string_view to) {
  bool changed = false;
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
    changed = true;
  }
  return changed;
}

// protego's choice of group: user-agent values are lowercased whole (no product token), and the
// longest one contained anywhere in the crawler's name wins, '*' scoring 1. Empty: no group.
std::string protego_group(std::string_view robots, std::string_view agent) {
  const std::string name = lower(trim_blanks(agent));
  std::string best;
  std::size_t best_score = 0;
  const auto consider = [&](const std::string& value) {
    const std::size_t score =
        value == "*" ? 1 : (name.find(value) != std::string::npos ? value.size() : 0);
    if (score > best_score) {
      best = value;
      best_score = score;
    }
  };
  for (const auto line : split_lines(robots)) {
    const auto field = split_field(line);
    if (!field || field->first != "user-agent" || field->second.empty()) {
      continue;
    }
    std::string value = lower(field->second);
    consider(value);
    if (value != "*" && replace_all(value, "*", "")) {
      consider(value);  // protego also files "bot*" under "bot"
    }
  }
  return best;
}

// Our choice, in the same terms: the agent if a user-agent line's product token is the agent,
// else "*" if there is a '*' line, else empty.
std::string our_group(std::string_view robots, std::string_view agent) {
  std::string group;
  for (const auto line : split_lines(robots)) {
    const auto field = split_field(line);
    if (!field || field->first != "user-agent") {
      continue;
    }
    const std::string value = lower(field->second);
    const auto token_end = value.find_first_not_of("abcdefghijklmnopqrstuvwxyz_-");
    if (value.starts_with('*')) {
      group = group.empty() ? "*" : group;
    } else if (token_end != 0 && value.substr(0, token_end) == lower(agent)) {
      return lower(agent);
    }
  }
  return group;
}

bool agent_substring(reading& r) {
  const std::string theirs = protego_group(r.robots, r.agent);
  if (theirs == our_group(r.robots, r.agent)) {
    return false;
  }
  if (theirs.empty()) {
    r.verdict = true;  // no group applies: protego allows everything
  } else {
    r.agent = theirs;
  }
  return true;
}

// What urlparse leaves of "//host/rest?query" once the netloc "host" is dropped.
std::string after_netloc(std::string_view text) {
  const auto rest = text.find_first_of("/?", 2);
  return rest == std::string_view::npos ? "" : std::string(text.substr(rest));
}

bool double_slash(reading& r) {
  // In paths and in rules (whose final '$', '?' or ';' protego sets aside first).
  bool changed = rewrite_rules(r.robots, [](const std::string& value) {
    if (!value.starts_with("//")) {
      return std::vector<std::string>{value};
    }
    const bool keep_last =
        value.size() > 2 && std::string_view("$?;").find(value.back()) != std::string_view::npos;
    const std::string rest =
        after_netloc(std::string_view{value}.substr(0, value.size() - (keep_last ? 1 : 0)));
    if (rest.empty() || rest.front() != '/') {
      return std::vector<std::string>{};  // empty, or "?query": matches no path
    }
    return std::vector<std::string>{rest + (keep_last ? value.substr(value.size() - 1) : "")};
  });
  if (r.path.starts_with("//")) {
    const std::string rest = after_netloc(r.path);
    if (rest.empty() || rest == "?") {
      r.path = "/";
    } else if (rest.front() != '/') {
      r.verdict = true;  // compared as "?query", which no rule (all start with '/') matches
    } else {
      r.path = rest;
    }
    changed = true;
  }
  return changed;
}

// urlparse's split of a path into path, ";params" (only if the last segment has a ';', and
// then from the first ';') and "?query".
struct url_parts {
  std::string_view path;
  std::optional<std::string_view> params;
  std::optional<std::string_view> query;
};

url_parts split_url(std::string_view text) {
  url_parts parts;
  const auto question = text.find('?');
  if (question != std::string_view::npos) {
    parts.query = text.substr(question + 1);
    text = text.substr(0, question);
  }
  const auto slash = text.rfind('/');
  if (text.find(';', slash == std::string_view::npos ? 0 : slash) != std::string_view::npos) {
    const auto semicolon = text.find(';');
    parts.params = text.substr(semicolon + 1);
    text = text.substr(0, semicolon);
  }
  parts.path = text;
  return parts;
}

// urlunparse(urlparse(text)) with `last` put back at the end of the path part, as protego does
// with a rule's final '$', '?' or ';': empty params and an empty query are dropped.
std::string round_trip(std::string_view text, std::string_view last) {
  const url_parts parts = split_url(text);
  std::string out(parts.path);
  out += last;
  if (parts.params && !parts.params->empty()) {
    out.append(";").append(*parts.params);
  }
  if (parts.query && !parts.query->empty()) {
    out.append("?").append(*parts.query);
  }
  return out;
}

// A rule as protego stores it, and whether its final character moved in front of a non-empty
// ";params" or "?query".
std::pair<std::string, bool> protego_rule(const std::string& value) {
  const bool set_aside =
      !value.empty() && std::string_view("$?;").find(value.back()) != std::string_view::npos;
  const std::string_view body(value.data(), value.size() - (set_aside ? 1 : 0));
  const std::string_view last = set_aside ? std::string_view(&value.back(), 1) : "";
  const url_parts parts = split_url(body);
  const bool moved = set_aside && ((parts.params && !parts.params->empty()) ||
                                   (parts.query && !parts.query->empty()));
  return {round_trip(body, last), moved};
}

bool empty_query(reading& r) {
  // A '?' (query) or ';' (parameters) with nothing after it goes in the urlparse/urlunparse
  // round trip, in paths and in rules ("/a?$" becomes "/a$"; a final '?' or ';' is kept).
  bool changed = false;
  if (const std::string path = round_trip(r.path, ""); path != r.path) {
    r.path = path.empty() ? "/" : path;
    changed = true;
  }
  changed = rewrite_rules(
                r.robots,
                [](const std::string& value) {
    const auto [rule, moved] = protego_rule(value);
    return std::vector<std::string>{moved ? value : rule};
                }) ||
      changed;
  return changed;
}

bool anchored_query(reading& r) {
  // protego sets a rule's final '$' (or '?' or ';') aside, splits the rest into path, params
  // and query, and puts the character back at the end of the path: "/?a=b$" becomes "/$?a=b".
  return rewrite_rules(r.robots, [](const std::string& value) {
    const auto [rule, moved] = protego_rule(value);
    return std::vector<std::string>{moved ? rule : value};
  });
}

bool encoded_slash(reading& r) {
  // protego keeps "%2F" apart from '/'; "%FF" is an octet our parser also keeps apart, with the
  // same length as protego's "%2F".
  bool changed = false;
  for (const std::string_view form : {"%2F", "%2f"}) {
    changed = replace_all(r.path, form, "%FF") || changed;
    changed = replace_all(r.robots, form, "%FF") || changed;
  }
  return changed;
}

bool dollar_literal(reading& r) {
  // protego files a rule with '$' twice: as written, and with each '$' a literal "%24".
  return rewrite_rules(r.robots, [](const std::string& value) {
    std::vector<std::string> values{value};
    if (value.find('$') != std::string::npos) {
      std::string literal = value;
      replace_all(literal, "$", "%24");
      values.push_back(literal);
    }
    return values;
  });
}

bool index_html(reading& r) {
  // protego adds "Allow: /dir/$" for every "Allow: /dir/index.html".
  bool added = false;
  std::string out;
  for (const auto line : split_lines(r.robots)) {
    out.append(line).append("\n");
    const auto field = split_field(line);
    if (field && field->first == "allow" && field->second.ends_with("/index.html")) {
      out.append("Allow: ")
          .append(field->second.substr(0, field->second.size() - 10))
          .append("$\n");
      added = true;
    }
  }
  if (added) {
    r.robots = std::move(out);
  }
  return added;
}

bool byte_order_mark(reading& r) {
  // protego reads the mark as part of the first line's field name, so that line counts for
  // nothing; a '#' in its place does the same to our parser.
  if (!r.robots.starts_with("\xEF\xBB\xBF")) {
    return false;
  }
  r.robots.replace(0, 3, "#");
  return true;
}

bool robots_txt_exempt(const reading& r, bool ours) {
  return ours && (r.path == "/robots.txt" || r.path.starts_with("/robots.txt?"));
}

bool is_plain(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~' || c == '/';
}

bool raw_query(const reading& r, bool /*ours*/) {
  // protego compares the query (and ";params") as written: %XX is not decoded, hex digits keep
  // their case, non-ASCII and reserved characters are not encoded, and a rule's length counts
  // '?', '=' and the like there as one octet where RFC 9309's encoded form has three. That
  // matters only when the path has a query or params holding such characters, or a rule has a
  // query or params of its own.
  const url_parts parts = split_url(r.path);
  if (!parts.query && !parts.params) {
    return false;
  }
  const std::string_view tail = std::string_view{r.path}.substr(parts.path.size());
  if (!std::all_of(tail.begin() + 1, tail.end(), is_plain)) {
    return true;
  }
  const auto values = rule_values(r.robots);
  return std::any_of(values.begin(), values.end(), [](const std::string& v) {
    const url_parts rule = split_url(v);
    return rule.query || rule.params;
  });
}

constexpr std::array<category, 10> categories = {{
    {"agent-substring",
     "protego picks the group whose whole user-agent value is the longest substring of the "
     "crawler's name (\"word\" for wordcrawl), not the exact product token",
     agent_substring, nullptr},
    {"double-slash", "protego reads a path or rule starting with // as //host/path", double_slash,
     nullptr},
    {"empty-query",
     "protego drops a '?' or ';' with nothing after it, in paths and in rules (\"/a?$\" is "
     "\"/a$\")",
     empty_query, nullptr},
    {"anchored-query",
     "protego moves a rule's final '$' in front of its query or params (\"/?a=b$\" is "
     "\"/$?a=b\")",
     anchored_query, nullptr},
    {"encoded-slash", "protego keeps \"%2F\" apart from '/'", encoded_slash, nullptr},
    {"dollar-literal", "protego also reads a rule's '$' as a literal character", dollar_literal,
     nullptr},
    {"index-html", "protego turns \"Allow: /dir/index.html\" into also allowing /dir/", index_html,
     nullptr},
    {"byte-order-mark", "protego does not skip a UTF-8 byte order mark", byte_order_mark, nullptr},
    {"robots-txt", "protego does not always allow /robots.txt", nullptr, robots_txt_exempt},
    {"raw-query",
     "protego leaves the query and params as written (no RFC 9309 percent-encoding rules)", nullptr,
     raw_query},
}};

bool answer(const reading& r) {
  return r.verdict ? *r.verdict : robots_rules::parse(r.robots, r.agent).allowed(r.path);
}

// Why ours != protego's: the emulation that explains it alone, else the two emulations that
// explain it together, else the first predicate that applies; nullopt if nothing does.
std::optional<std::pair<std::size_t, std::size_t>> explain(const diff_case& c,
                                                           const std::string& path, bool ours) {
  const reading original{c.robots, c.agent, path, std::nullopt};
  for (std::size_t i = 0; i < categories.size(); ++i) {
    reading r = original;
    if (categories.at(i).rewrite != nullptr && categories.at(i).rewrite(r) && answer(r) != ours) {
      return std::pair{i, i};
    }
  }
  for (std::size_t i = 0; i < categories.size(); ++i) {
    reading first = original;
    if (categories.at(i).rewrite == nullptr || !categories.at(i).rewrite(first)) {
      continue;
    }
    for (std::size_t j = i + 1; j < categories.size(); ++j) {
      reading both = first;
      if (categories.at(j).rewrite != nullptr && categories.at(j).rewrite(both) &&
          answer(both) != ours) {
        return std::pair{i, j};
      }
    }
  }
  for (std::size_t i = 0; i < categories.size(); ++i) {
    if (categories.at(i).applies != nullptr && categories.at(i).applies(original, ours)) {
      return std::pair{i, i};
    }
  }
  return std::nullopt;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr std::string_view hex = "0123456789abcdef";
      out += "\\u00";
      out += hex.at(static_cast<unsigned char>(c) >> 4U);
      out += hex.at(static_cast<unsigned char>(c) & 0x0FU);
    } else {
      out += c;
    }
  }
  return out + "\"";
}

// protego's decisions, one string of '0'/'1' per case; empty if the reference could not run.
std::vector<std::string> reference_decisions(const std::vector<diff_case>& cases,
                                             const std::string& script) {
  const auto cases_path = std::filesystem::temp_directory_path() /
                          ("robots_cases_" + std::to_string(::getpid()) + ".jsonl");
  {
    std::ofstream out(cases_path);
    for (const auto& c : cases) {
      out << "{\"robots\": " << json_string(c.robots) << ", \"agent\": " << json_string(c.agent)
          << ", \"paths\": [";
      for (std::size_t p = 0; p < c.paths.size(); ++p) {
        out << (p == 0 ? "" : ", ") << json_string(c.paths[p]);
      }
      out << "]}\n";
    }
  }
  // The reference is a Python script: running it through the shell is the point.
  const std::string command = "/usr/bin/python3 " + script + " " + cases_path.string();
  const std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      popen(command.c_str(), "r"),  // NOLINT(cert-env33-c)
      pclose);
  std::vector<std::string> decisions;
  if (pipe) {
    std::string line;
    for (int ch = std::fgetc(pipe.get()); ch != EOF; ch = std::fgetc(pipe.get())) {
      if (ch == '\n') {
        decisions.push_back(std::move(line));
        line.clear();
      } else {
        line += static_cast<char>(ch);
      }
    }
  }
  std::filesystem::remove(cases_path);
  return decisions;
}

struct diff_summary {
  std::size_t files = 0;
  std::size_t paths = 0;
  std::size_t agree = 0;
  std::array<std::size_t, categories.size()> explained{};
  std::map<std::string, std::size_t> combined;  // "a + b": explained by two emulations together
  std::vector<std::string> unexplained;
};

// Compares every decision with protego's and explains each disagreement.
diff_summary compare_with_protego(const std::vector<diff_case>& cases, const std::string& script,
                                  std::ostream* dump) {
  diff_summary summary;
  const auto expected = reference_decisions(cases, script);
  if (expected.size() != cases.size()) {
    summary.unexplained.push_back("the reference answered " + std::to_string(expected.size()) +
                                  " of " + std::to_string(cases.size()) + " cases");
    return summary;
  }
  for (std::size_t i = 0; i < cases.size(); ++i) {
    const diff_case& c = cases[i];
    const auto rules = robots_rules::parse(c.robots, c.agent);
    ++summary.files;
    for (std::size_t p = 0; p < c.paths.size(); ++p) {
      ++summary.paths;
      const bool ours = rules.allowed(c.paths[p]);
      const bool theirs = p < expected[i].size() && expected[i][p] == '1';
      if (ours == theirs) {
        ++summary.agree;
        continue;
      }
      const auto why = explain(c, c.paths[p], ours);
      std::string name = "unexplained";
      if (why) {
        name = std::string(categories.at(why->first).name);
        if (why->second != why->first) {
          name += " + " + std::string(categories.at(why->second).name);
          ++summary.combined[name];
        } else {
          ++summary.explained.at(why->first);
        }
      }
      if (dump != nullptr) {
        *dump << "{\"case\": " << json_string(c.name) << ", \"robots\": " << json_string(c.robots)
              << ", \"agent\": " << json_string(c.agent)
              << ", \"path\": " << json_string(c.paths[p]) << ", \"ours\": " << ours
              << ", \"category\": " << json_string(name) << "}\n";
      }
      if (!why) {
        summary.unexplained.push_back(c.name + ": agent " + json_string(c.agent) + ", path " +
                                      json_string(c.paths[p]) + ", ours " +
                                      (ours ? "allowed" : "disallowed") + ", robots.txt " +
                                      json_string(c.robots));
      }
    }
  }
  return summary;
}

void report(std::string_view what, const diff_summary& s) {
  std::cout << what << ": " << s.files << " cases (robots.txt file and agent), " << s.paths
            << " paths, " << s.agree << " decisions agree with protego, " << (s.paths - s.agree)
            << " differ\n";
  for (std::size_t i = 0; i < categories.size(); ++i) {
    std::cout << "  " << categories.at(i).name << ": " << s.explained.at(i) << "  ("
              << categories.at(i).meaning << ")\n";
  }
  for (const auto& [names, count] : s.combined) {
    std::cout << "  " << names << ": " << count << "  (both at once)\n";
  }
  std::cout << "  unexplained: " << s.unexplained.size() << "\n";
}

// The alphabet of the generated files.
constexpr std::array<std::string_view, 4> agents = {"wordcrawl", "WordCrawl", "other", "x"};
constexpr std::array<std::string_view, 3> agent_keys = {"User-agent", "user-agent", "USER-AGENT"};
constexpr std::array<std::string_view, 6> agent_values = {"*",     "wordcrawl",    "WordCrawl",
                                                          "other", "wordcrawlbot", "word"};
constexpr std::array<std::string_view, 4> rule_keys = {"Allow", "Disallow", "allow", "DISALLOW"};
constexpr std::array<std::string_view, 4> other_lines = {
    "# comment", "Sitemap: https://example.com/s.xml", "Crawl-delay: 1", "garbage"};
constexpr std::array<std::string_view, 17> path_pieces = {
    "a",      "b",        "a", "b", "/", "ab", "%61", "%62", "%2F",
    "%c3%a9", "\xC3\xA9", "?", "=", ".", "$",  "%24", ";"};

// Random robots.txt files over a small alphabet, so that rules collide with paths often.
class CaseGenerator {
 public:
  explicit CaseGenerator(std::uint32_t seed) : random_(seed) {}

  diff_case next() {
    diff_case c;
    c.name = "generated " + std::to_string(count_++);
    c.agent = pick(agents);
    const int lines = uniform(1, 12);
    for (int i = 0; i < lines; ++i) {
      const int kind = uniform(0, 9);
      if (kind <= 2) {
        c.robots += pick(agent_keys) + ": " + pick(agent_values) + "\n";
      } else if (kind <= 7) {
        c.robots += pick(rule_keys) + ": " + text(true) + "\n";
      } else if (kind == 8) {
        c.robots += "\n";
      } else {
        c.robots += pick(other_lines) + "\n";
      }
    }
    for (int i = 0; i < 20; ++i) {
      c.paths.push_back(text(false));
    }
    return c;
  }

 private:
  int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }

  template <typename List>
  std::string pick(const List& list) {
    return std::string(
        list.at(static_cast<std::size_t>(uniform(0, static_cast<int>(list.size()) - 1))));
  }

  std::string text(bool pattern) {
    std::string out = "/";
    const int pieces = uniform(0, 4);
    for (int i = 0; i < pieces; ++i) {
      out += pattern && uniform(0, 4) == 0 ? "*" : pick(path_pieces);
    }
    if (pattern && uniform(0, 5) == 0) {
      out += '$';
    }
    if (pattern && uniform(0, 12) == 0) {
      out.clear();  // "Disallow:" with no value
    }
    return out;
  }

  std::mt19937 random_;
  int count_ = 0;
};

// Paths that hit a real file's rules: each rule's pattern with its wildcards filled in and
// with something appended, plus common paths.
std::vector<std::string> corpus_paths(std::string_view robots) {
  std::set<std::string> paths = {"/",
                                 "/robots.txt",
                                 "/index.html",
                                 "/about/",
                                 "/search?q=robots",
                                 "/wiki/Main_Page",
                                 "/w/index.php?title=Special:Random",
                                 "/login",
                                 "/user/login?destination=/node/1",
                                 "/admin/",
                                 "/wp-admin/admin-ajax.php",
                                 "/wp-content/uploads/2020/01/photo.jpg",
                                 "/images/logo.png",
                                 "/page.php?id=1&sort=asc",
                                 "/~user/",
                                 "/%7Euser/",
                                 "/caf%C3%A9",
                                 "/cart?add=1",
                                 "/feed/",
                                 "/tag/news/",
                                 "/news/2024/article.html",
                                 "/static/app.js"};
  for (const auto& value : rule_values(robots)) {
    if (value.empty()) {
      continue;
    }
    std::string base = value.front() == '/' || value.front() == '*' ? value : "/" + value;
    if (base.front() == '*') {
      base.insert(0, "/");
    }
    const bool anchored = base.ends_with('$');
    if (anchored) {
      base.pop_back();
    }
    std::string empty = base;
    replace_all(empty, "*", "");
    if (empty.find("//") != std::string::npos) {
      empty = base;
      replace_all(empty, "*", "x");
    }
    std::string filled = base;
    replace_all(filled, "*", "x/y");
    paths.insert(empty);
    paths.insert(filled);
    if (!anchored) {
      paths.insert(filled + "z");
      paths.insert(empty + "?page=2");
    } else {
      paths.insert(filled + "?x=1");
    }
  }
  return {paths.begin(), paths.end()};
}

TEST(RobotsRulesDifferential, AgreesWithProtego) {
#ifndef WORDCRAWL_ROBOTS_REFERENCE
  GTEST_SKIP() << "WORDCRAWL_ROBOTS_REFERENCE (scripts/robots_reference.py) not defined";
#else
  if (std::system(  // NOLINT(cert-env33-c,concurrency-mt-unsafe)
          "/usr/bin/python3 -c 'import protego' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3-protego is not installed";
  }
  // ROBOTS_DIFF_DUMP=FILE writes every disagreement, with its category, to FILE as JSON lines.
  const char* dump_path = std::getenv("ROBOTS_DIFF_DUMP");  // NOLINT(concurrency-mt-unsafe)
  std::ofstream dump;
  if (dump_path != nullptr) {
    dump.open(dump_path);
  }
  std::ostream* const dump_to = dump.is_open() ? &dump : nullptr;

  CaseGenerator generator(20261202U);
  std::vector<diff_case> generated;
  generated.reserve(2000);
  for (int i = 0; i < 2000; ++i) {
    generated.push_back(generator.next());
  }
  const auto from_generated = compare_with_protego(generated, WORDCRAWL_ROBOTS_REFERENCE, dump_to);
  report("generated", from_generated);

  std::vector<diff_case> real;
  std::vector<std::filesystem::path> files;
#ifdef WORDCRAWL_ROBOTS_CORPUS
  for (const auto& entry : std::filesystem::directory_iterator(WORDCRAWL_ROBOTS_CORPUS)) {
    if (entry.path().extension() == ".txt" && entry.path().filename() != "README.txt") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string robots{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    for (const std::string_view agent : {"wordcrawl", "Googlebot", "*"}) {
      real.push_back(diff_case{.name = file.filename().string() + " as " + std::string(agent),
                               .robots = robots,
                               .agent = std::string(agent),
                               .paths = corpus_paths(robots)});
    }
  }
#endif
  const auto from_real = compare_with_protego(real, WORDCRAWL_ROBOTS_REFERENCE, dump_to);
  report("real: " + std::to_string(files.size()) + " files, each as wordcrawl, Googlebot and '*'",
         from_real);

  EXPECT_EQ(from_generated.files, 2000U);
  EXPECT_GE(real.size(), 45U) << "tests/data/robots/ should hold at least 15 files";
  for (const auto* summary : {&from_generated, &from_real}) {
    for (const auto& line : summary->unexplained) {
      ADD_FAILURE() << "unexplained disagreement with protego: " << line;
    }
  }
#endif
}

}  // namespace
}  // namespace wordcrawl
