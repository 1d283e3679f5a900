// Behaviour of one client connection as a client sees it: framing, exactly-once answers,
// rejected lines, limits and timeouts.

#include <algorithm>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "server_harness.hpp"
#include "wordcrawl/defaults.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

reply parsed(const std::optional<std::string>& line) {
  EXPECT_TRUE(line.has_value());
  auto answer = parse_reply(line.value_or(""));
  EXPECT_TRUE(answer.has_value()) << line.value_or("");
  return answer.value_or(reply{});
}

class SessionTest : public ServerTest {};

TEST_F(SessionTest, AnswersEveryPipelinedUrlExactlyOnce) {
  start();
  auto client = connect();
  constexpr std::size_t count = 500;
  client.send(url_lines(0, count));
  client.shutdown_send();

  const auto lines = client.read_lines(count);
  ASSERT_EQ(lines.size(), count);
  std::multiset<std::string> answered;
  for (const auto& line : lines) {
    const auto answer = parsed(line);
    EXPECT_FALSE(answer.result.error);
    answered.insert(answer.url);
  }
  std::multiset<std::string> sent;
  for (std::size_t i = 0; i < count; ++i) {
    sent.insert(url(i));
  }
  EXPECT_EQ(answered, sent);
  // After the last answer the half-closed connection ends, with nothing more on it.
  EXPECT_TRUE(client.wait_closed());
  EXPECT_FALSE(client.read_line(0ms));
}

TEST_F(SessionTest, SameUrlTwiceIsAnsweredTwice) {
  start();
  auto client = connect();
  client.send(url_lines(7, 1) + url_lines(7, 1));
  const auto lines = client.read_lines(2);
  ASSERT_EQ(lines.size(), 2U);
  EXPECT_EQ(parsed(lines[0]).url, url(7));
  EXPECT_EQ(parsed(lines[1]).url, url(7));
}

TEST_F(SessionTest, IgnoresBlankLinesAndStripsCarriageReturns) {
  start();
  auto client = connect();
  client.send("\r\n\n   \n" + url(1) + "\r\n\t\r\n");
  client.shutdown_send();
  const auto answer = parsed(client.read_line());
  EXPECT_EQ(answer.url, url(1));
  EXPECT_FALSE(answer.result.error);
  EXPECT_TRUE(client.wait_closed());
  EXPECT_FALSE(client.read_line(0ms)) << "a blank line was answered";
}

TEST_F(SessionTest, AnswersLastLineWithoutNewline) {
  start();
  auto client = connect();
  client.send(url(3));
  client.shutdown_send();
  EXPECT_EQ(parsed(client.read_line()).url, url(3));
  EXPECT_TRUE(client.wait_closed());
}

TEST_F(SessionTest, OverlongLineIsAnsweredAndNextLineStillServed) {
  start();
  auto client = connect();
  const std::string huge = "http://example.com/" + std::string(max_line_bytes + 100, 'a');
  client.send(huge + "\n" + url(2) + "\n");

  const auto first = parsed(client.read_line());
  EXPECT_EQ(first.result.error,
            (page_error{error_kind::bad_request, "line too long (over 8192 bytes)"}));
  EXPECT_EQ(first.url.size(), max_line_bytes);
  const auto second = parsed(client.read_line());
  EXPECT_EQ(second.url, url(2));
  EXPECT_FALSE(second.result.error);
  EXPECT_EQ(fakes().started(), 1) << "the over-long line must not be fetched";
}

TEST_F(SessionTest, InvalidUrlsAreAnsweredWithoutFetching) {
  start();
  auto client = connect();
  client.send("http://ex\xff\xfe.com/\nftp://example.com/file\nnot a url\n");
  const auto lines = client.read_lines(3);
  ASSERT_EQ(lines.size(), 3U);
  const std::vector<error_kind> kinds = {error_kind::bad_request, error_kind::unsupported_scheme,
                                         error_kind::bad_request};
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const auto answer = parsed(lines[i]);
    ASSERT_TRUE(answer.result.error) << lines[i];
    EXPECT_EQ(answer.result.error->kind, kinds[i]) << lines[i];
  }
  EXPECT_NE(lines[1].find(R"("kind":"unsupported_scheme")"), std::string::npos) << lines[1];
  EXPECT_EQ(fakes().started(), 0);
  const auto summary = server().finish();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->rejected, 3U);
}

TEST_F(SessionTest, ThrowingProcessorStillProducesAnErrorReply) {
  start(fake_mode::throwing);
  auto client = connect();
  client.send(url_lines(0, 3));
  const auto lines = client.read_lines(3);
  ASSERT_EQ(lines.size(), 3U);
  for (const auto& line : lines) {
    EXPECT_EQ(parsed(line).result.error,
              (page_error{error_kind::internal, "internal error: fake failure"}));
  }
}

TEST_F(SessionTest, ClientsOverTheLimitGetBusyLineAndAreClosed) {
  options_.max_clients = 2;
  start();
  auto first = connect();
  auto second = connect();
  ASSERT_TRUE(server().wait_for_clients(2));

  auto third = connect();
  EXPECT_EQ(third.read_line(), R"({"error":"server busy: too many clients","kind":"busy"})");
  EXPECT_TRUE(third.wait_closed());

  // The two admitted clients are served normally, and a freed slot is reused.
  first.send(url_lines(0, 1));
  EXPECT_EQ(parsed(first.read_line()).url, url(0));
  second.reset();
  ASSERT_TRUE(server().wait_for_clients(1));
  auto fourth = connect();
  fourth.send(url_lines(4, 1));
  EXPECT_EQ(parsed(fourth.read_line()).url, url(4));
}

TEST_F(SessionTest, IdleClientIsClosed) {
  options_.limits.idle_timeout = 100ms;
  start();
  auto client = connect();
  client.send("http://example.com/partial-line-without-end");
  EXPECT_TRUE(client.wait_closed(5s));
  EXPECT_FALSE(client.read_line(0ms));
}

TEST_F(SessionTest, ClientWaitingForAnswersIsNotIdle) {
  options_.limits.idle_timeout = 100ms;
  start(fake_mode::gated);
  auto waiting = connect();
  waiting.send(url_lines(0, 1));
  ASSERT_TRUE(eventually([&] { return fakes().started() == 1; }));

  // A second client connected later is closed for idleness: by then the first one's idle
  // deadline has passed as well, while its answer was still outstanding.
  auto idle = connect();
  ASSERT_TRUE(idle.wait_closed(5s));

  fakes().open_gate();
  EXPECT_EQ(parsed(waiting.read_line()).url, url(0));
}

TEST_F(SessionTest, IdleConnectionsDoNotDelayAnotherClient) {
  start();
  std::vector<std::unique_ptr<LineClient>> idle;
  for (int i = 0; i < 10; ++i) {
    idle.push_back(std::make_unique<LineClient>(server().port()));
    idle.back()->send("http://example.com/never-finished");
  }
  ASSERT_TRUE(server().wait_for_clients(10));

  auto client = connect();
  const auto started = std::chrono::steady_clock::now();
  client.send(url_lines(0, 1));
  const auto answer = client.read_line(2s);
  ASSERT_TRUE(answer);
  EXPECT_EQ(parsed(answer).url, url(0));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST_F(SessionTest, StopsReadingAtTheInFlightCap) {
  options_.workers = 1;
  options_.limits.max_in_flight = 3;
  start(fake_mode::gated);
  auto client = connect();

  // With every URL held, the server takes 3 of them and then stops reading: the client's
  // bytes pile up in the kernel buffers instead of in server memory.
  client.send(url_lines(0, 10));
  ASSERT_TRUE(eventually([&] { return server().get().admitted() == 3 && fakes().started() == 1; }));
  const auto sent = client.send_until_blocked(url_lines(10, 1000), std::size_t{256} << 20);
  EXPECT_LT(sent, std::size_t{256} << 20);
  EXPECT_EQ(server().get().admitted(), 3U);

  fakes().open_gate();
  const auto lines = client.read_lines(10);
  ASSERT_EQ(lines.size(), 10U);
  EXPECT_GE(server().get().admitted(), 10U);
}

TEST_F(SessionTest, StopsReadingWhenTheQueueIsFull) {
  options_.workers = 1;
  options_.queue = 1;
  start(fake_mode::gated);
  auto client = connect();

  // One URL with the worker, one in the queue; the third waits parked.
  client.send(url_lines(0, 10));
  ASSERT_TRUE(eventually([&] { return server().get().parked() == 1 && fakes().started() == 1; }));
  const auto sent = client.send_until_blocked(url_lines(10, 1000), std::size_t{256} << 20);
  EXPECT_LT(sent, std::size_t{256} << 20);
  EXPECT_EQ(server().get().admitted(), 2U);
  EXPECT_EQ(server().get().parked(), 1U);

  fakes().open_gate();
  EXPECT_EQ(client.read_lines(10).size(), 10U);
}

TEST_F(SessionTest, ANewClientIsNotStuckBehindAFullQueue) {
  options_.workers = 1;
  options_.queue = 1;
  start(fake_mode::gated);
  auto first = connect();
  first.send(url_lines(0, 10));
  ASSERT_TRUE(eventually([&] { return server().get().admitted() == 2; }));
  ASSERT_TRUE(eventually([&] { return server().get().parked() == 1; }));
  auto second = connect();
  second.send("http://example.com/second\n");
  // The queue is full of the first client's work, yet the second client's first job gets in.
  ASSERT_TRUE(eventually([&] { return server().get().admitted() == 3; }));
  EXPECT_EQ(server().get().parked(), 1U);
  fakes().open_gate();
  EXPECT_EQ(first.read_lines(10).size(), 10U);
  EXPECT_EQ(parsed(second.read_line()).url, "http://example.com/second");

  const auto order = fakes().order();
  const auto position =
      std::find(order.begin(), order.end(), "http://example.com/second") - order.begin();
  // Processing order: the running job, the queued one, then the second client's turn; with a
  // first-in first-out queue it would come after all ten.
  EXPECT_LE(position, 2) << "second client's URL processed at position " << position;
}

TEST_F(SessionTest, FloodingClientDoesNotStarveAnother) {
  start();
  constexpr std::size_t flood = 100000;
  std::atomic<std::size_t> flood_answers{0};
  std::atomic<bool> flood_ok{false};

  std::thread flooder([&] {
    LineClient client(server().port());
    client.start_send(url_lines(0, flood));
    const auto deadline = std::chrono::steady_clock::now() + 100s;
    while (flood_answers < flood && std::chrono::steady_clock::now() < deadline) {
      if (!client.read_line(1s)) {
        continue;
      }
      ++flood_answers;
    }
    flood_ok = client.send_done() && !client.send_error();
  });

  ASSERT_TRUE(eventually([&] { return flood_answers > 1000; }, 60s));
  auto other = connect();
  other.send("http://example.org/other\n");
  const auto answer = other.read_line(5s);
  const auto flood_done_then = flood_answers.load();
  flooder.join();

  ASSERT_TRUE(answer);
  EXPECT_EQ(parsed(answer).url, "http://example.org/other");
  EXPECT_LT(flood_done_then, flood / 2) << "the second client waited for most of the flood";
  EXPECT_EQ(flood_answers, flood);
  EXPECT_TRUE(flood_ok);
}

TEST_F(SessionTest, DisconnectedClientsQueuedJobsAreDropped) {
  options_.workers = 1;
  start(fake_mode::gated);
  {
    auto client = connect();
    client.send(url_lines(0, 20));
    ASSERT_TRUE(
        eventually([&] { return fakes().started() == 1 && server().get().admitted() == 20; }));
    client.reset();
  }
  ASSERT_TRUE(server().wait_for_clients(0));
  fakes().open_gate();
  // The worker skips the 19 queued jobs while the server still runs, not only when it stops.
  ASSERT_TRUE(server().wait_for_rate_line("queue 0, clients 0"));
  const auto summary = server().finish();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->dropped, 19U);
  EXPECT_EQ(fakes().started(), 1);
  EXPECT_EQ(summary->processed, 1U);
}

TEST_F(SessionTest, ClientThatDoesNotReadIsClosedAfterTheWriteTimeout) {
  options_.limits.write_timeout = 200ms;
  start();
  auto client = connect();
  ASSERT_TRUE(server().wait_for_clients(1));
  // Each over-long line is answered with an 8 KiB line: far more than the socket buffers hold.
  const std::string huge(max_line_bytes + 1, 'x');
  std::string lines;
  for (int i = 0; i < 4000; ++i) {
    lines += huge + "\n";
  }
  const auto since = server().err_size();
  client.start_send(std::move(lines));
  ASSERT_TRUE(client.run_until([&] { return server().rate_line_since("clients 0", since); }, 20s));
  const auto summary = server().finish();
  ASSERT_TRUE(summary);
  EXPECT_GT(summary->rejected, 0U);
}

}  // namespace
}  // namespace wordcrawl::testing
