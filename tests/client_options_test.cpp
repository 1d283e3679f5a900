#include "client_options.hpp"

#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wordcrawl/defaults.hpp"

namespace wordcrawl::testing {
namespace {

using ::testing::HasSubstr;
using namespace std::chrono_literals;

struct parsed {
  parse_outcome outcome;
  std::string out;
  std::string err;
};

// The test binary itself always exists, so it serves as the URL file.
const char* const existing_file = "/proc/self/exe";

parsed parse(std::vector<const char*> args, bool terminal = false) {
  args.insert(args.begin(), "client");
  std::ostringstream out;
  std::ostringstream err;
  auto outcome = parse_client_options(args, terminal, out, err);
  return {std::move(outcome), out.str(), err.str()};
}

TEST(ClientOptions, DefaultsMatchTheDocumentedValues) {
  const auto result = parse({"3", existing_file});
  ASSERT_TRUE(result.outcome.options) << result.err;
  const auto& options = *result.outcome.options;
  EXPECT_EQ(options.threads, 3);
  EXPECT_EQ(options.file, existing_file);
  EXPECT_EQ(options.host, "127.0.0.1");
  EXPECT_EQ(options.port, default_port);
  EXPECT_EQ(options.window, 16U);
  EXPECT_FALSE(options.json);
  EXPECT_EQ(options.reconnect_attempts, 5);
  EXPECT_EQ(options.connect_timeout, 5s);
}

TEST(ClientOptions, ParsesEveryOption) {
  const auto result = parse({"2", "-", "--host", "localhost", "--port", "8080", "--window", "4",
                             "--json", "--connect-timeout", "1.5", "--reply-timeout", "30",
                             "--reconnect-attempts", "7", "--reconnect-delay", "0.1"});
  ASSERT_TRUE(result.outcome.options) << result.err;
  const auto& options = *result.outcome.options;
  EXPECT_EQ(options.file, "-");
  EXPECT_EQ(options.host, "localhost");
  EXPECT_EQ(options.port, 8080);
  EXPECT_EQ(options.window, 4U);
  EXPECT_TRUE(options.json);
  EXPECT_EQ(options.connect_timeout, 1500ms);
  EXPECT_EQ(options.reply_timeout, 30s);
  EXPECT_EQ(options.reconnect_attempts, 7);
  EXPECT_EQ(options.reconnect_delay, 100ms);
}

TEST(ClientOptions, ProgressFollowsTheTerminalUnlessForced) {
  EXPECT_TRUE(parse({"1", "-"}, true).outcome.options->progress);
  EXPECT_FALSE(parse({"1", "-"}, false).outcome.options->progress);
  EXPECT_TRUE(parse({"1", "-", "--progress"}, false).outcome.options->progress);
  EXPECT_FALSE(parse({"1", "-", "--no-progress"}, true).outcome.options->progress);
}

TEST(ClientOptions, HelpListsOptionsAndExitCodes) {
  const auto result = parse({"--help"});
  EXPECT_FALSE(result.outcome.options);
  EXPECT_EQ(result.outcome.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr("--window"));
  EXPECT_THAT(result.out, HasSubstr("--reconnect-attempts"));
  EXPECT_THAT(result.out, HasSubstr("Exit codes:"));
  EXPECT_THAT(result.out, HasSubstr("2  could not run"));
}

TEST(ClientOptions, VersionPrintsTheVersion) {
  const auto result = parse({"--version"});
  EXPECT_FALSE(result.outcome.options);
  EXPECT_EQ(result.outcome.exit_code, 0);
  EXPECT_THAT(result.out, HasSubstr(version));
}

TEST(ClientOptions, HelpAndVersionNameTheProgramAsItWasStarted) {
  std::vector<const char*> args{"/usr/bin/wordcrawl-client", "--version"};
  std::ostringstream out;
  std::ostringstream err;
  parse_client_options(args, false, out, err);
  EXPECT_EQ(out.str().rfind("wordcrawl-client (wordcrawl) ", 0), 0U) << out.str();
}

TEST(ClientOptions, RejectsFewerThanOneThread) {
  const auto result = parse({"0", existing_file});
  EXPECT_FALSE(result.outcome.options);
  EXPECT_EQ(result.outcome.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("threads"));
}

TEST(ClientOptions, RejectsAMissingFile) {
  const auto result = parse({"1", "/nonexistent/urls.txt"});
  EXPECT_FALSE(result.outcome.options);
  EXPECT_EQ(result.outcome.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("no such file: /nonexistent/urls.txt"));
}

TEST(ClientOptions, RejectsAnUnknownOption) {
  const auto result = parse({"1", "-", "--colour"});
  EXPECT_FALSE(result.outcome.options);
  EXPECT_EQ(result.outcome.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("--colour"));
}

TEST(ClientOptions, RejectsMissingArguments) {
  const auto result = parse({});
  EXPECT_FALSE(result.outcome.options);
  EXPECT_EQ(result.outcome.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("threads"));
}

TEST(ClientOptions, RejectsOutOfRangeValues) {
  EXPECT_EQ(parse({"1", "-", "--port", "70000"}).outcome.exit_code, 2);
  EXPECT_EQ(parse({"1", "-", "--window", "0"}).outcome.exit_code, 2);
  EXPECT_EQ(parse({"1", "-", "--connect-timeout", "0"}).outcome.exit_code, 2);
  EXPECT_EQ(parse({"1", "-", "--reconnect-attempts", "0"}).outcome.exit_code, 2);
}

TEST(ClientOptions, WithoutServersTheListIsHostAndPort) {
  const auto result = parse({"1", "-", "--host", "10.0.0.5", "--port", "8080"});
  ASSERT_TRUE(result.outcome.options) << result.err;
  EXPECT_TRUE(result.outcome.options->servers.empty());
  const std::vector<server_address> given{{"10.0.0.5", 8080}};
  EXPECT_EQ(servers_to_use(*result.outcome.options), given);
  const std::vector<server_address> defaults{{"127.0.0.1", default_port}};
  EXPECT_EQ(servers_to_use(client_options{}), defaults);
}

TEST(ClientOptions, ParsesAServerList) {
  const auto result =
      parse({"4", "-", "--servers", "a.test:7001,10.0.0.2:7002, b.test ,[::1]:7003"});
  ASSERT_TRUE(result.outcome.options) << result.err;
  const std::vector<server_address> expected{
      {"a.test", 7001}, {"10.0.0.2", 7002}, {"b.test", default_port}, {"::1", 7003}};
  EXPECT_EQ(result.outcome.options->servers, expected);
  EXPECT_EQ(servers_to_use(*result.outcome.options), expected);
}

TEST(ClientOptions, ServerListAcceptsIpv6InBrackets) {
  const auto parsed = parse_server_list("[::1]:7070,[2001:db8::7],[fe80::1%lo]:9");
  ASSERT_TRUE(parsed.error.empty()) << parsed.error;
  EXPECT_EQ(parsed.servers, (std::vector<server_address>{
                                {"::1", 7070}, {"2001:db8::7", default_port}, {"fe80::1%lo", 9}}));
}

TEST(ClientOptions, FormatsServersAsMessagesNameThem) {
  EXPECT_EQ(format_server({"127.0.0.1", 7070}), "127.0.0.1:7070");
  EXPECT_EQ(format_server({"::1", 7071}), "[::1]:7071");
  EXPECT_EQ(format_server({"host.test", 1}), "host.test:1");
}

TEST(ClientOptions, RejectsBadServerEntriesNamingThem) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"a.test:0", R"(bad entry "a.test:0": the port must be a number from 1 to 65535)"},
      {"a.test:70000", R"(bad entry "a.test:70000": the port must be)"},
      {"a.test:x1", R"(bad entry "a.test:x1": the port must be)"},
      {"a.test:", R"(bad entry "a.test:": the port must be)"},
      {"a.test:-1", R"(bad entry "a.test:-1": the port must be)"},
      {":7070", R"(bad entry ":7070": no host)"},
      {"a.test:1,,b.test:2", R"(bad entry "": empty entry)"},
      {"a.test:1,", R"(bad entry "": empty entry)"},
      {"", R"(bad entry "": empty entry)"},
      {"::1", R"(bad entry "::1": an IPv6 address needs brackets, as in [::1]:7070)"},
      {"[::1", R"(bad entry "[::1": no ']' after the IPv6 address)"},
      {"[::1]7070", R"(bad entry "[::1]7070": expected :PORT after ']')"},
      {"[a.test]:1", R"(bad entry "[a.test]:1": not an IPv6 address in brackets)"},
      {"[]:1", R"(bad entry "[]:1": not an IPv6 address in brackets)"},
      {"a b:1", R"(bad entry "a b:1": not a host name or address)"},
  };
  for (const auto& [text, message] : cases) {
    const auto parsed = parse_server_list(text);
    EXPECT_TRUE(parsed.servers.empty()) << text;
    EXPECT_THAT(parsed.error, HasSubstr(message)) << text;
  }
}

TEST(ClientOptions, BadServerListIsAUsageError) {
  const auto result = parse({"1", "-", "--servers", "a.test:1,b.test:port"});
  EXPECT_FALSE(result.outcome.options);
  EXPECT_EQ(result.outcome.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(R"(--servers: bad entry "b.test:port": the port must be)"));
  EXPECT_THAT(result.err, HasSubstr("Run with --help"));
}

TEST(ClientOptions, ServersConflictWithAnExplicitHostOrPort) {
  for (const auto& extra : {std::vector<const char*>{"--host", "127.0.0.1"},
                            std::vector<const char*>{"--port", "7070"}}) {
    std::vector<const char*> args{"1", "-", "--servers", "a.test:1"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto result = parse(args);
    EXPECT_FALSE(result.outcome.options) << extra[0];
    EXPECT_EQ(result.outcome.exit_code, 2) << extra[0];
    EXPECT_THAT(result.err, HasSubstr("--servers cannot be combined with --host or --port"));
  }
}

TEST(ClientOptions, HelpListsServers) {
  EXPECT_THAT(parse({"--help"}).out, HasSubstr("--servers"));
}

}  // namespace
}  // namespace wordcrawl::testing
