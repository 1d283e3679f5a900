#include "fetch/robots_rules.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>
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

// --- differential check against protego (scripts/robots_reference.py) ---

struct diff_case {
  std::string robots;
  std::string agent;
  std::vector<std::string> paths;
};

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

// The alphabet of the generated files.
constexpr std::array<std::string_view, 4> agents = {"wordcrawl", "WordCrawl", "other", "x"};
constexpr std::array<std::string_view, 3> agent_keys = {"User-agent", "user-agent", "USER-AGENT"};
constexpr std::array<std::string_view, 6> agent_values = {"*",     "wordcrawl",    "WordCrawl",
                                                          "other", "wordcrawlbot", "word"};
constexpr std::array<std::string_view, 4> rule_keys = {"Allow", "Disallow", "allow", "DISALLOW"};
constexpr std::array<std::string_view, 4> other_lines = {
    "# comment", "Sitemap: https://example.com/s.xml", "Crawl-delay: 1", "garbage"};
constexpr std::array<std::string_view, 14> path_pieces = {
    "a", "b", "a", "b", "/", "ab", "%61", "%62", "%2F", "%c3%a9", "\xC3\xA9", "?", "=", "."};

// Random robots.txt files over a small alphabet, so that rules collide with paths often.
class CaseGenerator {
 public:
  explicit CaseGenerator(std::uint32_t seed) : random_(seed) {}

  diff_case next() {
    diff_case c;
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
};

TEST(RobotsRulesDifferential, AgreesWithProtego) {
#ifndef WORDCRAWL_ROBOTS_REFERENCE
  GTEST_SKIP() << "WORDCRAWL_ROBOTS_REFERENCE (scripts/robots_reference.py) not defined";
#else
  // The reference is a Python script: running it through the shell is the point.
  if (std::system(  // NOLINT(cert-env33-c,concurrency-mt-unsafe)
          "/usr/bin/python3 -c 'import protego' 2>/dev/null") != 0) {
    GTEST_SKIP() << "python3-protego is not installed";
  }
  const auto cases_path = std::filesystem::temp_directory_path() /
                          ("robots_cases_" + std::to_string(::getpid()) + ".jsonl");
  CaseGenerator generator(20261202U);
  std::vector<diff_case> cases;
  {
    std::ofstream out(cases_path);
    for (int i = 0; i < 2000; ++i) {
      cases.push_back(generator.next());
      const auto& c = cases.back();
      out << "{\"robots\": " << json_string(c.robots) << ", \"agent\": " << json_string(c.agent)
          << ", \"paths\": [";
      for (std::size_t p = 0; p < c.paths.size(); ++p) {
        out << (p == 0 ? "" : ", ") << json_string(c.paths[p]);
      }
      out << "]}\n";
    }
  }
  const std::string command =
      std::string("/usr/bin/python3 ") + WORDCRAWL_ROBOTS_REFERENCE + " " + cases_path.string();
  const std::unique_ptr<FILE, int (*)(FILE*)> pipe(
      popen(command.c_str(), "r"),  // NOLINT(cert-env33-c)
      pclose);
  ASSERT_TRUE(pipe);
  std::size_t total = 0;
  std::size_t agree = 0;
  std::array<char, 4096> buffer{};
  const char* dump_path = std::getenv("ROBOTS_DIFF_DUMP");  // NOLINT(concurrency-mt-unsafe)
  std::ofstream dump;
  if (dump_path != nullptr) {
    dump.open(dump_path);
  }
  for (const auto& c : cases) {
    ASSERT_NE(std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()), nullptr);
    const std::string expected(buffer.data());
    const auto rules = robots_rules::parse(c.robots, c.agent);
    for (std::size_t p = 0; p < c.paths.size(); ++p) {
      const bool ours = rules.allowed(c.paths[p]);
      const bool theirs = p < expected.size() && expected[p] == '1';
      ++total;
      if (ours == theirs) {
        ++agree;
      } else if (dump.is_open()) {
        dump << "{\"robots\": " << json_string(c.robots) << ", \"agent\": " << json_string(c.agent)
             << ", \"path\": " << json_string(c.paths[p]) << ", \"ours\": " << ours << "}\n";
      }
    }
  }
  std::filesystem::remove(cases_path);
  std::cout << agree << "/" << total << " decisions agree with protego\n";
  // protego deviates from RFC 9309 in known ways (see the report); a drop below this bound
  // means something new broke.
  EXPECT_GE(agree * 100, total * 95);
#endif
}

}  // namespace
}  // namespace wordcrawl
