// Token authentication on the client link: the server's auth line check (server
// --auth-token-file), its token file, and the client's token sources.

#include <chrono>
#include <cstdlib>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "client_options.hpp"
#include "network/auth_tokens.hpp"
#include "run_client.hpp"
#include "server_harness.hpp"
#include "support/temp_dir.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

constexpr const char* first_token = "first-token-0123456789abcdef";
constexpr const char* second_token = "second-token-0123456789abcdef";

auth_tokens tokens_of(const std::string& text) {
  auto parsed = auth_tokens::parse(text);
  if (auto* error = std::get_if<std::string>(&parsed)) {
    ADD_FAILURE() << *error;
    return {};
  }
  return std::get<auth_tokens>(std::move(parsed));
}

// The connection line of a refusal: an object with error and kind, and no url.
void expect_refusal(const std::optional<std::string>& line, error_kind kind,
                    const std::string& says) {
  ASSERT_TRUE(line.has_value());
  const auto refusal = parse_connection_error(*line);
  ASSERT_TRUE(refusal.has_value()) << *line;
  EXPECT_EQ(refusal->kind, kind) << *line;
  EXPECT_NE(refusal->message.find(says), std::string::npos) << *line;
}

class LinkAuthTest : public ServerTest {
 protected:
  void start_with_tokens(const std::string& file_text) {
    options_.link.tokens = tokens_of(file_text);
    start();
  }
};

TEST_F(LinkAuthTest, AValidTokenLetsPipelinedUrlsThrough) {
  start_with_tokens(std::string("# current\n") + first_token + "\n");
  auto client = connect();
  client.send(encode_auth(first_token) + url_lines(0, 3));
  const auto lines = client.read_lines(3);
  ASSERT_EQ(lines.size(), 3U);
  for (const auto& line : lines) {
    const auto answer = parse_reply(line);
    ASSERT_TRUE(answer.has_value()) << line;
    EXPECT_FALSE(answer->result.error) << line;
  }
  EXPECT_EQ(fakes().started(), 3);
}

TEST_F(LinkAuthTest, AWrongTokenIsRefusedAndNothingIsFetched) {
  start_with_tokens(first_token);
  auto client = connect();
  client.send(encode_auth("wrong-token-0123456789abcdef") + url_lines(0, 2));
  expect_refusal(client.read_line(), error_kind::unauthorized, "unauthorized: wrong token");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_FALSE(client.read_line(0ms)) << "one line only";
  EXPECT_EQ(fakes().started(), 0);
}

TEST_F(LinkAuthTest, AUrlAsFirstLineIsRefused) {
  start_with_tokens(first_token);
  auto client = connect();
  client.send(url_lines(0, 1));
  expect_refusal(client.read_line(), error_kind::unauthorized, "first line must be");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(fakes().started(), 0);
}

TEST_F(LinkAuthTest, ARequestObjectAsFirstLineIsRefused) {
  start_with_tokens(first_token);
  auto client = connect();
  client.send(R"({"url":"http://example.com/1","k":3})"
              "\n");
  expect_refusal(client.read_line(), error_kind::unauthorized, "first line must be");
  EXPECT_TRUE(client.wait_closed());
  EXPECT_EQ(fakes().started(), 0);
}

TEST_F(LinkAuthTest, AnAuthLineWithMoreKeysIsRefused) {
  start_with_tokens(first_token);
  auto client = connect();
  client.send(std::string(R"({"auth":")") + first_token + R"(","url":"http://example.com/1"})" +
              "\n");
  expect_refusal(client.read_line(), error_kind::unauthorized, "first line must be");
  EXPECT_EQ(fakes().started(), 0);
}

TEST_F(LinkAuthTest, SilenceIsRefusedAtTheDeadline) {
  options_.limits.auth_timeout = 200ms;
  start_with_tokens(first_token);
  auto client = connect();
  expect_refusal(client.read_line(5s), error_kind::unauthorized, "no auth line within");
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(LinkAuthTest, ARefusedConnectionIsClosedOnlyAfterTheDelay) {
  options_.limits.refuse_delay = 400ms;
  start_with_tokens(first_token);
  auto client = connect();
  client.send(encode_auth("wrong-token-0123456789abcdef"));
  client.shutdown_send();  // a guesser that hurries: the delay still holds
  expect_refusal(client.read_line(), error_kind::unauthorized, "wrong token");
  const auto refused_at = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_GE(std::chrono::steady_clock::now() - refused_at, 300ms);
}

TEST_F(LinkAuthTest, EveryTokenOfTheFileIsAccepted) {
  start_with_tokens(std::string(first_token) + "\n\n# next one, for rotation\n" + second_token);
  for (const auto* token : {first_token, second_token}) {
    auto client = connect();
    client.send(encode_auth(token) + url_lines(0, 1));
    const auto answer = parse_reply(client.read_line().value_or(""));
    ASSERT_TRUE(answer.has_value()) << token;
    EXPECT_FALSE(answer->result.error) << token;
  }
  EXPECT_EQ(fakes().started(), 2);
}

TEST_F(LinkAuthTest, AServerWithoutTokensIgnoresAnAuthLine) {
  start();
  auto client = connect();
  client.send(encode_auth(first_token) + url_lines(0, 1));
  const auto answer = parse_reply(client.read_line().value_or(""));
  ASSERT_TRUE(answer.has_value());
  EXPECT_EQ(answer->url, url(0));
  EXPECT_FALSE(answer->result.error);
}

TEST(LinkTokens, AcceptsOnlyTheConfiguredTokens) {
  const auto tokens = tokens_of(std::string(first_token) + "\n" + second_token + "\n");
  EXPECT_EQ(tokens.size(), 2U);
  EXPECT_TRUE(tokens.accepts(first_token));
  EXPECT_TRUE(tokens.accepts(second_token));
  EXPECT_FALSE(tokens.accepts(""));
  EXPECT_FALSE(tokens.accepts(std::string(first_token) + "x"));
  EXPECT_FALSE(tokens.accepts(std::string(first_token).substr(1)));
}

TEST(LinkTokens, ShortTokensAndEmptyFilesAreErrors) {
  EXPECT_TRUE(std::holds_alternative<std::string>(auth_tokens::parse("short\n")));
  EXPECT_TRUE(std::holds_alternative<std::string>(auth_tokens::parse("# nothing\n\n")));
  EXPECT_TRUE(std::holds_alternative<std::string>(auth_tokens::load("/nonexistent/tokens")));
}

int server_exit_code(const std::vector<std::string>& extra, std::string& err_text) {
  std::vector<const char*> argv{"server"};
  for (const auto& arg : extra) {
    argv.push_back(arg.c_str());
  }
  std::ostringstream out;
  std::ostringstream err;
  const auto parsed = parse_server_options(static_cast<int>(argv.size()), argv.data(), out, err);
  err_text = err.str();
  return parsed.options ? -1 : parsed.exit_code;
}

TEST(LinkTokens, ABadTokenFileStopsTheServerWithExit2) {
  const temp_dir dir;
  std::string err;
  EXPECT_EQ(server_exit_code({"--auth-token-file", dir.write("short", "abc\n")}, err), 2);
  EXPECT_NE(err.find("shorter than 16 bytes"), std::string::npos) << err;
  EXPECT_EQ(server_exit_code({"--auth-token-file", dir.write("empty", "")}, err), 2);
  EXPECT_NE(err.find("no token"), std::string::npos) << err;
  EXPECT_EQ(server_exit_code({"--auth-token-file", dir.file("missing")}, err), 2);
  EXPECT_NE(err.find("cannot read"), std::string::npos) << err;
  EXPECT_EQ(server_exit_code({"--auth-token-file", dir.write("good", first_token)}, err), -1)
      << err;
}

std::optional<client_options> client_with(const std::vector<std::string>& extra) {
  std::vector<const char*> argv{"client", "1", "-"};
  for (const auto& arg : extra) {
    argv.push_back(arg.c_str());
  }
  std::ostringstream out;
  std::ostringstream err;
  return parse_client_options(argv, false, out, err).options;
}

TEST(LinkClientToken, ComesFromTheFirstTokenLineOfTheFile) {
  const temp_dir dir;
  const auto file = dir.write(
      "token", std::string("# for wordcrawl\n\n ") + first_token + " \n" + second_token + "\n");
  const auto options = client_with({"--auth-token-file", file});
  ASSERT_TRUE(options.has_value());
  EXPECT_EQ(options->auth_token, first_token);
  EXPECT_FALSE(client_with({"--auth-token-file", dir.write("blank", "# none\n")}));
}

TEST(LinkClientToken, ComesFromTheEnvironmentWithoutAFile) {
  ASSERT_EQ(::setenv(auth_token_variable, second_token, 1), 0);  // NOLINT(concurrency-mt-unsafe)
  const auto from_env = client_with({});
  const temp_dir dir;
  const auto from_file = client_with({"--auth-token-file", dir.write("token", first_token)});
  ASSERT_EQ(::unsetenv(auth_token_variable), 0);  // NOLINT(concurrency-mt-unsafe)
  const auto without = client_with({});
  ASSERT_TRUE(from_env && from_file && without);
  EXPECT_EQ(from_env->auth_token, second_token);
  EXPECT_EQ(from_file->auth_token, first_token) << "the file wins over the environment";
  EXPECT_EQ(without->auth_token, "");
}

struct client_run {
  int code = -1;
  std::string out;
  std::string err;
};

// The client's run_client() over count URLs against 127.0.0.1:port.
client_run run_client_on(std::uint16_t port, client_options options, std::size_t count) {
  const temp_dir dir;
  options.file = dir.write("urls.txt", url_lines(0, count));
  options.port = port;
  options.reconnect_delay = 2s;  // a retry would show in the time taken
  std::istringstream in;
  std::ostringstream out;
  std::ostringstream err;
  client_run run;
  run.code = run_client(options, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

TEST_F(LinkAuthTest, TheClientSendsItsTokenBeforeItsUrls) {
  start_with_tokens(first_token);
  client_options options;
  options.auth_token = first_token;
  const auto run = run_client_on(server().port(), options, 5);
  EXPECT_EQ(run.code, exit_all_answered) << run.err;
  EXPECT_EQ(fakes().started(), 5);
}

TEST_F(LinkAuthTest, TheClientStopsAtOnceWhenItsTokenIsRefused) {
  start_with_tokens(first_token);
  client_options options;
  options.threads = 2;
  options.auth_token = second_token;
  const auto begun = std::chrono::steady_clock::now();
  const auto run = run_client_on(server().port(), options, 5);
  EXPECT_LT(std::chrono::steady_clock::now() - begun, 1500ms) << "no retry, no refuse delay";
  EXPECT_EQ(run.code, exit_cannot_run);
  EXPECT_NE(run.err.find("refused the connection: unauthorized: wrong token"), std::string::npos)
      << run.err;
  EXPECT_EQ(fakes().started(), 0);
}

TEST_F(LinkAuthTest, TheClientWithoutATokenIsToldWhatIsMissing) {
  start_with_tokens(first_token);
  const auto run = run_client_on(server().port(), client_options{}, 1);
  EXPECT_EQ(run.code, exit_cannot_run);
  EXPECT_NE(run.err.find("--auth-token-file"), std::string::npos) << run.err;
}

}  // namespace
}  // namespace wordcrawl::testing
