// robots.txt obeyed by the whole server (RFC 9309): the fetching processors ask each origin's
// robots.txt through the robots_cache they share, and the queue holds back jobs of a host
// whose robots.txt is on its way. Everything runs against loopback HTTP fixtures.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <gtest/gtest.h>

#include "fetch/crawl_policy.hpp"
#include "fetch/curl_global.hpp"
#include "fetch/curl_share_state.hpp"
#include "fetch/fetching_processor.hpp"
#include "fetch/robots_cache.hpp"
#include "server_harness.hpp"
#include "support/eventually.hpp"
#include "support/http_fixture.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

class RobotsTest : public ::testing::Test {
 protected:
  RobotsTest() {
    EXPECT_FALSE(options_.fetch.filter.allow("127.0.0.0/8"));
    options_.fetch.retries = 0;
    options_.top_k = 3;
  }

  // A server whose workers obey robots.txt through the test's cache.
  std::unique_ptr<RunningServer> start() {
    const crawl_policy policy{&robots_, nullptr};
    return std::make_unique<RunningServer>(
        options_, make_fetching_factory(options_.fetch, shared_, options_.top_k, policy), policy);
  }

  // The answer to one URL on its own connection.
  static page_result ask(RunningServer& server, const std::string& url) {
    LineClient client(server.port());
    client.send(url + "\n");
    const auto line = client.read_line(20s);
    EXPECT_TRUE(line) << url;
    const auto reply = parse_reply(line.value_or(""));
    EXPECT_TRUE(reply) << line.value_or("(no line)");
    return reply ? reply->result : page_result::failure(error_kind::internal, "no reply");
  }

  void add_robots(std::string body) { web_.add_page("/robots.txt", std::move(body), "text/plain"); }

  curl_global curl_;
  curl_share_state shared_;
  http_fixture web_;
  robots_cache robots_;
  server_options options_ = test_options();
};

TEST_F(RobotsTest, ADisallowedUrlIsAnsweredKindRobotsAndNeverFetched) {
  add_robots("User-agent: *\nDisallow: /private\n");
  web_.add_page("/private/page", "<p>secret secret</p>");
  web_.add_page("/public", "<p>open open open</p>");
  auto server = start();
  const auto refused = ask(*server, web_.url("/private/page"));
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->kind, error_kind::robots);
  EXPECT_EQ(refused.error->message, "disallowed by robots.txt for wordcrawl");
  EXPECT_EQ(web_.requests("/private/page"), 0U);
  const auto served = ask(*server, web_.url("/public"));
  EXPECT_FALSE(served.error) << served.error->message;
  EXPECT_EQ(served.words, (std::vector<word_count>{{"open", 3}}));
  EXPECT_EQ(web_.requests("/robots.txt"), 1U) << "kept for the second URL of the origin";
}

TEST_F(RobotsTest, TheGroupOfTheUserAgentTokenWinsOverTheStarGroup) {
  add_robots(
      "User-agent: *\nDisallow: /\n\n"
      "User-agent: WordCrawl\nAllow: /\nDisallow: /*.pdf$\nDisallow: /secret$\n");
  web_.add_page("/page", "<p>word</p>");
  web_.add_page("/secret/inside", "<p>word</p>");
  auto server = start();
  EXPECT_FALSE(ask(*server, web_.url("/page")).error);
  EXPECT_FALSE(ask(*server, web_.url("/secret/inside")).error) << "$ anchors the rule";
  EXPECT_EQ(ask(*server, web_.url("/secret")).error->kind, error_kind::robots);
  EXPECT_EQ(ask(*server, web_.url("/a/b.pdf")).error->kind, error_kind::robots);
  const auto with_query = ask(*server, web_.url("/a/b.pdf?x=1"));  // $ anchors the query's end
  EXPECT_FALSE(with_query.error && with_query.error->kind == error_kind::robots);
}

TEST_F(RobotsTest, TheUserAgentOptionNamesTheTokenThatIsMatched) {
  options_.fetch.user_agent = "friendly-bot/2.0 (+https://example.org/bot)";
  add_robots("User-agent: friendly-bot\nDisallow: /\n\nUser-agent: *\nAllow: /\n");
  web_.add_page("/page", "<p>word</p>");
  auto server = start();
  const auto refused = ask(*server, web_.url("/page"));
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->message, "disallowed by robots.txt for friendly-bot");
}

TEST_F(RobotsTest, ARobotsTxtThatIsNotFoundAllowsEverything) {
  web_.add_page("/page", "<p>found found</p>");  // no /robots.txt route: 404
  auto server = start();
  const auto served = ask(*server, web_.url("/page"));
  EXPECT_FALSE(served.error) << served.error->message;
  EXPECT_EQ(web_.requests("/robots.txt"), 1U);
  EXPECT_EQ(web_.requests("/page"), 1U);
}

TEST_F(RobotsTest, AServerErrorOrTooManyRequestsDisallowsEverything) {
  for (const unsigned status : {500U, 503U, 429U}) {
    http_fixture site;
    site.add_page("/robots.txt", "oops", "text/plain", status);
    site.add_page("/page", "<p>word</p>");
    auto server = start();
    const auto refused = ask(*server, site.url("/page"));
    ASSERT_TRUE(refused.error) << status;
    EXPECT_EQ(refused.error->kind, error_kind::robots);
    EXPECT_EQ(refused.error->message,
              "robots.txt answered HTTP " + std::to_string(status) + ": everything is disallowed");
    EXPECT_EQ(site.requests("/page"), 0U) << status;
  }
}

// The site answered the connection but not with a robots.txt: RFC 9309's "unreachable".
TEST_F(RobotsTest, AnUnreachableRobotsTxtDisallowsEverything) {
  web_.add("/robots.txt", http_route{.pieces = {"User-agent: *\n"},
                                     .end = http_route::ending::reset,
                                     .content_length = 1000});
  web_.add_page("/page", "<p>word</p>");
  auto server = start();
  const auto failed = ask(*server, web_.url("/page"));
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(failed.error->kind, error_kind::robots);
  EXPECT_EQ(failed.error->message.rfind("robots.txt unreachable (", 0), 0U)
      << failed.error->message;
  EXPECT_NE(failed.error->message.find("): everything is disallowed"), std::string::npos);
  EXPECT_EQ(web_.requests("/page"), 0U);
  // Kept for a while: the next URL of the origin gets the same answer without asking again.
  EXPECT_EQ(ask(*server, web_.url("/page")).error, failed.error);
  EXPECT_EQ(web_.requests("/robots.txt"), 1U);
  EXPECT_EQ(web_.requests("/page"), 0U);
}

TEST_F(RobotsTest, ARobotsTxtThatNeverAnswersEndsWithTheUrlsTimeout) {
  options_.fetch.total_timeout = 1s;
  web_.add("/robots.txt", http_route{.end = http_route::ending::hang, .content_length = 1000});
  web_.add_page("/page", "<p>word</p>");
  auto server = start();
  const auto failed = ask(*server, web_.url("/page"));
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(failed.error->kind, error_kind::robots);
  EXPECT_EQ(failed.error->message,
            "robots.txt unreachable (timeout after 1 s): everything is disallowed");
  EXPECT_EQ(web_.requests("/page"), 0U);
}

TEST_F(RobotsTest, AHugeRobotsTxtIsReadUpToItsLimit) {
  const std::string filler(std::size_t{600} * 1024, '#');
  add_robots("User-agent: *\nDisallow: /early\n" + filler + "\nDisallow: /late\n");
  web_.add_page("/early", "<p>word</p>");
  web_.add_page("/late", "<p>word</p>");
  auto server = start();
  EXPECT_EQ(ask(*server, web_.url("/early")).error->kind, error_kind::robots);
  const auto late = ask(*server, web_.url("/late"));
  EXPECT_FALSE(late.error) << "a rule past 500 KiB is not read: " << late.error->message;
  EXPECT_EQ(web_.requests("/robots.txt"), 1U);
}

TEST_F(RobotsTest, ARedirectedRobotsTxtIsFollowed) {
  web_.add_redirect("/robots.txt", web_.url("/real-robots.txt"), 301);
  web_.add_page("/real-robots.txt", "User-agent: *\nDisallow: /x\n", "text/plain");
  web_.add_page("/x", "<p>word</p>");
  auto server = start();
  EXPECT_EQ(ask(*server, web_.url("/x")).error->kind, error_kind::robots);
  EXPECT_EQ(web_.requests("/x"), 0U);
  EXPECT_EQ(web_.requests("/real-robots.txt"), 1U);
}

// A site that cannot be reached at all is answered with what stopped it: the page could not
// have been fetched either, and "dns" says more than "robots".
TEST_F(RobotsTest, ASiteThatCannotBeReachedIsAnsweredWithItsOwnFailure) {
  // A port held bound but not listening, for the whole test: connecting is refused, and no other
  // test can listen there (a port closed again could be taken by a test running beside this one).
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket held(io, boost::asio::ip::tcp::v4());
  held.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
  const auto port = held.local_endpoint().port();
  auto server = start();
  const auto failed = ask(*server, "http://127.0.0.1:" + std::to_string(port) + "/page");
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(failed.error->kind, error_kind::connect) << failed.error->message;
  EXPECT_EQ(failed.error->message.rfind("robots.txt: ", 0), 0U) << failed.error->message;
}

TEST_F(RobotsTest, ARobotsTxtRedirectedToAPrivateAddressIsRefusedLikeAnyFetch) {
  http_fixture site("127.0.0.2");
  options_.fetch.filter = address_filter{};
  EXPECT_FALSE(options_.fetch.filter.allow("127.0.0.2/32"));
  site.add_redirect("/robots.txt", web_.url("/robots.txt"));  // 127.0.0.1: not allowed
  site.add_page("/page", "<p>word</p>");
  auto server = start();
  const auto failed = ask(*server, site.url("/page"));
  ASSERT_TRUE(failed.error);
  EXPECT_EQ(failed.error->kind, error_kind::blocked_address) << failed.error->message;
  EXPECT_EQ(web_.requests("/robots.txt"), 0U);
  EXPECT_EQ(site.requests("/page"), 0U);
}

TEST_F(RobotsTest, ManyConcurrentUrlsOfOneOriginWaitForOneRobotsTxt) {
  options_.workers = 4;
  options_.per_host = 4;
  web_.add("/robots.txt", http_route{.headers = {{"Content-Type", "text/plain"}},
                                     .pieces = {"User-agent: *\n", "Disallow: /odd\n"},
                                     .piece_delay = 200ms});
  std::string lines;
  for (int i = 0; i < 20; ++i) {
    web_.add_page("/even/" + std::to_string(i), "<p>even</p>");
    lines += web_.url((i % 2 == 0 ? "/even/" : "/odd/") + std::to_string(i)) + "\n";
  }
  auto server = start();
  LineClient client(server->port());
  client.send(lines);
  const auto replies = client.read_lines(20);
  ASSERT_EQ(replies.size(), 20U);
  std::size_t refused = 0;
  for (const auto& line : replies) {
    const auto reply = parse_reply(line);
    ASSERT_TRUE(reply) << line;
    refused += reply->result.error && reply->result.error->kind == error_kind::robots ? 1U : 0U;
  }
  EXPECT_EQ(refused, 10U);
  EXPECT_EQ(web_.requests("/robots.txt"), 1U);
  EXPECT_EQ(robots_.fetches(), 1U);
}

// Four workers, a per-host limit of four: without holding back the jobs of a host whose
// robots.txt is on its way, every worker would take one and wait on that robots.txt.
TEST_F(RobotsTest, JobsOfAHostWhoseRobotsTxtIsOnItsWayDoNotHoldWorkers) {
  options_.workers = 2;
  options_.per_host = 4;
  options_.fetch.total_timeout = 5s;
  http_fixture slow("127.0.0.2");
  slow.add("/robots.txt", http_route{.end = http_route::ending::hang, .content_length = 1000});
  web_.add_page("/quick", "<p>quick</p>");
  auto server = start();
  LineClient flooder(server->port());
  std::string lines;
  for (int i = 0; i < 6; ++i) {
    lines += slow.url("/" + std::to_string(i)) + "\n";
  }
  flooder.send(lines);
  ASSERT_TRUE(slow.wait_for_requests("/robots.txt", 1, 10s));
  const auto start_time = std::chrono::steady_clock::now();
  const auto quick = ask(*server, web_.url("/quick"));
  EXPECT_FALSE(quick.error);
  EXPECT_LT(std::chrono::steady_clock::now() - start_time, 4s) << "it waited for the robots.txt";
  EXPECT_EQ(slow.requests("/robots.txt"), 1U);
  EXPECT_EQ(flooder.read_lines(6, 20s).size(), 6U) << "every URL of the slow host is answered";
}

TEST_F(RobotsTest, AVerdictIsAskedAgainAfterItsTimeToLive) {
  options_.fetch.robots_ttl = 1s;
  add_robots("User-agent: *\nDisallow: /gone\n");
  web_.add_page("/page", "<p>word</p>");
  auto server = start();
  EXPECT_FALSE(ask(*server, web_.url("/page")).error);
  EXPECT_EQ(web_.requests("/robots.txt"), 1U);
  add_robots("User-agent: *\nDisallow: /page\n");  // the site changed its mind
  ASSERT_TRUE(eventually(
      [&] {
    const auto result = ask(*server, web_.url("/page"));
    return result.error && result.error->kind == error_kind::robots;
      },
      10s));
  EXPECT_EQ(web_.requests("/robots.txt"), 2U);
}

TEST(RobotsCache, KeepsAtMostItsBoundOfOrigins) {
  robots_cache cache(3);
  const std::atomic<bool> cancel{false};
  const auto far = std::chrono::steady_clock::now() + 10s;
  const auto allow = [] {
    return robots_verdict{
        std::make_shared<const robots_rules>(robots_rules::allow_all()), {}, std::nullopt, 3600s};
  };
  for (int i = 0; i < 10; ++i) {
    const auto host = "h" + std::to_string(i);
    static_cast<void>(cache.get({"http://" + host + ":80", host, "", "/"}, allow, far, cancel));
    EXPECT_LE(cache.size(), 3U);
  }
  EXPECT_EQ(cache.fetches(), 10U);
  // The newest stay: asking again costs no fetch.
  static_cast<void>(cache.get({"http://h9:80", "h9", "", "/"}, allow, far, cancel));
  EXPECT_EQ(cache.fetches(), 10U);
}

}  // namespace
}  // namespace wordcrawl::testing
