// The status port (--status-port): /metrics parsed line by line and checked between scrapes,
// /status JSON following the workers, the page, 404 and 405, the request bounds, and a
// graceful stop with status clients connected.

#include <algorithm>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "server_harness.hpp"
#include "status_support.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

class StatusTest : public ServerTest {
 protected:
  void SetUp() override { options_.status_port = 0; }

  std::uint16_t status_port() { return server().get().status_endpoint()->port(); }

  http_reply get(const std::string& target) {
    return http_request("127.0.0.1", status_port(), "GET", target);
  }

  // A scrape of /metrics, every line checked; fails the test if any is malformed.
  metric_scrape scrape() {
    const auto reply = get("/metrics");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
    std::string error;
    auto parsed = parse_metrics(reply.body, error);
    EXPECT_TRUE(parsed) << error << "\n" << reply.body;
    return parsed ? *parsed : metric_scrape{};
  }

  double gauge(const std::string& series) { return scrape().value(series).value_or(-1); }

  nlohmann::json status() { return nlohmann::json::parse(get("/status").body); }

  static std::size_t in_state(const nlohmann::json& status, const std::string& state) {
    return static_cast<std::size_t>(
        std::count_if(status["workers"].begin(), status["workers"].end(),
                      [&](const auto& worker) { return worker["state"] == state; }));
  }
};

TEST_F(StatusTest, OffByDefault) {
  options_.status_port.reset();
  start();
  EXPECT_FALSE(server().get().status_endpoint());
}

TEST_F(StatusTest, MetricsAreWellFormedAndCountersOnlyGrow) {
  start();
  const auto before = scrape();
  auto client = connect();
  client.send(url_lines(0, 20));
  ASSERT_EQ(client.read_lines(20).size(), 20U);
  const auto after = scrape();
  for (const auto& sample : before.samples) {
    const auto family_end = sample.name.find("_bucket");
    const auto family = sample.name.substr(0, family_end);
    const auto type = before.types.contains(family) ? before.types.at(family) : "";
    const bool grows =
        type == "counter" || sample.name.ends_with("_count") || sample.name.ends_with("_bucket");
    if (grows) {
      const auto later = after.value(sample.series());
      ASSERT_TRUE(later) << sample.series() << " is gone";
      EXPECT_GE(*later, sample.value) << sample.series();
    }
  }
  EXPECT_EQ(after.value("wordcrawl_urls_total{outcome=\"ok\"}"),
            before.value("wordcrawl_urls_total{outcome=\"ok\"}").value_or(0) + 20);
  EXPECT_TRUE(after.value("wordcrawl_urls_total{outcome=\"failed\",kind=\"timeout\"}"));
  EXPECT_EQ(after.value("wordcrawl_fetch_duration_seconds_count"), 20);
  EXPECT_EQ(after.value("wordcrawl_workers_total"), 2);
  EXPECT_EQ(after.value("wordcrawl_queue_capacity"), static_cast<double>(options_.queue));
}

TEST_F(StatusTest, QueueAndBusyWorkersFollowHeldWorkers) {
  start(fake_mode::gated);
  EXPECT_EQ(gauge("wordcrawl_workers_busy"), 0);
  auto client = connect();
  client.send(url_lines(0, 6));
  EXPECT_TRUE(eventually([&] { return gauge("wordcrawl_workers_busy") == 2; }));
  EXPECT_TRUE(eventually([&] { return gauge("wordcrawl_queue_depth") == 4; }));
  EXPECT_EQ(gauge("wordcrawl_clients_connected"), 1);
  EXPECT_EQ(gauge("wordcrawl_host_fetches_in_flight{host=\"example.com\"}"), 2);
  fakes().open_gate();
  ASSERT_EQ(client.read_lines(6).size(), 6U);
  EXPECT_TRUE(eventually([&] { return gauge("wordcrawl_workers_busy") == 0; }));
  EXPECT_EQ(gauge("wordcrawl_queue_depth"), 0);
}

TEST_F(StatusTest, StatusShowsEachWorkersState) {
  start(fake_mode::gated);
  auto idle = status();
  ASSERT_EQ(idle["workers"].size(), 2U);
  EXPECT_EQ(in_state(idle, "idle"), 2U);
  auto client = connect();
  client.send(url_lines(0, 3));
  ASSERT_TRUE(eventually([&] { return in_state(status(), "fetching") == 2; }));
  const auto held = status();
  EXPECT_EQ(held["queue"]["depth"], 1);
  for (const auto& worker : held["workers"]) {
    EXPECT_EQ(worker["host"], "example.com");
    EXPECT_EQ(worker["url"].get<std::string>().rfind("http://example.com/", 0), 0U);
  }
  fakes().open_gate();
  ASSERT_EQ(client.read_lines(3).size(), 3U);
  EXPECT_TRUE(eventually([&] { return in_state(status(), "idle") == 2; }));
  EXPECT_EQ(status()["ok"], 3);
}

TEST_F(StatusTest, LongUrlsAreShortened) {
  start(fake_mode::gated);
  auto client = connect();
  client.send("http://example.com/" + std::string(4000, 'a') + "\n");
  ASSERT_TRUE(eventually([&] { return in_state(status(), "fetching") == 1; }));
  const auto shown = status();  // kept: a range-for over status()["workers"] would dangle
  for (const auto& worker : shown["workers"]) {
    if (worker["state"] == "fetching") {
      EXPECT_LE(worker["url"].get<std::string>().size(), 210U);
    }
  }
  fakes().open_gate();
  ASSERT_EQ(client.read_lines(1).size(), 1U);
}

TEST_F(StatusTest, HistoryHoldsTheCountsOfTheLastMinutes) {
  start();
  auto client = connect();
  client.send(url_lines(0, 20));
  ASSERT_EQ(client.read_lines(20).size(), 20U);
  const auto history = [&] {
    return nlohmann::json::parse(get("/history").body);
  };
  // Sampled once a second: the 20 answers show in the next sample.
  ASSERT_TRUE(eventually([&] { return history().back()[1] == 20; }, 5s));
  const auto samples = history();
  EXPECT_EQ(samples.front()[1], 0);  // the first sample is taken at start, before any URL
  for (std::size_t i = 1; i < samples.size(); ++i) {
    EXPECT_GT(samples[i][0].get<std::int64_t>(), samples[i - 1][0].get<std::int64_t>());
    EXPECT_GE(samples[i][1].get<std::uint64_t>(), samples[i - 1][1].get<std::uint64_t>());
  }
  // The page seeds its graph from it.
  EXPECT_NE(get("/").body.find("fetch(\"history\""), std::string::npos);
}

TEST_F(StatusTest, PageIsOneSelfContainedHtmlDocument) {
  start();
  const auto page = get("/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.header("content-type"), "text/html; charset=utf-8");
  for (const char* part : {"<!DOCTYPE html>", "id=\"queue-depth\"", "id=\"workers\"",
                           "<canvas id=\"sparkline\"", "fetch(\"status\""}) {
    EXPECT_NE(page.body.find(part), std::string::npos) << part;
  }
  EXPECT_EQ(page.body.find("http://"), std::string::npos) << "the page loads nothing else";
}

TEST_F(StatusTest, OtherPathsAndMethodsAreRefused) {
  start();
  EXPECT_EQ(get("/nope").status, 404);
  EXPECT_EQ(get("/metrics/x").status, 404);
  const auto post = http_request("127.0.0.1", status_port(), "POST", "/metrics");
  EXPECT_EQ(post.status, 405);
  EXPECT_EQ(post.header("allow"), "GET, HEAD");
  const auto head = http_request("127.0.0.1", status_port(), "HEAD", "/status");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(get("/status?x=1").status, 200);
}

TEST_F(StatusTest, AnOversizedRequestGetsNoAnswer) {
  start();
  const auto huge = "X-Filler: " + std::string(20000, 'x') + "\r\n";
  EXPECT_EQ(http_request("127.0.0.1", status_port(), "GET", "/status", huge).status, 0);
  EXPECT_EQ(get("/status").status, 200);
}

TEST_F(StatusTest, ConnectionsAreBounded) {
  start();
  boost::asio::io_context io;
  std::vector<boost::asio::ip::tcp::socket> idle;
  const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"),
                                                status_port());
  for (int i = 0; i < 16; ++i) {
    idle.emplace_back(io).connect(endpoint);
  }
  // The sixteen are served (they are sent nothing yet); one more is closed at accept.
  EXPECT_TRUE(eventually([&] { return get("/status").status == 0; }, 5s));
  idle.clear();
  EXPECT_TRUE(eventually([&] { return get("/status").status == 200; }, 5s));
}

TEST_F(StatusTest, GracefulStopWithStatusClientsConnectedIsPrompt) {
  start();
  boost::asio::io_context io;
  boost::asio::ip::tcp::socket quiet(io);
  quiet.connect({boost::asio::ip::make_address("127.0.0.1"), status_port()});
  boost::asio::ip::tcp::socket half(io);
  half.connect({boost::asio::ip::make_address("127.0.0.1"), status_port()});
  boost::asio::write(half, boost::asio::buffer(std::string("GET /status HTTP/1.1\r\nHo")));
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(server().finish(5s));
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

}  // namespace
}  // namespace wordcrawl::testing
