// The client against input and servers that are not as they should be: unreadable input,
// slow non-blocking pipes, a server at its client limit, and text from web servers holding
// control characters.

#include <algorithm>
#include <chrono>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <istream>
#include <optional>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <ext/stdio_filebuf.h>
#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/http_fixture.hpp"
#include "url_source.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto patience = 60s;

// Read errors used to escape as std::ios_base::failure and abort the client.
TEST(ClientInput, ADirectoryEndsTheInputWithItsError) {
  std::ifstream directory(std::filesystem::temp_directory_path(), std::ios::binary);
  ASSERT_TRUE(directory.is_open());
  url_source source(directory);
  EXPECT_FALSE(source.next().has_value());
  EXPECT_EQ(source.error(), "Is a directory");
}

// Run through a shell, which can hand the client a closed or odd standard input.
struct shell_result {
  std::optional<int> code;
  std::string err;
};

shell_result run_client_in_shell(const std::string& redirect) {
  child_process shell(
      "/bin/sh", {"-c", std::string("exec \"$0\" 2 - --port 9 ") + redirect, WORDCRAWL_CLIENT_BIN});
  shell.read_rest(patience);
  const auto code = shell.wait(patience);
  return {code, shell.stderr_text()};
}

TEST(ClientInput, AClosedStandardInputIsAClearError) {
  const auto result = run_client_in_shell("<&-");
  EXPECT_EQ(result.code, 2) << result.err;
  EXPECT_NE(result.err.find("cannot read standard input: it is closed"), std::string::npos)
      << result.err;
}

TEST(ClientInput, AStandardInputThatIsADirectoryIsAClearError) {
  const auto result = run_client_in_shell("< " + std::filesystem::temp_directory_path().string());
  EXPECT_EQ(result.code, 2) << result.err;
  EXPECT_NE(result.err.find("cannot read standard input: Is a directory"), std::string::npos)
      << result.err;
}

TEST(ClientInput, AFileThatIsADirectoryIsAClearError) {
  child_process client(WORDCRAWL_CLIENT_BIN,
                       {"2", std::filesystem::temp_directory_path().string(), "--port", "9"});
  client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 2) << client.stderr_text();
  EXPECT_NE(client.stderr_text().find(": Is a directory"), std::string::npos)
      << client.stderr_text();
}

// An empty non-blocking pipe is a slow writer, not the end of the input.
TEST(ClientInput, ANonBlockingPipeIsReadAsItsBytesCome) {
  std::array<int, 2> ends{};
  ASSERT_EQ(::pipe(ends.data()), 0);
  ASSERT_EQ(::fcntl(ends[0], F_SETFL, O_NONBLOCK), 0);
  __gnu_cxx::stdio_filebuf<char> buffer(ends[0], std::ios::in);
  std::istream in(&buffer);
  url_source source(in, max_line_bytes, ends[0]);
  std::jthread writer([write_end = ends[1]] {
    for (const std::string line : {"http://a.test/\n", "http://b.test/\n"}) {
      std::this_thread::sleep_for(50ms);  // the slowness under test, not a synchronisation
      EXPECT_EQ(::write(write_end, line.data(), line.size()), static_cast<ssize_t>(line.size()));
    }
    ::close(write_end);
  });
  std::vector<std::string> urls;
  while (auto line = source.next()) {
    urls.push_back(line->url);
  }
  EXPECT_EQ(urls, (std::vector<std::string>{"http://a.test/", "http://b.test/"}));
  EXPECT_EQ(source.error(), "");
}

TEST(ClientInput, ControlCharactersFromAWebServerAreEscapedWhenPrinted) {
  const reply answer{"http://a.test/\x1b[2J",
                     page_result::failure(error_kind::content_type,
                                          "unsupported content type '\x1b]0;owned\x07\xc2\x9b'")};
  EXPECT_EQ(format_answer(answer),
            "http://a.test/\\x1b[2J: error: unsupported content type "
            "'\\x1b]0;owned\\x07\\u009b'");
  const reply words{"http://b.test/", page_result{.words = {{"слово", 2}}}};
  EXPECT_EQ(format_answer(words), R"(http://b.test/: {"слово": 2})") << "text is kept";
}

TEST(ClientInput, TheBusyAnswerIsKnownInBothForms) {
  EXPECT_TRUE(is_busy_answer(encode_busy()));
  EXPECT_TRUE(is_busy_answer(R"({"error": "server busy: too many clients"})"));
  EXPECT_FALSE(is_busy_answer(R"({"url":"u","error":"x","kind":"busy"})"));
  EXPECT_FALSE(is_busy_answer(R"({"error":"something else"})"));
  EXPECT_FALSE(is_busy_answer("not json"));
}

std::filesystem::path write_lines(const std::vector<std::string>& lines) {
  auto path = std::filesystem::temp_directory_path() /
              ("wordcrawl-client-input-" + std::to_string(::getpid()));
  std::ofstream out(path);
  for (const auto& line : lines) {
    out << line << '\n';
  }
  return path;
}

// Against --max-clients 1 a second connection is answered busy; it used to be a protocol error
// and the URLs it held were never answered.
TEST(ClientBusy, ASecondConnectionWaitsForRoomAndEveryUrlIsAnswered) {
  http_fixture web;
  web.add_page("/page", "<p>busy busy server</p>");
  child_process server(WORDCRAWL_SERVER_BIN,
                       {"--port", "0", "--allow-private", "127.0.0.1/32", "--max-clients", "1",
                        "--rate-interval", "3600", "-w", "2"});
  const auto banner = server.read_line(patience);
  const std::string prefix = "listening on 127.0.0.1:";
  ASSERT_TRUE(banner && banner->rfind(prefix, 0) == 0) << server.stderr_text();
  const std::vector<std::string> urls(80, web.url("/page"));
  const auto file = write_lines(urls);
  child_process client(WORDCRAWL_CLIENT_BIN,
                       {"2", file.string(), "--port", banner->substr(prefix.size()), "--window",
                        "4", "--reconnect-delay", "0.02"});
  const auto output = client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text();
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 80) << client.stderr_text();
  EXPECT_EQ(client.stderr_text().find("protocol error"), std::string::npos) << client.stderr_text();
  std::filesystem::remove(file);
  server.send_signal(SIGTERM);
  EXPECT_EQ(server.wait(patience), 0);
}

TEST(ClientBusy, GivesUpAfterItsBusyBudget) {
  http_fixture web;
  web.add_page("/page", "<p>x</p>");
  child_process server(WORDCRAWL_SERVER_BIN, {"--port", "0", "--allow-private", "127.0.0.1/32",
                                              "--max-clients", "1", "--rate-interval", "3600"});
  const auto banner = server.read_line(patience);
  const std::string prefix = "listening on 127.0.0.1:";
  ASSERT_TRUE(banner && banner->rfind(prefix, 0) == 0) << server.stderr_text();
  const auto port = banner->substr(prefix.size());
  // The first client holds the only slot: its input never ends.
  child_process holder(WORDCRAWL_CLIENT_BIN, {"1", "-", "--port", port});
  holder.write_stdin(web.url("/page") + "\n");
  ASSERT_TRUE(holder.read_line(patience).has_value()) << holder.stderr_text();
  const auto started = std::chrono::steady_clock::now();
  child_process client(WORDCRAWL_CLIENT_BIN, {"1", "-", "--port", port, "--busy-wait", "0.5",
                                              "--reconnect-delay", "0.05"});
  client.write_stdin(web.url("/page") + "\n");
  client.close_stdin();
  client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 2);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 20s);
  EXPECT_NE(client.stderr_text().find("busy"), std::string::npos) << client.stderr_text();
  EXPECT_NE(client.stderr_text().find("unanswered: " + web.url("/page")), std::string::npos)
      << client.stderr_text();
  holder.close_stdin();
  EXPECT_EQ(holder.wait(patience), 0) << holder.stderr_text();
  server.send_signal(SIGTERM);
  EXPECT_EQ(server.wait(patience), 0);
}

}  // namespace
}  // namespace wordcrawl::testing
