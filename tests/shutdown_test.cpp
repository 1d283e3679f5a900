// Stopping the server: by stop() or a signal, with and without work in flight.

#include <csignal>
#include <cstdlib>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "server_harness.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

class ShutdownTest : public ServerTest {};
class ShutdownDeathTest : public ServerTest {};

TEST_F(ShutdownTest, StopAnswersEveryReceivedUrlThenExits) {
  options_.workers = 1;
  start(fake_mode::gated);
  auto client = connect();
  client.send(url_lines(0, 5));
  ASSERT_TRUE(eventually([&] { return server().get().admitted() == 5; }));

  server().stop();
  // No new clients once stopping.
  ASSERT_TRUE(eventually([&] {
    try {
      LineClient late(server().port());
      return false;
    } catch (const boost::system::system_error&) {
      return true;
    }
  }));
  fakes().open_gate();
  const auto lines = client.read_lines(5);
  ASSERT_EQ(lines.size(), 5U);
  for (const auto& line : lines) {
    EXPECT_FALSE(parse_reply(line)->result.error) << line;
  }
  EXPECT_TRUE(client.wait_closed());
  const auto summary = server().finish();
  ASSERT_TRUE(summary);
  EXPECT_EQ(summary->ok, 5U);
}

TEST_F(ShutdownTest, AfterGraceUnfetchedUrlsAreAnsweredShuttingDown) {
  options_.workers = 1;
  options_.queue = 1;
  options_.grace = 100ms;
  start(fake_mode::gated);
  auto client = connect();
  // One URL with the worker, one queued, one parked, seven read but not handed in.
  client.send(url_lines(0, 10));
  ASSERT_TRUE(eventually([&] { return server().get().parked() == 1 && fakes().started() == 1; }));

  server().stop();
  const auto lines = client.read_lines(10);
  ASSERT_EQ(lines.size(), 10U);
  for (const auto& line : lines) {
    EXPECT_EQ(parse_reply(line)->result.error,
              (page_error{error_kind::shutting_down, "server shutting down"}))
        << line;
  }
  EXPECT_TRUE(client.wait_closed());
  const auto summary = server().finish();
  ASSERT_TRUE(summary);
  EXPECT_EQ(fakes().started(), 1);
  EXPECT_EQ(summary->shutting_down, 9U);
}

TEST_F(ShutdownTest, IdleClientsDoNotHoldTheStopBack) {
  start();
  auto idle = connect();
  auto mid_line = connect();
  mid_line.send("http://example.com/unfinished");
  ASSERT_TRUE(server().wait_for_clients(2));
  server().stop();
  EXPECT_TRUE(idle.wait_closed());
  EXPECT_TRUE(mid_line.wait_closed());
  EXPECT_TRUE(server().wait_finished(5s));
}

TEST_F(ShutdownTest, StopBeforeRunEndsRunPromptly) {
  // Not a RunningServer: run() is called here, after stop().
  FakeProcessors processors;
  std::ostringstream out;
  std::ostringstream err;
  wordcrawl::server srv(test_options(), processors.factory(), out, err);
  srv.stop();
  srv.run();
  EXPECT_NE(err.str().find("summary: processed 0"), std::string::npos) << err.str();
}

TEST_F(ShutdownTest, SigtermStopsTheServerGracefully) {
  options_.handle_signals = true;
  start();
  auto client = connect();
  client.send(url_lines(0, 3));
  ASSERT_EQ(client.read_lines(3).size(), 3U);
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(server().wait_finished(5s));
}

TEST_F(ShutdownDeathTest, SecondSignalExitsAtOnce) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        options_.workers = 1;
        options_.handle_signals = true;
        start(fake_mode::gated);
        auto client = connect();
        client.send(url_lines(0, 1));
        // A fetch that never ends holds the graceful stop; only the second signal ends it.
        eventually([&] { return fakes().started() == 1; });
        if (std::raise(SIGTERM) != 0 || std::raise(SIGTERM) != 0) {
          std::_Exit(3);
        }
        eventually([] { return false; }, 20s);
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(128 + SIGTERM), "");
}

TEST_F(ShutdownTest, ProgressLinesCountEveryProcessedUrl) {
  start();
  auto client = connect();
  client.send(url_lines(0, 20) + "ftp://example.com/\n");
  ASSERT_EQ(client.read_lines(21).size(), 21U);
  server().stop();
  ASSERT_TRUE(server().wait_finished());
  const auto out = server().out();
  EXPECT_EQ(count_of(out, "processed "), 20U) << out;
  EXPECT_NE(out.find("processed 20 (ok 20, failed 0)\n"), std::string::npos) << out;
  EXPECT_NE(server().err().find("summary: processed 20 (ok 20, failed 0), rejected 1"),
            std::string::npos)
      << server().err();
}

TEST_F(ShutdownTest, RateLinesAreWrittenPeriodically) {
  options_.rate_interval = 20ms;
  start();
  auto client = connect();
  ASSERT_TRUE(eventually([&] { return server().rate_lines() >= 2; }));
  server().stop();
  ASSERT_TRUE(server().wait_finished());
  EXPECT_NE(server().err().find(" URLs/s, queue 0, clients 1\n"), std::string::npos)
      << server().err();
}

TEST_F(ShutdownTest, EndpointIsPrintable) {
  EXPECT_EQ(
      to_string(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 7070)),
      "127.0.0.1:7070");
  EXPECT_EQ(to_string(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("::1"), 80)),
            "[::1]:80");
}

}  // namespace
}  // namespace wordcrawl::testing
