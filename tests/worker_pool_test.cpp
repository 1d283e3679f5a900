// The worker pool, the job dispatcher and the progress log, without sockets: jobs go in on a
// test-driven io_context, replies come back to a recording owner.

#include "dispatch/worker_pool.hpp"

#include <atomic>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dispatch/job_dispatcher.hpp"
#include "dispatch/progress_log.hpp"
#include "server_harness.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

// Records the replies and resumptions the I/O thread hands it.
class RecordingOwner final : public job_owner {
 public:
  bool deliver(std::string line) override {
    lines.push_back(std::move(line));
    return true;
  }
  void on_unparked() override { ++resumed; }

  // Each owner is a client of its own, with its own lane in the queue.
  static lane_id fresh_lane() {
    static lane_id last = 0;
    return ++last;
  }
  const lane_id lane = fresh_lane();
  std::vector<std::string> lines;
  int resumed = 0;
};

class WorkerPoolTest : public ::testing::Test {
 protected:
  // Runs the I/O side until pred holds (bounded).
  bool run_until(const std::function<bool()>& pred) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (!pred()) {
      if (std::chrono::steady_clock::now() >= deadline) {
        return false;
      }
      io_.restart();
      io_.run_for(2ms);
    }
    return true;
  }

  static job make_job(const std::shared_ptr<RecordingOwner>& owner, std::size_t i) {
    return job{url(i), owner, owner->lane};
  }

  // The reply to the one job given to a pool of threads workers whose processors factory makes.
  std::optional<reply> only_reply(std::size_t threads, const processor_factory& factory) {
    job_dispatcher jobs(io_, dispatch_limits{4, 0}, budget_, log_);
    worker_pool pool(threads, jobs, factory, log_, cancel_);
    auto owner = std::make_shared<RecordingOwner>();
    auto item = make_job(owner, 1);
    if (!jobs.submit(item) || !run_until([&] { return owner->lines.size() == 1; })) {
      return std::nullopt;
    }
    pool.join();
    // Space events still posted for jobs point at the dispatcher: run them while it lives.
    io_.restart();
    io_.poll();
    return parse_reply(owner->lines[0]);
  }

  // The counters of the log's summary line, as an operator reads them; only once the workers
  // are joined, since they write to the same streams.
  server_summary summary() {
    log_.write_summary();
    return parse_summary(err_.str()).value_or(server_summary{});
  }

  std::ostringstream out_;
  std::ostringstream err_;
  progress_log log_{out_, err_};
  reply_budget budget_{std::size_t{1} << 30};
  boost::asio::io_context io_;
  std::atomic<bool> cancel_{false};
};

TEST_F(WorkerPoolTest, EveryJobIsAnsweredOnTheIoThread) {
  FakeProcessors fakes;
  job_dispatcher jobs(io_, dispatch_limits{256, 0}, budget_, log_);
  worker_pool pool(3, jobs, fakes.factory(), log_, cancel_);
  auto owner = std::make_shared<RecordingOwner>();
  for (std::size_t i = 0; i < 100; ++i) {
    auto item = make_job(owner, i);
    ASSERT_TRUE(jobs.submit(item));
  }
  ASSERT_TRUE(run_until([&] { return owner->lines.size() == 100; }));
  pool.join();
  const auto totals = summary();
  EXPECT_EQ(totals.processed, 100U);
  EXPECT_EQ(totals.ok, 100U);
}

TEST_F(WorkerPoolTest, JobsOfAGoneOwnerAreSkipped) {
  FakeProcessors fakes(fake_mode::gated);
  job_dispatcher jobs(io_, dispatch_limits{256, 0}, budget_, log_);
  worker_pool pool(1, jobs, fakes.factory(), log_, cancel_);
  auto stays = std::make_shared<RecordingOwner>();
  auto leaves = std::make_shared<RecordingOwner>();
  auto held = make_job(stays, 0);
  ASSERT_TRUE(jobs.submit(held));
  ASSERT_TRUE(eventually([&] { return fakes.started() == 1; }));
  for (std::size_t i = 1; i <= 5; ++i) {
    auto item = make_job(leaves, i);
    ASSERT_TRUE(jobs.submit(item));
  }
  leaves.reset();
  fakes.open_gate();
  ASSERT_TRUE(run_until([&] { return stays->lines.size() == 1; }));
  pool.join();
  EXPECT_EQ(summary().dropped, 5U);
  EXPECT_EQ(fakes.started(), 1);
}

TEST_F(WorkerPoolTest, ReplyForAnOwnerGoneDuringTheFetchIsDropped) {
  FakeProcessors fakes(fake_mode::gated);
  job_dispatcher jobs(io_, dispatch_limits{256, 0}, budget_, log_);
  worker_pool pool(1, jobs, fakes.factory(), log_, cancel_);
  auto owner = std::make_shared<RecordingOwner>();
  const std::weak_ptr<RecordingOwner> watch = owner;
  auto item = make_job(owner, 0);
  ASSERT_TRUE(jobs.submit(item));
  ASSERT_TRUE(eventually([&] { return fakes.started() == 1; }));
  owner.reset();
  fakes.open_gate();
  pool.join();
  EXPECT_EQ(summary().processed, 1U);
  io_.restart();
  io_.poll();
  EXPECT_TRUE(watch.expired());
}

TEST_F(WorkerPoolTest, ProcessorExceptionBecomesAnErrorReply) {
  FakeProcessors fakes(fake_mode::throwing);
  const auto answer = only_reply(1, fakes.factory());
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->url, url(1));
  EXPECT_EQ(answer->result.error,
            (page_error{error_kind::internal, "internal error: fake failure"}));
  EXPECT_EQ(summary().failed, 1U);
}

TEST_F(WorkerPoolTest, FailingFactoryStillAnswersEveryJob) {
  const processor_factory broken = [](const std::atomic<bool>&) -> std::unique_ptr<url_processor> {
    throw std::runtime_error("no processor today");
  };
  const auto answer = only_reply(2, broken);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->result.error,
            (page_error{error_kind::internal, "internal error: no processor"}));
}

TEST_F(WorkerPoolTest, AbandonedJobsAreAnsweredWithoutFetching) {
  FakeProcessors fakes(fake_mode::gated);
  job_dispatcher jobs(io_, dispatch_limits{2, 0}, budget_, log_);
  worker_pool pool(1, jobs, fakes.factory(), log_, cancel_);
  auto owner = std::make_shared<RecordingOwner>();
  for (std::size_t i = 0; i < 4; ++i) {
    auto item = make_job(owner, i);
    jobs.submit(item);  // 1 taken by the worker, 2 queued, 1 parked
    if (i == 0) {
      ASSERT_TRUE(eventually([&] { return fakes.started() == 1; }));
    }
  }
  EXPECT_EQ(jobs.parked(), 1U);
  jobs.abandon();
  cancel_ = true;
  EXPECT_EQ(owner->resumed, 1);
  ASSERT_TRUE(run_until([&] { return owner->lines.size() == 4; }));
  for (const auto& line : owner->lines) {
    EXPECT_EQ(parse_reply(line)->result.error,
              (page_error{error_kind::shutting_down, "server shutting down"}))
        << line;
  }
  EXPECT_EQ(fakes.started(), 1);
  pool.join();
  EXPECT_EQ(summary().shutting_down, 3U);
}

TEST_F(WorkerPoolTest, ParkedJobsAreAdmittedInArrivalOrder) {
  job_dispatcher jobs(io_, dispatch_limits{1, 0}, budget_, log_);
  auto first = std::make_shared<RecordingOwner>();
  auto second = std::make_shared<RecordingOwner>();
  auto a0 = make_job(first, 0);
  auto a1 = make_job(first, 1);
  auto b0 = make_job(second, 100);
  auto a2 = make_job(first, 2);
  EXPECT_TRUE(jobs.submit(a0));
  EXPECT_FALSE(jobs.submit(a1));  // queue full
  EXPECT_TRUE(jobs.submit(b0));   // a client's first job always gets in
  EXPECT_FALSE(jobs.submit(a2));  // behind a1, although there may be room by then

  std::vector<std::string> taken;
  for (int i = 0; i < 4; ++i) {
    auto item = jobs.take();
    ASSERT_TRUE(item);
    taken.push_back(item->url);
    io_.restart();
    io_.poll();  // the space event admits the next parked job
  }
  // The two clients take turns; a1 and a2 were admitted in arrival order.
  EXPECT_EQ(taken, (std::vector<std::string>{url(0), url(100), url(1), url(2)}));
  EXPECT_EQ(first->resumed, 2);
  EXPECT_EQ(second->resumed, 0);
  EXPECT_EQ(jobs.admitted(), 4U);
}

TEST_F(WorkerPoolTest, ParkedJobOfAGoneOwnerIsDropped) {
  job_dispatcher jobs(io_, dispatch_limits{1, 0}, budget_, log_);
  auto stays = std::make_shared<RecordingOwner>();
  auto leaves = std::make_shared<RecordingOwner>();
  auto a0 = make_job(stays, 0);
  auto b0 = make_job(leaves, 10);
  auto b1 = make_job(leaves, 11);
  auto a1 = make_job(stays, 1);
  EXPECT_TRUE(jobs.submit(a0));
  EXPECT_TRUE(jobs.submit(b0));
  EXPECT_FALSE(jobs.submit(b1));
  EXPECT_FALSE(jobs.submit(a1));
  leaves.reset();
  EXPECT_EQ(jobs.take()->url, url(0));
  io_.restart();
  io_.poll();  // b1's owner is gone: dropped; a1 takes its place
  EXPECT_EQ(summary().dropped, 1U);
  EXPECT_EQ(jobs.parked(), 0U);
  EXPECT_EQ(jobs.take()->url, url(10));
  EXPECT_EQ(jobs.take()->url, url(1));
}

TEST_F(WorkerPoolTest, ClosingALaneDropsItsQueuedAndParkedJobs) {
  job_dispatcher jobs(io_, dispatch_limits{2, 0}, budget_, log_);
  auto stays = std::make_shared<RecordingOwner>();
  auto leaves = std::make_shared<RecordingOwner>();
  for (std::size_t i = 0; i < 3; ++i) {
    auto item = make_job(leaves, 10 + i);
    jobs.submit(item);  // two queued, one parked
  }
  auto kept = make_job(stays, 0);
  ASSERT_TRUE(jobs.submit(kept));
  jobs.close_lane(leaves->lane);
  EXPECT_EQ(jobs.queued(), 1U);
  EXPECT_EQ(jobs.parked(), 0U);
  EXPECT_EQ(jobs.take()->url, url(0));
  EXPECT_EQ(summary().dropped, 3U);
}

TEST_F(WorkerPoolTest, AWorkerNeverWaitsOnABusyHostWhileOtherWorkIsReady) {
  FakeProcessors fakes(fake_mode::gated);
  job_dispatcher jobs(io_, dispatch_limits{256, 1}, budget_, log_);
  worker_pool pool(2, jobs, fakes.factory(), log_, cancel_);
  auto flooder = std::make_shared<RecordingOwner>();
  auto other = std::make_shared<RecordingOwner>();
  for (std::size_t i = 0; i < 20; ++i) {
    job item{"http://tarpit.test/" + std::to_string(i), flooder, flooder->lane, "tarpit.test"};
    ASSERT_TRUE(jobs.submit(item));
  }
  ASSERT_TRUE(eventually([&] { return fakes.started() == 1; }));
  job good{url(1), other, other->lane, "example.com"};
  ASSERT_TRUE(jobs.submit(good));
  // The second worker takes the other host's job although twenty of the tarpit's are older.
  ASSERT_TRUE(eventually([&] { return fakes.started() == 2; }));
  EXPECT_EQ(jobs.queued(), 19U);
  EXPECT_EQ(jobs.busy_hosts(), 2U);
  cancel_ = true;
  fakes.open_gate();
  ASSERT_TRUE(run_until([&] { return other->lines.size() == 1; }));
  pool.join();
}

TEST_F(WorkerPoolTest, ClosedDispatcherEndsTheWorkers) {
  job_dispatcher jobs(io_, dispatch_limits{4, 0}, budget_, log_);
  jobs.close();
  EXPECT_FALSE(jobs.take());
  auto owner = std::make_shared<RecordingOwner>();
  auto item = make_job(owner, 0);
  EXPECT_FALSE(jobs.submit(item)) << "a closed queue takes nothing";
}

TEST_F(WorkerPoolTest, FactoryWithoutAProcessorStillAnswersEveryJob) {
  const processor_factory none = [](const std::atomic<bool>&) -> std::unique_ptr<url_processor> {
    return nullptr;
  };
  const auto answer = only_reply(1, none);
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->result.error,
            (page_error{error_kind::internal, "internal error: no processor"}));
}

TEST(ProgressLogTest, PrintsOneLinePerProcessedUrl) {
  std::ostringstream out;
  std::ostringstream err;
  progress_log log(out, err);
  log.record_processed(page_result{.words = {{"x", 1}}});
  log.record_processed(page_result::failure(error_kind::http_status, "HTTP 404"));
  log.record_processed(page_result::failure(error_kind::http_status, "HTTP 410"));
  log.record_rejected();
  log.record_dropped();
  log.record_shutting_down();
  EXPECT_EQ(out.str(),
            "processed 1 (ok 1, failed 0)\n"
            "processed 2 (ok 1, failed 1)\n"
            "processed 3 (ok 1, failed 2)\n");

  log.write_summary();
  EXPECT_NE(err.str().find("summary: processed 3 (ok 1, failed 2), rejected 1, dropped 1, "
                           "shutting down 1"),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("failed: http_status: 2"), std::string::npos) << err.str();
}

TEST(ProgressLogTest, SummaryCountsFailuresByKindWhateverTheirMessages) {
  std::ostringstream out;
  std::ostringstream err;
  progress_log log(out, err);
  log.record_processed(page_result::failure(error_kind::dns, "Could not resolve host: a.test"));
  log.record_processed(page_result::failure(error_kind::dns, "Could not resolve host: b.test"));
  log.record_processed(page_result::failure(error_kind::timeout, "timeout after 30 s"));
  log.write_summary();
  EXPECT_NE(err.str().find("  failed: dns: 2\n"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("  failed: timeout: 1\n"), std::string::npos) << err.str();
}

TEST(ProgressLogTest, RateLineReportsUrlsPerSecondSinceTheLastOne) {
  std::ostringstream out;
  std::ostringstream err;
  progress_log log(out, err);
  for (int i = 0; i < 25; ++i) {
    log.record_processed(page_result{});
  }
  log.write_rate(10s, 5, 3);
  log.write_rate(10s, 0, 0);
  log.write_rate(0s, 0, 0);
  EXPECT_EQ(err.str(),
            "rate: 2.5 URLs/s, queue 5, clients 3\n"
            "rate: 0.0 URLs/s, queue 0, clients 0\n"
            "rate: 0.0 URLs/s, queue 0, clients 0\n");
}

TEST(ProgressLogTest, WriteLineFlushesWholeLines) {
  std::ostringstream out;
  std::ostringstream err;
  progress_log log(out, err);
  log.write_line("listening on 127.0.0.1:7070");
  EXPECT_EQ(out.str(), "listening on 127.0.0.1:7070\n");
}

}  // namespace
}  // namespace wordcrawl::testing
