// Stopping the server: by stop() or a signal, with and without work in flight.

#include <csignal>
#include <cstdlib>
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

TEST(ShutdownTest, StopAnswersEveryReceivedUrlThenExits) {
  FakeProcessors fakes(fake_mode::gated);
  auto options = test_options();
  options.workers = 1;
  RunningServer srv(options, fakes.factory());
  LineClient client(srv.port());
  client.send(url_lines(0, 5));
  ASSERT_TRUE(eventually([&] { return srv.get().admitted() == 5; }));

  srv.stop();
  // No new clients once stopping.
  ASSERT_TRUE(eventually([&] {
    try {
      LineClient late(srv.port());
      return false;
    } catch (const boost::system::system_error&) {
      return true;
    }
  }));
  fakes.open_gate();
  const auto lines = client.read_lines(5);
  ASSERT_EQ(lines.size(), 5U);
  for (const auto& line : lines) {
    EXPECT_FALSE(parse_reply(line)->result.error) << line;
  }
  EXPECT_TRUE(client.wait_closed());
  ASSERT_TRUE(srv.wait_finished());
  EXPECT_EQ(srv.get().totals().ok, 5U);
}

TEST(ShutdownTest, AfterGraceUnfetchedUrlsAreAnsweredShuttingDown) {
  FakeProcessors fakes(fake_mode::gated);
  auto options = test_options();
  options.workers = 1;
  options.queue = 1;
  options.grace = 100ms;
  RunningServer srv(options, fakes.factory());
  LineClient client(srv.port());
  // One URL with the worker, one queued, one parked, seven read but not handed in.
  client.send(url_lines(0, 10));
  ASSERT_TRUE(eventually([&] { return srv.get().parked() == 1 && fakes.started() == 1; }));

  srv.stop();
  const auto lines = client.read_lines(10);
  ASSERT_EQ(lines.size(), 10U);
  for (const auto& line : lines) {
    EXPECT_EQ(parse_reply(line)->result.error,
              (page_error{error_kind::shutting_down, "server shutting down"}))
        << line;
  }
  EXPECT_TRUE(client.wait_closed());
  ASSERT_TRUE(srv.wait_finished());
  EXPECT_EQ(fakes.started(), 1);
  EXPECT_EQ(srv.get().totals().shutting_down, 9U);
}

TEST(ShutdownTest, IdleClientsDoNotHoldTheStopBack) {
  FakeProcessors fakes;
  RunningServer srv(test_options(), fakes.factory());
  LineClient idle(srv.port());
  LineClient mid_line(srv.port());
  mid_line.send("http://example.com/unfinished");
  ASSERT_TRUE(eventually([&] { return srv.get().clients() == 2; }));
  srv.stop();
  EXPECT_TRUE(idle.wait_closed());
  EXPECT_TRUE(mid_line.wait_closed());
  EXPECT_TRUE(srv.wait_finished(5s));
}

TEST(ShutdownTest, StopBeforeRunEndsRunPromptly) {
  FakeProcessors fakes;
  std::ostringstream out;
  std::ostringstream err;
  server srv(test_options(), fakes.factory(), out, err);
  srv.stop();
  srv.run();
  EXPECT_NE(err.str().find("summary: processed 0"), std::string::npos) << err.str();
}

TEST(ShutdownTest, SigtermStopsTheServerGracefully) {
  FakeProcessors fakes;
  auto options = test_options();
  options.handle_signals = true;
  RunningServer srv(options, fakes.factory());
  LineClient client(srv.port());
  client.send(url_lines(0, 3));
  ASSERT_EQ(client.read_lines(3).size(), 3U);
  ASSERT_EQ(std::raise(SIGTERM), 0);
  EXPECT_TRUE(client.wait_closed());
  EXPECT_TRUE(srv.wait_finished(5s));
}

TEST(ShutdownDeathTest, SecondSignalExitsAtOnce) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        FakeProcessors fakes(fake_mode::gated);
        auto options = test_options();
        options.workers = 1;
        options.handle_signals = true;
        RunningServer srv(options, fakes.factory());
        LineClient client(srv.port());
        client.send(url_lines(0, 1));
        // A fetch that never ends holds the graceful stop; only the second signal ends it.
        eventually([&] { return fakes.started() == 1; });
        if (std::raise(SIGTERM) != 0 || std::raise(SIGTERM) != 0) {
          std::_Exit(3);
        }
        eventually([] { return false; }, 20s);
        std::_Exit(0);
      },
      ::testing::ExitedWithCode(128 + SIGTERM), "");
}

TEST(ShutdownTest, ProgressLinesCountEveryProcessedUrl) {
  FakeProcessors fakes;
  RunningServer srv(test_options(), fakes.factory());
  LineClient client(srv.port());
  client.send(url_lines(0, 20) + "ftp://example.com/\n");
  ASSERT_EQ(client.read_lines(21).size(), 21U);
  srv.stop();
  ASSERT_TRUE(srv.wait_finished());
  const auto out = srv.out();
  EXPECT_EQ(count_of(out, "processed "), 20U) << out;
  EXPECT_NE(out.find("processed 20 (ok 20, failed 0)\n"), std::string::npos) << out;
  EXPECT_NE(srv.err().find("summary: processed 20 (ok 20, failed 0), rejected 1"),
            std::string::npos)
      << srv.err();
}

TEST(ShutdownTest, RateLinesAreWrittenPeriodically) {
  FakeProcessors fakes;
  auto options = test_options();
  options.rate_interval = 20ms;
  RunningServer srv(options, fakes.factory());
  LineClient client(srv.port());
  ASSERT_TRUE(eventually([&] { return srv.get().rate_lines() >= 2; }));
  srv.stop();
  ASSERT_TRUE(srv.wait_finished());
  EXPECT_NE(srv.err().find(" URLs/s, queue 0, clients 1\n"), std::string::npos) << srv.err();
}

TEST(ShutdownTest, EndpointIsPrintable) {
  EXPECT_EQ(
      to_string(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 7070)),
      "127.0.0.1:7070");
  EXPECT_EQ(to_string(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("::1"), 80)),
            "[::1]:80");
}

}  // namespace
}  // namespace wordcrawl::testing
