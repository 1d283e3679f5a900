// The server's command line as an operator meets it.

#include "server_options.hpp"

#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

struct parse_run {
  parsed_options result;
  std::string out;
  std::string err;
};

parse_run parse(std::initializer_list<const char*> args) {
  std::vector<const char*> argv{"server"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::ostringstream out;
  std::ostringstream err;
  auto result = parse_server_options(static_cast<int>(argv.size()), argv.data(), out, err);
  return {std::move(result), out.str(), err.str()};
}

TEST(ServerOptionsTest, DefaultsMatchTheDocumentation) {
  const auto run = parse({});
  ASSERT_TRUE(run.result.options);
  const auto& options = *run.result.options;
  EXPECT_EQ(options.workers, 8U);
  EXPECT_EQ(options.top_k, 10U);
  EXPECT_EQ(options.host, "127.0.0.1");
  EXPECT_EQ(options.port, default_port);
  EXPECT_EQ(options.queue, 256U);
  EXPECT_EQ(options.max_clients, 1024U);
  EXPECT_EQ(options.limits.max_in_flight, 64U);
  EXPECT_EQ(options.limits.idle_timeout, 60s);
  EXPECT_EQ(options.limits.write_timeout, 30s);
  EXPECT_EQ(options.grace, 10s);
  EXPECT_EQ(options.rate_interval, 10s);
  EXPECT_FALSE(options.handle_signals);
}

TEST(ServerOptionsTest, ReadsEveryServerOption) {
  const auto run = parse({"-w",
                          "3",
                          "-k",
                          "7",
                          "--host",
                          "0.0.0.0",
                          "--port",
                          "0",
                          "--queue",
                          "9",
                          "--max-clients",
                          "5",
                          "--max-in-flight",
                          "4",
                          "--idle-timeout",
                          "0.25",
                          "--write-timeout",
                          "2",
                          "--grace",
                          "0",
                          "--rate-interval",
                          "1.5"});
  ASSERT_TRUE(run.result.options) << run.err;
  const auto& options = *run.result.options;
  EXPECT_EQ(options.workers, 3U);
  EXPECT_EQ(options.top_k, 7U);
  EXPECT_EQ(options.host, "0.0.0.0");
  EXPECT_EQ(options.port, 0);
  EXPECT_EQ(options.queue, 9U);
  EXPECT_EQ(options.max_clients, 5U);
  EXPECT_EQ(options.limits.max_in_flight, 4U);
  EXPECT_EQ(options.limits.idle_timeout, 250ms);
  EXPECT_EQ(options.limits.write_timeout, 2s);
  EXPECT_EQ(options.grace, 0ms);
  EXPECT_EQ(options.rate_interval, 1500ms);
}

TEST(ServerOptionsTest, ReadsTheFetchOptions) {
  const auto run = parse({"--connect-timeout", "3",       "--timeout",        "12",
                          "--low-speed-limit", "10",      "--low-speed-time", "4",
                          "--max-body",        "1000",    "--max-redirects",  "2",
                          "--retries",         "0",       "--per-host",       "1",
                          "--user-agent",      "probe/1", "--allow-private",  "127.0.0.0/8",
                          "--allow-private",   "::1"});
  ASSERT_TRUE(run.result.options) << run.err;
  const auto& fetch = run.result.options->fetch;
  EXPECT_EQ(fetch.connect_timeout, 3s);
  EXPECT_EQ(fetch.total_timeout, 12s);
  EXPECT_EQ(fetch.low_speed_limit, 10);
  EXPECT_EQ(fetch.low_speed_time, 4s);
  EXPECT_EQ(fetch.max_body, 1000U);
  EXPECT_EQ(fetch.max_redirects, 2);
  EXPECT_EQ(fetch.retries, 0);
  EXPECT_EQ(run.result.options->per_host, 1U);
  EXPECT_EQ(fetch.user_agent, "probe/1");
  EXPECT_TRUE(fetch.filter.permits(boost::asio::ip::make_address("127.0.0.1")));
  EXPECT_TRUE(fetch.filter.permits(boost::asio::ip::make_address("::1")));
  EXPECT_FALSE(fetch.filter.permits(boost::asio::ip::make_address("10.0.0.1")));
}

TEST(ServerOptionsTest, RobotsTxtIsObeyedByDefaultAndThePolitenessOptionsAreRead) {
  const auto defaults = parse({});
  ASSERT_TRUE(defaults.result.options);
  const auto& polite = defaults.result.options->fetch;
  EXPECT_TRUE(polite.obey_robots);
  EXPECT_EQ(polite.robots_ttl, 3600s);
  EXPECT_EQ(polite.delay, 0ms);
  EXPECT_EQ(polite.max_crawl_delay, 10s);
  const auto run = parse(
      {"--robots", "ignore", "--robots-ttl", "60", "--delay", "0.5", "--max-crawl-delay", "2.5"});
  ASSERT_TRUE(run.result.options) << run.err;
  const auto& fetch = run.result.options->fetch;
  EXPECT_FALSE(fetch.obey_robots);
  EXPECT_EQ(fetch.robots_ttl, 60s);
  EXPECT_EQ(fetch.delay, 500ms);
  EXPECT_EQ(fetch.max_crawl_delay, 2500ms);
}

TEST(ServerOptionsTest, BadValuesExitWithStatusTwoAndSayWhy) {
  for (const auto& args : std::vector<std::vector<const char*>>{{"-w", "0"},
                                                                {"-k", "0"},
                                                                {"--port", "70000"},
                                                                {"--port", "-1"},
                                                                {"--queue", "0"},
                                                                {"--idle-timeout", "0"},
                                                                {"--workers", "many"},
                                                                {"--no-such-option"},
                                                                {"--allow-private", "10.0.0.0/99"},
                                                                {"--user-agent", "a\r\nX: y"},
                                                                {"--robots", "sometimes"},
                                                                {"--delay", "-1"},
                                                                {"--robots-ttl", "0"}}) {
    std::vector<const char*> argv{"server"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::ostringstream out;
    std::ostringstream err;
    const auto result = parse_server_options(static_cast<int>(argv.size()), argv.data(), out, err);
    EXPECT_FALSE(result.options) << args[0];
    EXPECT_EQ(result.exit_code, 2) << args[0];
    EXPECT_FALSE(err.str().empty()) << args[0];
  }
}

TEST(ServerOptionsTest, ErrorNamesTheOffendingOption) {
  const auto run = parse({"-w", "0"});
  EXPECT_NE(run.err.find("workers"), std::string::npos) << run.err;
  const auto private_run = parse({"--allow-private", "nonsense"});
  EXPECT_NE(private_run.err.find("--allow-private"), std::string::npos) << private_run.err;
}

TEST(ServerOptionsTest, HelpListsTheOptionsAndExitsZero) {
  const auto run = parse({"--help"});
  EXPECT_FALSE(run.result.options);
  EXPECT_EQ(run.result.exit_code, 0);
  for (const char* flag : {"--workers", "--top-k", "--port", "--max-in-flight", "--queue",
                           "--idle-timeout", "--grace", "--allow-private"}) {
    EXPECT_NE(run.out.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(run.out.find("second signal"), std::string::npos);
}

TEST(ServerOptionsTest, VersionPrintsTheVersion) {
  const auto run = parse({"--version"});
  EXPECT_FALSE(run.result.options);
  EXPECT_EQ(run.result.exit_code, 0);
  EXPECT_NE(run.out.find(version), std::string::npos) << run.out;
}

}  // namespace
}  // namespace wordcrawl::testing
