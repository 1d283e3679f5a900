// The status port's registry and worker slots on their own: value formatting, label escaping,
// histogram buckets, and a worker's state as its own thread publishes it.

#include "status/status_metrics.hpp"

#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "status/metrics.hpp"
#include "status/rate_history.hpp"
#include "status/worker_board.hpp"
#include "status_support.hpp"

namespace wordcrawl::testing {
namespace {

TEST(StatusMetricsTest, ValuesAndLabelsAreWrittenAsTheFormatSays) {
  EXPECT_EQ(format_metric_value(3), "3");
  EXPECT_EQ(format_metric_value(0.005), "0.005");
  EXPECT_EQ(format_metric_value(1.0 / 0.0), "+Inf");
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  exposition out;
  out.family("x_total", "help", "counter");
  out.sample("x_total", {{"host", "we\"ird\n"}}, 2);
  std::string error;
  const auto parsed = parse_metrics(out.text(), error);
  ASSERT_TRUE(parsed) << error;
  EXPECT_EQ(parsed->samples.at(0).labels.at(0).second, "we\"ird\n");
}

TEST(StatusMetricsTest, HistogramBucketsAreCumulativeAndEndWithTheCount) {
  histogram values({0.1, 1, 10});
  for (const double seconds : {0.05, 0.1, 0.5, 5.0, 50.0}) {
    values.observe(seconds);
  }
  const auto now = values.read();
  EXPECT_EQ(now.cumulative, (std::vector<std::uint64_t>{2, 3, 4, 5}));
  EXPECT_EQ(now.count(), 5U);
  EXPECT_NEAR(now.sum, 55.65, 1e-6);
  exposition out;
  out.write_histogram("t_seconds", "help", values);
  std::string error;
  EXPECT_TRUE(parse_metrics(out.text(), error)) << error << out.text();
}

TEST(StatusMetricsTest, AWorkerPublishesFetchingCountingIdle) {
  status_metrics metrics(2);
  std::thread worker([&] {
    metrics.workers().bind_thread(1);
    metrics.begin(1, "", "http://example.org:8080/a");
    const auto fetching = metrics.workers().read();
    EXPECT_EQ(fetching[1].state, worker_state::fetching);
    EXPECT_EQ(fetching[1].host, "example.org");
    note_counting();
    EXPECT_EQ(metrics.workers().read()[1].state, worker_state::counting);
    metrics.end(1, page_result{.details = {.status = 200, .bytes = 100, .elapsed_ms = 3}});
  });
  worker.join();
  EXPECT_EQ(metrics.workers().read()[1].state, worker_state::idle);
  EXPECT_EQ(metrics.workers().read()[0].state, worker_state::idle);
  EXPECT_EQ(metrics.ok(), 1U);
  EXPECT_EQ(metrics.bytes(), 100U);
  EXPECT_EQ(metrics.kernel_seconds().read().count(), 1U);
  EXPECT_EQ(metrics.fetch_seconds().read().count(), 1U);
  note_counting();  // a thread bound to no board: nothing happens
}

TEST(StatusMetricsTest, FailuresAreCountedByKind) {
  status_metrics metrics(1);
  metrics.begin(0, "h", "http://h/");
  metrics.end(0, page_result::failure(error_kind::timeout, "timeout after 30 s"));
  EXPECT_EQ(metrics.failed(error_kind::timeout), 1U);
  EXPECT_EQ(metrics.failed(error_kind::dns), 0U);
  EXPECT_EQ(metrics.kernel_seconds().read().count(), 0U);
}

TEST(StatusMetricsTest, ShownUrlsAreCutAtACharacterBoundary) {
  const std::string url = "http://example.com/" + std::string(10, 'a') + "\xd0\xb6\xd0\xb6";
  const auto shown = shorten_url(url, url.size() - 1);
  EXPECT_EQ(shown, "http://example.com/aaaaaaaaaa\xd0\xb6...");
  EXPECT_EQ(shorten_url("http://a/", 200), "http://a/");
}

TEST(StatusMetricsTest, RateHistoryKeepsTheLatestSamplesOldestFirst) {
  rate_history history(3);
  for (std::uint64_t i = 1; i <= 5; ++i) {
    history.record({static_cast<std::int64_t>(i) * 1000, i * 10, i});
  }
  ASSERT_EQ(history.samples().size(), 3U);
  EXPECT_EQ(history.to_json(), nlohmann::json::parse("[[3000,30,3],[4000,40,4],[5000,50,5]]"));
}

}  // namespace
}  // namespace wordcrawl::testing
