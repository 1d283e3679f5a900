// The real `server` and `client` binaries, run as a user runs them, against pages served by the
// test HTTP fixture on loopback.

#include <algorithm>
#include <chrono>
#include <csignal>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unicode/ucnv.h>

#include "support/child_process.hpp"
#include "support/eventually.hpp"
#include "support/http_fixture.hpp"
#include "support/tarpit.hpp"
#include "support/temp_dir.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto patience = 60s;

std::string to_windows_1251(const std::string& utf8) {
  std::string out(utf8.size() * 2, '\0');
  UErrorCode status = U_ZERO_ERROR;
  const auto size =
      ucnv_convert("windows-1251", "utf-8", out.data(), static_cast<int32_t>(out.size()),
                   utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  out.resize(U_SUCCESS(status) != 0 ? static_cast<std::size_t>(size) : 0);
  return out;
}

// A server binary listening on an ephemeral (or given) port of 127.0.0.1.
class ServerProcess {
 public:
  explicit ServerProcess(std::vector<std::string> extra, std::uint16_t port = 0) {
    std::vector<std::string> args{"--port",       std::to_string(port), "--allow-private",
                                  "127.0.0.1/32", "--rate-interval",    "3600"};
    args.insert(args.end(), extra.begin(), extra.end());
    process_.emplace(WORDCRAWL_SERVER_BIN, args);
    const auto line = process_->read_line(patience);
    const std::string prefix = "listening on 127.0.0.1:";
    if (!line || line->rfind(prefix, 0) != 0) {
      throw std::runtime_error("server did not start: " + process_->stderr_text());
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
  }
  std::uint16_t port() const { return port_; }
  child_process& process() { return *process_; }

 private:
  std::optional<child_process> process_;
  std::uint16_t port_ = 0;
};

class EndToEnd : public ::testing::Test {
 protected:
  void SetUp() override {
    web_.add_page(
        "/en",
        "<html><head><title>Concurrency</title></head><body><p>Threads share memory; "
        "threads race.</p><p>Threads!</p><script>var threads = 1;</script></body></html>");
    web_.add_page("/ru", to_windows_1251("<p>Слово слово СЛОВО мир</p>"),
                  "text/html; charset=windows-1251");
    web_.add_redirect("/moved", "/en");
    web_.add_page("/image", std::string("\x89PNG\r\n\x1a\n", 8), "image/png");
  }

  std::string write_urls(const std::vector<std::string>& urls) const {
    return files_.write_lines("urls.txt", urls);
  }

  // Output lines of a finished client, keyed by URL; fails on a URL answered twice.
  static std::map<std::string, std::string> answers_by_url(const std::string& output) {
    std::map<std::string, std::string> answers;
    std::size_t start = 0;
    while (start < output.size()) {
      const auto end = output.find('\n', start);
      const auto line = output.substr(start, end - start);
      start = end == std::string::npos ? output.size() : end + 1;
      const auto separator = line.find(": ");
      EXPECT_NE(separator, std::string::npos) << line;
      const auto url = line.substr(0, separator);
      EXPECT_TRUE(answers.emplace(url, line.substr(separator + 2)).second)
          << url << " answered twice";
    }
    return answers;
  }

  http_fixture web_;
  temp_dir files_;
};

TEST_F(EndToEnd, EveryUrlIsAnsweredOnceWithItsTopWords) {
  ServerProcess server({"-w", "3", "-k", "3"});
  const std::vector<std::string> urls{
      web_.url("/en"),    web_.url("/ru"),          web_.url("/moved"), web_.url("/missing"),
      web_.url("/image"), "ftp://example.org/file", "this is not a url"};
  child_process client(WORDCRAWL_CLIENT_BIN,
                       {"3", write_urls(urls), "--port", std::to_string(server.port())});
  const auto output = client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 1) << "some URLs failed, so the exit status is 1\n"
                                      << client.stderr_text();

  const auto answers = answers_by_url(output);
  EXPECT_EQ(answers.size(), urls.size());
  const std::string en_top = R"({"threads": 3, "concurrency": 1, "memory": 1})";
  EXPECT_EQ(answers.at(web_.url("/en")), en_top);
  EXPECT_EQ(answers.at(web_.url("/moved")), en_top);
  EXPECT_EQ(answers.at(web_.url("/ru")), R"({"слово": 3, "мир": 1})");
  EXPECT_EQ(answers.at(web_.url("/missing")), "error: HTTP 404");
  EXPECT_NE(answers.at(web_.url("/image")).find("error: unsupported content type"),
            std::string::npos);
  EXPECT_NE(answers.at("ftp://example.org/file").find("error: unsupported scheme"),
            std::string::npos);
  EXPECT_EQ(answers.at("this is not a url").rfind("error: ", 0), 0U);

  // The server reports its running total after every fetched URL; rejected lines are not
  // fetched.
  std::optional<std::string> last;
  while (auto line = server.process().read_line(5s)) {
    last = line;
    if (last->rfind("processed 5 ", 0) == 0) {
      break;
    }
  }
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(*last, "processed 5 (ok 3, failed 2)");

  server.process().send_signal(SIGTERM);
  EXPECT_EQ(server.process().wait(patience), 0) << server.process().stderr_text();
}

TEST_F(EndToEnd, StandardInputAndJsonOutput) {
  ServerProcess server({"-w", "2", "-k", "1"});
  child_process client(WORDCRAWL_CLIENT_BIN,
                       {"2", "-", "--json", "--port", std::to_string(server.port())});
  client.write_stdin(web_.url("/en") + "\n\n" + web_.url("/ru") + "\r\n");
  client.close_stdin();
  const auto output = client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text() << server.process().stderr_text();
  EXPECT_NE(output.find(R"("url":")" + web_.url("/en") + R"(","words":{"threads":3})"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find(R"("words":{"слово":3})"), std::string::npos) << output;
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 2);
}

TEST_F(EndToEnd, ClientRestartsWithTheServerAndLosesNothing) {
  // Slow pages keep URLs in flight when the server is killed.
  const http_route slow{.headers = {{"Content-Type", "text/html"}},
                        .pieces = {"<p>slow ", "words</p>"},
                        .piece_delay = 100ms};
  std::vector<std::string> urls;
  for (int i = 0; i < 24; ++i) {
    const auto target = "/slow" + std::to_string(i);
    web_.add(target, slow);
    urls.push_back(web_.url(target));
  }
  std::optional<ServerProcess> server;
  server.emplace(std::vector<std::string>{"-w", "2"});
  const auto port = server->port();
  child_process client(WORDCRAWL_CLIENT_BIN,
                       {"2", write_urls(urls), "--port", std::to_string(port), "--window", "4",
                        "--reconnect-delay", "0.05", "--reconnect-attempts", "50"});
  const auto first = client.read_line(patience);
  ASSERT_TRUE(first.has_value()) << client.stderr_text();
  server->process().send_signal(SIGKILL);
  ASSERT_TRUE(server->process().wait(patience).has_value());
  server.reset();
  server.emplace(std::vector<std::string>{"-w", "2"}, port);

  const auto output = *first + "\n" + client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text();
  const auto answers = answers_by_url(output);
  EXPECT_EQ(answers.size(), urls.size());
  for (const auto& url : urls) {
    EXPECT_EQ(answers.count(url), 1U) << url;
  }
}

// Words of up to 64 KiB and -k up to 100,000 once made replies the client refused; it then
// waited for its reply timeout and resent the URL again and again.
TEST_F(EndToEnd, AHugeTopKOfLongWordsGetsOnePromptTruncatedAnswer) {
  std::string page = "<p>";
  for (int i = 0; i < 600; ++i) {
    std::string word(6000, 'a');
    for (int n = i; n > 0; n /= 26) {
      word.push_back(static_cast<char>('a' + n % 26));
    }
    page += word + " ";
  }
  web_.add_page("/long", page + "</p>");
  ServerProcess server({"-w", "1", "-k", "100000"});
  const auto started = std::chrono::steady_clock::now();
  child_process client(WORDCRAWL_CLIENT_BIN, {"1", "-", "--json", "--reply-timeout", "30", "--port",
                                              std::to_string(server.port())});
  client.write_stdin(web_.url("/long") + "\n");
  client.close_stdin();
  const auto output = client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 25s) << "answered before any timeout";
  EXPECT_EQ(std::count(output.begin(), output.end(), '\n'), 1) << client.stderr_text();
  EXPECT_LE(output.size(), std::size_t{1024} * 1024 + 1);
  EXPECT_NE(output.find(R"("truncated":true)"), std::string::npos) << output.substr(0, 200);
  EXPECT_EQ(client.stderr_text().find("protocol error"), std::string::npos) << client.stderr_text();
}

TEST(EndToEndCli, ClientSaysWhenTheServerCannotBeReached) {
  // Port 9 (discard) has no listener on a test machine; connecting is refused at once.
  child_process client(WORDCRAWL_CLIENT_BIN, {"1", "-", "--port", "9", "--reconnect-attempts", "1",
                                              "--reconnect-delay", "0.01"});
  client.write_stdin("http://example.org/\n");
  client.close_stdin();
  client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 2);
  EXPECT_NE(client.stderr_text().find("cannot connect to 127.0.0.1:9"), std::string::npos)
      << client.stderr_text();
}

TEST(EndToEndCli, HelpAndBadArguments) {
  child_process server_help(WORDCRAWL_SERVER_BIN, {"--help"});
  EXPECT_NE(server_help.read_rest(patience).find("--workers"), std::string::npos);
  EXPECT_EQ(server_help.wait(patience), 0);

  child_process bad_server(WORDCRAWL_SERVER_BIN, {"-w", "0"});
  bad_server.read_rest(patience);
  EXPECT_EQ(bad_server.wait(patience), 2);
  EXPECT_NE(bad_server.stderr_text().find("workers"), std::string::npos);

  child_process client_help(WORDCRAWL_CLIENT_BIN, {"--help"});
  EXPECT_NE(client_help.read_rest(patience).find("--json"), std::string::npos);
  EXPECT_EQ(client_help.wait(patience), 0);

  child_process bad_client(WORDCRAWL_CLIENT_BIN, {"0", "urls.txt"});
  bad_client.read_rest(patience);
  EXPECT_EQ(bad_client.wait(patience), 2);
  EXPECT_FALSE(bad_client.stderr_text().empty());
}

// robots.txt is obeyed unless the server is told to ignore it; --delay spaces one host's
// requests as the site sees them.
TEST_F(EndToEnd, RobotsTxtIsObeyedByDefaultAndIgnoredOnRequest) {
  web_.add_page("/robots.txt", "User-agent: *\nDisallow: /en\n", "text/plain");
  const auto urls = write_urls({web_.url("/en"), web_.url("/ru")});
  {
    ServerProcess server({"-w", "2"});
    child_process client(WORDCRAWL_CLIENT_BIN,
                         {"2", urls, "--port", std::to_string(server.port()), "--json"});
    const auto output = client.read_rest(patience);
    EXPECT_EQ(client.wait(patience), 1) << client.stderr_text();
    EXPECT_NE(output.find(R"("kind":"robots")"), std::string::npos) << output;
    EXPECT_EQ(web_.requests("/en"), 0U);
    EXPECT_EQ(web_.requests("/ru"), 1U);
    EXPECT_EQ(web_.requests("/robots.txt"), 1U);
    server.process().send_signal(SIGTERM);
    EXPECT_EQ(server.process().wait(patience), 0);
  }
  ServerProcess server({"-w", "2", "--robots", "ignore", "--delay", "0.6"});
  child_process client(WORDCRAWL_CLIENT_BIN, {"2", urls, "--port", std::to_string(server.port())});
  client.read_rest(patience);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text();
  EXPECT_EQ(web_.requests("/en"), 1U);
  EXPECT_EQ(web_.requests("/robots.txt"), 1U) << "not asked again";
  const auto arrivals = web_.arrivals();
  ASSERT_GE(arrivals.size(), 2U);
  EXPECT_GE(arrivals.back().at - arrivals[arrivals.size() - 2].at, 350ms) << "--delay 0.6";
  server.process().send_signal(SIGTERM);
  EXPECT_EQ(server.process().wait(patience), 0);
}

// One client floods a host that accepts and never answers; another client's URL of another
// host must not wait behind it, neither for a worker nor in the queue.
TEST_F(EndToEnd, AClientFloodingATarpitDoesNotDelayAnother) {
  tarpit pit("127.0.0.2");
  web_.add_page("/good", "<p>served while another client waits</p>");
  // Robots ignored: the tarpit would hold its robots.txt fetch, not four page fetches.
  ServerProcess server({"-w", "8", "--per-host", "4", "--timeout", "3", "--grace", "1",
                        "--allow-private", "127.0.0.2/32", "--robots", "ignore"});
  const auto port = std::to_string(server.port());
  std::vector<std::string> stuck;
  stuck.reserve(64);
  for (int i = 0; i < 64; ++i) {
    stuck.push_back(pit.url("/" + std::to_string(i)));
  }
  child_process flooder(WORDCRAWL_CLIENT_BIN, {"1", files_.write_lines("stuck.txt", stuck),
                                               "--window", "64", "--port", port, "--no-progress"});
  // Four fetches (the per-host limit) hang in the tarpit; the other sixty wait in the queue.
  ASSERT_TRUE(eventually([&] { return pit.accepted() == 4; }, patience));
  const auto start = std::chrono::steady_clock::now();
  child_process other(
      WORDCRAWL_CLIENT_BIN,
      {"1", files_.write_lines("good.txt", {web_.url("/good")}), "--port", port, "--no-progress"});
  const auto output = other.read_rest(patience);
  EXPECT_EQ(other.wait(patience), 0) << other.stderr_text();
  const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - start);
  RecordProperty("other_client_ms", static_cast<int>(waited.count()));
  EXPECT_NE(output.find("\"served\": 1"), std::string::npos) << output;
  // Answered before the first tarpit fetch timed out (at 3 s): it waited for nobody.
  EXPECT_EQ(pit.abandoned(), 0U) << "answered after " << waited.count() << " ms";
  EXPECT_EQ(pit.accepted(), 4U) << "the per-host limit held";

  server.process().send_signal(SIGTERM);
  EXPECT_EQ(server.process().wait(patience), 0) << server.process().stderr_text();
  // Every URL of the flooder got its answer: timeouts, then "shutting down" after grace.
  const auto flooded = answers_by_url(flooder.read_rest(patience));
  EXPECT_EQ(flooded.size(), stuck.size());
  EXPECT_EQ(flooder.wait(patience), 1);
}

}  // namespace
}  // namespace wordcrawl::testing
