#include <algorithm>
#include <cerrno>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "progress.hpp"
#include "run_client.hpp"
#include "support/fake_line_server.hpp"
#include "support/temp_dir.hpp"
#include "support/text_lines.hpp"
#include "tally.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;
using namespace std::chrono_literals;

std::vector<std::string> make_urls(std::size_t count) {
  std::vector<std::string> urls;
  for (std::size_t i = 0; i < count; ++i) {
    urls.push_back("http://example.test/page/" + std::to_string(i));
  }
  return urls;
}

// What the client prints for the fake server's default reply.
std::string answer_line(const std::string& url) {
  return url + R"(: {"w": 10, "x": 5})";
}

std::vector<std::string> answer_lines(const std::vector<std::string>& urls) {
  std::vector<std::string> lines;
  std::transform(urls.begin(), urls.end(), std::back_inserter(lines), answer_line);
  return lines;
}

// The same lines in any order; sorting keeps large comparisons fast.
std::vector<std::string> sorted(std::vector<std::string> lines) {
  std::sort(lines.begin(), lines.end());
  return lines;
}

// Accepts `lines` whole lines, then fails every write with errno set to `error`: stdout once
// the reader of a pipe (`| head -3`) has exited.
class FailingBuffer : public std::streambuf {
 public:
  FailingBuffer(std::size_t lines, int error) : lines_left_(lines), error_(error) {}

  std::string text() const { return text_; }

 protected:
  std::streamsize xsputn(const char* data, std::streamsize size) override {
    if (lines_left_ == 0) {
      errno = error_;
      return 0;
    }
    const std::string_view piece(data, static_cast<std::size_t>(size));
    const auto newlines = static_cast<std::size_t>(std::count(piece.begin(), piece.end(), '\n'));
    lines_left_ -= std::min(lines_left_, newlines);
    text_.append(piece);
    return size;
  }

  int_type overflow(int_type c) override {
    const char byte = traits_type::to_char_type(c);
    return xsputn(&byte, 1) == 1 ? c : traits_type::eof();
  }

 private:
  std::size_t lines_left_;
  int error_;
  std::string text_;
};

class ClientTest : public ::testing::Test {
 protected:
  struct outcome {
    int code = -1;
    std::string out;
    std::string err;

    std::vector<std::string> lines() const { return split_lines(out); }
  };

  std::string write_file(const std::vector<std::string>& lines) const {
    return files_.write_lines("urls.txt", lines);
  }

  client_options options_for(const std::string& file, int threads = 1) const {
    return client_options{.threads = threads,
                          .file = file,
                          .port = server_.port(),
                          .connect_timeout = 5s,
                          .reply_timeout = 20s,
                          .reconnect_attempts = 3,
                          .reconnect_delay = 1ms};
  }

  static outcome run(const client_options& options, const std::string& input = {}) {
    std::istringstream in(input);
    std::ostringstream out;
    std::ostringstream err;
    outcome result;
    result.code = run_client(options, in, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
  }

  fake_line_server server_;
  temp_dir files_;
};

TEST_F(ClientTest, AnswersEveryUrlExactlyOnceWithSeveralThreads) {
  const auto urls = make_urls(400);
  auto options = options_for(write_file(urls), 8);
  options.window = 4;
  const auto result = run(options);
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(sorted(result.lines()), sorted(answer_lines(urls)));
  EXPECT_EQ(server_.lines_received(), urls.size());
  EXPECT_LE(server_.connections(), 8U);
  EXPECT_GE(server_.connections(), 2U);
}

TEST_F(ClientTest, LinesFromDifferentThreadsNeverInterleave) {
  // Long replies make a torn or interleaved write visible in almost every line.
  std::vector<word_count> words;
  for (unsigned i = 0; i < 30; ++i) {
    words.push_back(
        {"word" + std::to_string(i) + std::string(40, static_cast<char>('a' + i % 26)), 100U - i});
  }
  server_.set_reply(
      [&words](const std::string& url) { return encode_reply(url, page_result{.words = words}); });
  const auto urls = make_urls(300);
  std::vector<std::string> expected;
  expected.reserve(urls.size());
  for (const auto& url : urls) {
    expected.push_back(url + ": " + format_words(words));
  }
  const auto result = run(options_for(write_file(urls), 8));
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(sorted(result.lines()), sorted(expected));
}

TEST_F(ClientTest, KeepsWindowUrlsInFlightPerConnection) {
  server_.hold_replies();
  const auto urls = make_urls(10);
  auto options = options_for(write_file(urls));
  options.window = 3;
  outcome result;
  std::jthread client([&] { result = run(options); });
  // Pipelining: three URLs arrive before any reply was sent.
  EXPECT_TRUE(server_.wait_for_lines(3));
  server_.stop_holding();
  client.join();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(server_.max_outstanding(), 3U);
  EXPECT_THAT(result.lines(), UnorderedElementsAreArray(answer_lines(urls)));
}

TEST_F(ClientTest, MatchesRepliesArrivingInReverseOrder) {
  server_.hold_replies();
  const auto urls = make_urls(5);
  auto options = options_for(write_file(urls));
  options.window = 5;
  outcome result;
  std::jthread client([&] { result = run(options); });
  ASSERT_TRUE(server_.wait_for_lines(5));
  server_.release_held(5, true);
  client.join();
  auto reversed = answer_lines(urls);
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.lines(), ElementsAreArray(reversed));
}

TEST_F(ClientTest, SameUrlTwiceInFlightIsAnsweredTwice) {
  const std::vector<std::string> urls{"http://twice.test/", "http://twice.test/"};
  server_.hold_replies();
  auto options = options_for(write_file(urls));
  outcome result;
  std::jthread client([&] { result = run(options); });
  ASSERT_TRUE(server_.wait_for_lines(2));
  server_.stop_holding();
  client.join();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.lines(), ElementsAreArray(answer_lines(urls)));
  EXPECT_THAT(result.err, Not(HasSubstr("protocol error")));
}

TEST_F(ClientTest, ResendsExactlyTheUnansweredUrlsAfterADrop) {
  server_.hold_replies();
  const auto urls = make_urls(4);
  auto options = options_for(write_file(urls));
  options.window = 4;
  outcome result;
  std::jthread client([&] { result = run(options); });
  ASSERT_TRUE(server_.wait_for_lines(4));
  server_.release_held(2, true);  // pages 3 and 2 are answered, then the server goes away
  server_.close_connections();
  server_.stop_holding();
  client.join();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.lines(), UnorderedElementsAreArray(answer_lines(urls)));
  const auto received = server_.lines_by_connection();
  ASSERT_EQ(received.size(), 2U);
  EXPECT_THAT(received[1], UnorderedElementsAreArray(std::vector<std::string>{urls[0], urls[1]}));
}

TEST_F(ClientTest, ReconnectsWhenTheServerDropsMidStream) {
  server_.drop_connections_after(5, 2);
  const auto urls = make_urls(30);
  auto options = options_for(write_file(urls));
  options.window = 4;
  const auto result = run(options);
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.lines(), UnorderedElementsAreArray(answer_lines(urls)));
  EXPECT_EQ(server_.connections(), 3U);
}

TEST_F(ClientTest, GivesUpOnAServerThatDropsEveryConnection) {
  server_.drop_connections_after(1, 100);
  auto options = options_for(write_file(make_urls(2)));
  const auto result = run(options);
  EXPECT_EQ(result.code, 2);
  EXPECT_EQ(server_.connections(), 3U);  // options.reconnect_attempts
  EXPECT_THAT(result.err,
              HasSubstr("connection to 127.0.0.1:" + std::to_string(server_.port()) + " lost: "));
  EXPECT_THAT(result.err, HasSubstr("unanswered: http://example.test/page/1"));
  EXPECT_TRUE(result.out.empty());
}

TEST_F(ClientTest, UnreachableServerExitsTwoWithAClearMessage) {
  server_.refuse();
  const auto urls = make_urls(5);
  const auto result = run(options_for(write_file(urls), 3));
  EXPECT_EQ(result.code, 2);
  const auto message =
      "cannot connect to 127.0.0.1:" + std::to_string(server_.port()) + ": Connection refused";
  EXPECT_EQ(occurrences(result.err, message), 1U) << result.err;
  EXPECT_EQ(occurrences(result.err, "unanswered: "), 5U) << result.err;
  EXPECT_THAT(result.err, HasSubstr("0 ok, 5 failed (5 unanswered)"));
  EXPECT_TRUE(result.out.empty());
}

TEST_F(ClientTest, ListsOnlyTheFirstTenUnansweredUrls) {
  server_.refuse();
  auto options = options_for(write_file(make_urls(25)));
  options.reconnect_attempts = 1;
  const auto result = run(options);
  EXPECT_EQ(result.code, 2);
  EXPECT_EQ(occurrences(result.err, "unanswered: "), 10U);
  EXPECT_THAT(result.err, HasSubstr("... and 15 more unanswered"));
}

TEST_F(ClientTest, ExitsOneWhenSomeUrlsFail) {
  server_.set_reply([](const std::string& url) {
    return url.find("bad") == std::string::npos
               ? fake_line_server::default_reply(url)
               : encode_reply(url, page_result::failure(error_kind::http_status, "HTTP 404"));
  });
  const auto result = run(options_for(write_file({"http://good.test/", "http://bad.test/"})));
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.lines(),
              UnorderedElementsAreArray(std::vector<std::string>{
                  answer_line("http://good.test/"), "http://bad.test/: error: HTTP 404"}));
}

TEST_F(ClientTest, JsonPrintsTheServerLinesUnchanged) {
  const auto urls = make_urls(20);
  std::vector<std::string> expected;
  for (const auto& url : urls) {
    auto line = fake_line_server::default_reply(url);
    line.pop_back();
    expected.push_back(line);
  }
  auto options = options_for(write_file(urls), 2);
  options.json = true;
  const auto result = run(options);
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.lines(), UnorderedElementsAreArray(expected));
}

TEST_F(ClientTest, JsonAnswersMadeByTheClientAreJsonToo) {
  auto options = options_for(write_file({"http://bad.test/\xff"}));
  options.json = true;
  const auto result = run(options);
  EXPECT_EQ(result.code, 1);
  auto expected =
      encode_reply("http://bad.test/\xff",
                   page_result::failure(error_kind::bad_request, "URL is not valid UTF-8"));
  EXPECT_EQ(result.out, expected);
  EXPECT_EQ(server_.lines_received(), 0U);
}

TEST_F(ClientTest, SkipsBlankLines) {
  const auto result = run(options_for(write_file(
      {"", "http://a.test/", "   ", "\t", "  http://b.test/  ", "", "http://c.test/\r"})));
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(server_.lines_received(), 3U);
  EXPECT_THAT(result.lines(), UnorderedElementsAreArray(answer_lines(
                                  {"http://a.test/", "http://b.test/", "http://c.test/"})));
}

TEST_F(ClientTest, ReadsUrlsFromStandardInput) {
  const auto result = run(options_for("-", 2), "http://a.test/\nhttp://b.test/\n");
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.lines(),
              UnorderedElementsAreArray(answer_lines({"http://a.test/", "http://b.test/"})));
}

TEST_F(ClientTest, UnreadableFileExitsTwo) {
  const auto result = run(options_for("/nonexistent/urls.txt"));
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err, HasSubstr("cannot open /nonexistent/urls.txt: No such file"));
}

TEST_F(ClientTest, SummaryGivesCountsRateAndTopErrors) {
  server_.set_reply([](const std::string& url) {
    if (url.find("slow") != std::string::npos) {
      return encode_reply(url, page_result::failure(error_kind::timeout, "timeout after 3 s"));
    }
    if (url.find("gone") != std::string::npos) {
      return encode_reply(url, page_result::failure(error_kind::http_status, "HTTP 410"));
    }
    return fake_line_server::default_reply(url);
  });
  const auto result =
      run(options_for(write_file({"http://ok.test/1", "http://slow.test/1", "http://ok.test/2",
                                  "http://slow.test/2", "http://gone.test/"})));
  EXPECT_EQ(result.code, 1);
  EXPECT_THAT(result.err, ::testing::ContainsRegex("2 ok, 3 failed in [0-9]+\\.[0-9]+ s, "
                                                   "[0-9]+\\.[0-9] URLs/s"));
  const auto timeouts = result.err.find("2 x timeout (timeout after 3 s)");
  const auto gone = result.err.find("1 x http_status (HTTP 410)");
  ASSERT_NE(timeouts, std::string::npos) << result.err;
  ASSERT_NE(gone, std::string::npos) << result.err;
  EXPECT_LT(timeouts, gone);
}

TEST_F(ClientTest, StopsPromptlyAndQuietlyWhenTheOutputIsClosed) {
  const auto urls = make_urls(2000);
  auto options = options_for(write_file(urls), 4);
  options.window = 4;
  FailingBuffer buffer(3, EPIPE);
  std::ostream out(&buffer);
  std::istringstream in;
  std::ostringstream err;
  EXPECT_EQ(run_client(options, in, out, err), 0);
  EXPECT_EQ(split_lines(buffer.text()).size(), 3U);
  EXPECT_EQ(err.str(), "");
  EXPECT_LT(server_.lines_received(), 200U);
}

TEST_F(ClientTest, OtherOutputErrorsExitTwo) {
  FailingBuffer buffer(0, ENOSPC);
  std::ostream out(&buffer);
  std::istringstream in;
  std::ostringstream err;
  EXPECT_EQ(run_client(options_for(write_file(make_urls(3))), in, out, err), 2);
  EXPECT_THAT(err.str(), HasSubstr("cannot write results: No space left on device"));
}

TEST_F(ClientTest, ReportsAReplyForAUrlNotInFlightOnce) {
  server_.set_reply(
      [](const std::string& url) { return fake_line_server::default_reply(url + "#other"); });
  auto options = options_for(write_file({"http://a.test/", "http://b.test/"}));
  options.reply_timeout = 300ms;
  options.reconnect_attempts = 1;
  const auto result = run(options);
  EXPECT_EQ(result.code, 2);
  EXPECT_EQ(occurrences(result.err, "protocol error"), 1U) << result.err;
  EXPECT_THAT(result.err, HasSubstr("protocol error: reply for a URL not in flight: "));
  EXPECT_THAT(result.err, HasSubstr("unanswered: http://a.test/"));
  EXPECT_TRUE(result.out.empty());
}

TEST_F(ClientTest, ReportsAnUnparsableReply) {
  server_.set_reply([](const std::string& /*url*/) { return std::string("garbage\n"); });
  auto options = options_for(write_file({"http://a.test/"}));
  options.reply_timeout = 300ms;
  options.reconnect_attempts = 1;
  const auto result = run(options);
  EXPECT_EQ(result.code, 2);
  EXPECT_THAT(result.err, HasSubstr("protocol error: not a reply: garbage"));
}

TEST_F(ClientTest, AnswersOverlongAndInvalidUrlsWithoutSendingThem) {
  const std::string long_url = "http://long.test/" + std::string(9000, 'a');
  const auto result =
      run(options_for(write_file({long_url, "http://bad.test/\xff", "http://ok.test/"})));
  EXPECT_EQ(result.code, 1);
  EXPECT_EQ(server_.lines_received(), 1U);
  const auto lines = result.lines();
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_THAT(result.out, HasSubstr("...: error: URL longer than 8192 bytes"));
  EXPECT_THAT(result.out, HasSubstr("http://bad.test/\xff: error: URL is not valid UTF-8"));
  EXPECT_THAT(result.out, HasSubstr(answer_line("http://ok.test/")));
}

TEST_F(ClientTest, ProgressBarShowsDoneOverTotal) {
  auto options = options_for(write_file(make_urls(3)));
  options.progress = true;
  const auto result = run(options);
  EXPECT_EQ(result.code, 0);
  EXPECT_THAT(result.err, HasSubstr("\r"));
  EXPECT_THAT(result.err, HasSubstr("[3/3 100%]"));
}

TEST_F(ClientTest, NoProgressBarWhenDisabled) {
  const auto result = run(options_for(write_file(make_urls(3))));
  EXPECT_EQ(result.code, 0);
  EXPECT_THAT(result.err, Not(HasSubstr("\r")));
  EXPECT_THAT(result.err, HasSubstr("3 ok, 0 failed"));
}

// Two fake servers given as --servers: server_ first, second_ next.
class ClientFailoverTest : public ClientTest {
 protected:
  client_options options_for_both(const std::string& file, int threads = 1) const {
    auto options = options_for(file, threads);
    options.servers = {{"127.0.0.1", server_.port()}, {"127.0.0.1", second_.port()}};
    return options;
  }

  static std::string name_of(const fake_line_server& server) {
    return "127.0.0.1:" + std::to_string(server.port());
  }

  fake_line_server second_;
};

std::vector<std::string> all_lines(const fake_line_server& server) {
  std::vector<std::string> lines;
  for (const auto& connection : server.lines_by_connection()) {
    lines.insert(lines.end(), connection.begin(), connection.end());
  }
  return lines;
}

TEST_F(ClientFailoverTest, FailsOverWhenTheFirstServerDiesMidStream) {
  server_.drop_connections_after(5);
  server_.refuse_after_drop();
  const auto urls = make_urls(30);
  auto options = options_for_both(write_file(urls));
  options.window = 4;
  const auto result = run(options);
  EXPECT_EQ(result.code, 0) << result.err;
  // Exactly once each: nothing answered by the first server is asked of the second again.
  EXPECT_EQ(sorted(result.lines()), sorted(answer_lines(urls)));
  ASSERT_EQ(server_.lines_received(), 5U);
  EXPECT_EQ(server_.connections(), 1U);
  EXPECT_EQ(second_.connections(), 1U);
  const auto first = all_lines(server_);
  const auto second = sorted(all_lines(second_));
  EXPECT_EQ(std::adjacent_find(second.begin(), second.end()), second.end()) << "a URL sent twice";
  // The line the first server dropped on, and everything after it, went to the second.
  const auto rest = sorted({urls.begin() + 4, urls.end()});
  EXPECT_TRUE(std::includes(second.begin(), second.end(), rest.begin(), rest.end()));
  EXPECT_LT(second.size(), urls.size());  // the first server answered some
  EXPECT_THAT(result.err, HasSubstr("connection to " + name_of(server_) + " lost: "));
  EXPECT_THAT(result.err, HasSubstr("; trying " + name_of(second_)));
}

TEST_F(ClientFailoverTest, ResendsExactlyTheUnansweredUrlsToTheNextServer) {
  server_.hold_replies();
  const auto urls = make_urls(10);
  auto options = options_for_both(write_file(urls));
  options.window = 4;
  outcome result;
  std::jthread client([&] { result = run(options); });
  EXPECT_TRUE(server_.wait_for_lines(4));
  server_.release_held(2, false);  // pages 0 and 1 are answered, then the server goes away
  server_.close_connections();
  server_.refuse();
  client.join();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(sorted(result.lines()), sorted(answer_lines(urls)));
  const auto received = second_.lines_by_connection();
  ASSERT_EQ(received.size(), 1U);
  EXPECT_THAT(received[0],
              ElementsAreArray(std::vector<std::string>(urls.begin() + 2, urls.end())));
}

TEST_F(ClientFailoverTest, SpreadsThreadsOverTheServers) {
  server_.hold_replies();
  second_.hold_replies();
  const auto urls = make_urls(40);
  auto options = options_for_both(write_file(urls), 4);
  options.window = 4;
  outcome result;
  std::jthread client([&] { result = run(options); });
  // Nothing is answered yet, so every thread holds a full window: threads 0 and 2 on the first
  // server, 1 and 3 on the second.
  EXPECT_TRUE(server_.wait_for_lines(8));
  EXPECT_TRUE(second_.wait_for_lines(8));
  EXPECT_EQ(server_.connections(), 2U);
  EXPECT_EQ(second_.connections(), 2U);
  server_.stop_holding();
  second_.stop_holding();
  client.join();
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(sorted(result.lines()), sorted(answer_lines(urls)));
  EXPECT_EQ(server_.lines_received() + second_.lines_received(), urls.size());
}

TEST_F(ClientFailoverTest, MovesOnWhenTheFirstServerRefuses) {
  server_.refuse();
  const auto urls = make_urls(20);
  const auto result = run(options_for_both(write_file(urls)));  // one thread: on server_ first
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(sorted(result.lines()), sorted(answer_lines(urls)));
  EXPECT_EQ(second_.lines_received(), urls.size());
  const auto message =
      "cannot connect to " + name_of(server_) + ": Connection refused; trying " + name_of(second_);
  EXPECT_EQ(occurrences(result.err, message), 1U) << result.err;
}

TEST_F(ClientFailoverTest, MovesOnWhenAServerStopsAnswering) {
  server_.hold_replies();
  const auto urls = make_urls(5);
  auto options = options_for_both(write_file(urls));
  options.reply_timeout = 300ms;
  const auto result = run(options);
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(sorted(result.lines()), sorted(answer_lines(urls)));
  EXPECT_EQ(server_.lines_received(), urls.size());
  EXPECT_EQ(second_.lines_received(), urls.size());
  EXPECT_THAT(result.err, HasSubstr("connection to " + name_of(server_) + " lost: "));
}

TEST_F(ClientFailoverTest, TriesEveryServerBeforeGivingUp) {
  server_.drop_connections_after(1, 100);
  second_.drop_connections_after(1, 100);
  auto options = options_for_both(write_file(make_urls(2)));
  options.reconnect_attempts = 1;  // fewer than the servers: one round all the same
  const auto result = run(options);
  EXPECT_EQ(result.code, 2);
  EXPECT_EQ(server_.connections(), 1U);
  EXPECT_EQ(second_.connections(), 1U);
  EXPECT_THAT(result.err, HasSubstr("all 2 servers failed, the last: connection to " +
                                    name_of(second_) + " lost: "));
  EXPECT_THAT(result.err, Not(HasSubstr("; trying " + name_of(server_))));
  EXPECT_THAT(result.err, HasSubstr("unanswered: http://example.test/page/1"));
  EXPECT_TRUE(result.out.empty());
}

TEST_F(ClientFailoverTest, CountsFailedAttemptsInARowAcrossServers) {
  server_.drop_connections_after(1, 100);
  second_.drop_connections_after(1, 100);
  auto options = options_for_both(write_file(make_urls(2)));
  options.reconnect_attempts = 3;
  const auto result = run(options);
  EXPECT_EQ(result.code, 2);
  EXPECT_EQ(server_.connections(), 2U);  // first, second, first
  EXPECT_EQ(second_.connections(), 1U);
}

TEST(ProgressFormat, ShowsDoneTotalRateErrorsAndEta) {
  tally_snapshot counts;
  counts.ok = 40;
  counts.failed = 10;
  EXPECT_EQ(format_progress(counts, 200, 10s), "[50/200 25%] 5.0 URLs/s, 10 errors, ETA 0:30");
  EXPECT_EQ(format_progress(counts, 100000, 10s),
            "[50/100000 0%] 5.0 URLs/s, 10 errors, ETA 5:33:10");
}

TEST(ProgressFormat, WithoutTotalShowsDoneAndRate) {
  tally_snapshot counts;
  counts.ok = 7;
  EXPECT_EQ(format_progress(counts, std::nullopt, 2s), "7 done, 3.5 URLs/s, 0 errors");
  EXPECT_EQ(format_progress(counts, 10, 0s), "[7/10 70%] 0.0 URLs/s, 0 errors, ETA ?");
}

TEST(ProgressBar, RedrawsAtMostTenTimesASecond) {
  std::ostringstream err;
  console log(err);
  tally counts;
  const auto start = progress::clock::now();
  progress bar(log, true, 100, start);
  for (int i = 0; i < 50; ++i) {
    counts.record_ok();
    bar.update(counts, start + i * 10ms);  // 500 ms of updates, every 10 ms
  }
  EXPECT_EQ(occurrences(err.str(), "\r"), 5U);
}

TEST(TallyTest, CountsErrorsByKindKeepingTheFirstMessage) {
  tally counts;
  for (int i = 0; i < 1005; ++i) {
    counts.record_error({error_kind::dns, "Could not resolve host: h" + std::to_string(i)});
  }
  counts.record_error({error_kind::timeout, "timeout after 30 s"});
  counts.record_unanswered();
  const auto snapshot = counts.snapshot(2);
  EXPECT_EQ(snapshot.failed, 1007U);
  EXPECT_EQ(snapshot.unanswered, 1U);
  ASSERT_EQ(snapshot.top_errors.size(), 2U);
  EXPECT_EQ(snapshot.top_errors[0].kind, error_kind::dns);
  EXPECT_EQ(snapshot.top_errors[0].count, 1005U);
  EXPECT_EQ(snapshot.top_errors[0].example, "Could not resolve host: h0");
}

}  // namespace
}  // namespace wordcrawl::testing
