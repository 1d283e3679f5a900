// The production processor inside the whole server, against the loopback HTTP fixture.

#include "fetch/fetching_processor.hpp"

#include <string>

#include <gtest/gtest.h>

#include "fetch/curl_global.hpp"
#include "fetch/curl_share_state.hpp"
#include "server_harness.hpp"
#include "support/http_fixture.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl::testing {
namespace {

class FetchingProcessorTest : public ::testing::Test {
 protected:
  FetchingProcessorTest() {
    EXPECT_FALSE(options_.fetch.filter.allow("127.0.0.1/32"));
    options_.top_k = 2;
  }

  processor_factory factory() {
    return make_fetching_factory(options_.fetch, shared_, options_.top_k);
  }

  curl_global curl_;
  curl_share_state shared_;
  http_fixture web_;
  server_options options_ = test_options();
};

TEST_F(FetchingProcessorTest, AnswersWithTheTopWordsOfThePage) {
  web_.add_page("/page", "<p>hello hello world again again again</p>");
  RunningServer srv(options_, factory());
  LineClient client(srv.port());
  client.send(web_.url("/page") + "\n");
  const auto line = client.read_line();
  ASSERT_TRUE(line);
  const auto answer = parse_reply(*line);
  ASSERT_TRUE(answer) << *line;
  EXPECT_FALSE(answer->result.error) << *line;
  EXPECT_EQ(answer->result.words, (std::vector<word_count>{{"again", 3}, {"hello", 2}}));
  EXPECT_NE(line->find("\"status\":200"), std::string::npos) << *line;
}

TEST_F(FetchingProcessorTest, AnswersAFailedFetchWithItsReason) {
  web_.add_page("/missing", "gone", "text/html", 404);
  RunningServer srv(options_, factory());
  LineClient client(srv.port());
  client.send(web_.url("/missing") + "\n");
  const auto answer = parse_reply(client.read_line().value_or(""));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->result.error, (page_error{error_kind::http_status, "HTTP 404"}));
  srv.stop();
  ASSERT_TRUE(srv.wait_finished());
  EXPECT_NE(srv.err().find("failed: http_status: 1"), std::string::npos) << srv.err();
}

TEST_F(FetchingProcessorTest, GraceOverCancelsARunningFetch) {
  web_.add("/slow", http_route{.headers = {{"Content-Type", "text/html"}},
                               .pieces = {"<p>one</p>", "<p>two</p>"},
                               .piece_delay = 20s});
  options_.grace = 100ms;
  RunningServer srv(options_, factory());
  LineClient client(srv.port());
  client.send(web_.url("/slow") + "\n");
  ASSERT_TRUE(web_.wait_for_requests("/slow", 1, 10s));
  const auto started = std::chrono::steady_clock::now();
  srv.stop();
  const auto answer = parse_reply(client.read_line().value_or(""));
  ASSERT_TRUE(answer);
  EXPECT_EQ(answer->result.error, (page_error{error_kind::shutting_down, "server shutting down"}));
  EXPECT_TRUE(srv.wait_finished());
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

}  // namespace
}  // namespace wordcrawl::testing
