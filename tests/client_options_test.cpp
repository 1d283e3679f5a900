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

}  // namespace
}  // namespace wordcrawl::testing
