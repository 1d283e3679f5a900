// The real `server` binary in cluster mode (`--redis`): several nodes share one work queue on a
// private redis-server, the real `client` sends them URLs, and nodes (or Redis) are killed while
// URLs are in flight. Every URL must still be answered exactly once, with its page's words.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/child_process.hpp"
#include "support/eventually.hpp"
#include "support/http_fixture.hpp"
#include "support/redis_server.hpp"
#include "support/temp_dir.hpp"

namespace wordcrawl::testing {
namespace {

using namespace std::chrono_literals;

constexpr auto patience = 60s;
// A whole client run of up to a thousand slow pages on two shared cores.
constexpr auto run_patience = 180s;

// A word of letters only, unique per i: "pageab", "pageac", ...
std::string word_for(std::size_t i) {
  std::string word = "page";
  std::string letters;
  do {
    letters.insert(letters.begin(), static_cast<char>('a' + i % 26));
    i /= 26;
  } while (i > 0);
  return word + letters;
}

// The answer the client prints (-k 2) for the page of word_for(i).
std::string expected_answer(std::size_t i) {
  return R"({")" + word_for(i) + R"(": 2, "shared": 1})";
}

// Page i, written in two pieces with delay before each: a fetch takes about twice delay.
http_route slow_page(std::size_t i, std::chrono::milliseconds delay) {
  http_route route;
  route.headers = {{"Content-Type", "text/html; charset=utf-8"}};
  route.pieces = {"<html><body><p>" + word_for(i) + " ", word_for(i) + " shared</p></body></html>"};
  route.piece_delay = delay;
  return route;
}

// Lines of a finished client ("url: answer"), every answer of each URL in order.
std::map<std::string, std::vector<std::string>> answers_by_url(
    const std::vector<std::string>& lines) {
  std::map<std::string, std::vector<std::string>> answers;
  for (const auto& line : lines) {
    const auto separator = line.find(": ");
    if (separator == std::string::npos) {
      ADD_FAILURE() << "not an answer line: " << line;
      continue;
    }
    answers[line.substr(0, separator)].push_back(line.substr(separator + 2));
  }
  return answers;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find('\n', start);
    lines.push_back(text.substr(start, end - start));
    start = end == std::string::npos ? text.size() : end + 1;
  }
  return lines;
}

// Checks that every urls[i] got exactly one answer, expected_answer(i), and nothing else was
// answered; reports at most a few offenders by name.
void expect_each_answered_once(const std::vector<std::string>& urls,
                               const std::vector<std::string>& lines) {
  const auto answers = answers_by_url(lines);
  EXPECT_EQ(lines.size(), urls.size());
  EXPECT_EQ(answers.size(), urls.size());
  std::size_t wrong = 0;
  std::string examples;
  for (std::size_t i = 0; i < urls.size(); ++i) {
    const auto found = answers.find(urls[i]);
    const bool good = found != answers.end() && found->second.size() == 1 &&
                      found->second.front() == expected_answer(i);
    if (!good) {
      if (++wrong <= 5) {
        examples += "\n  " + urls[i] + ": ";
        if (found == answers.end()) {
          examples += "no answer";
        } else {
          for (const auto& answer : found->second) {
            examples += "[" + answer + "] ";
          }
        }
      }
    }
  }
  EXPECT_EQ(wrong, 0U) << "URLs not answered exactly once with their words, e.g." << examples;
}

// One server node of the cluster. Its stdout is drained on a thread of its own, so the node never
// blocks on a full pipe and the test can count the URLs it processed.
class ClusterNode {
 public:
  ClusterNode(const redis_server& redis, const std::string& cluster,
              const std::vector<std::string>& extra) {
    std::vector<std::string> args{"--port",          "0",    "--allow-private", "127.0.0.0/8",
                                  "--rate-interval", "3600", "--redis",         redis.url(),
                                  "--cluster-name",  cluster};
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<child_process>(WORDCRAWL_SERVER_BIN, args);
    const auto line = process_->read_line(patience);
    const std::string prefix = "listening on 127.0.0.1:";
    if (!line || line->rfind(prefix, 0) != 0) {
      throw std::runtime_error("server did not start: " + process_->stderr_text());
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
    const std::string joined = "cluster: node ";
    if (!eventually([&] { return process_->stderr_text().find(joined) != std::string::npos; },
                    patience)) {
      throw std::runtime_error("server did not join the cluster: " + process_->stderr_text());
    }
    const auto text = process_->stderr_text();
    const auto start = text.find(joined) + joined.size();
    name_ = text.substr(start, text.find(' ', start) - start);
    reader_ = std::thread([this] { drain(); });
  }
  ~ClusterNode() {
    stop_reading_ = true;
    reader_.join();
  }
  ClusterNode(const ClusterNode&) = delete;
  ClusterNode& operator=(const ClusterNode&) = delete;
  ClusterNode(ClusterNode&&) = delete;
  ClusterNode& operator=(ClusterNode&&) = delete;

  std::uint16_t port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  /// The node's name in Redis (its consumer name and the tail of its keys).
  const std::string& name() const { return name_; }
  /// Progress lines so far: URLs this node processed.
  std::size_t processed() const { return processed_; }
  std::string stderr_text() const { return process_->stderr_text(); }
  void signal(int signal_number) { process_->send_signal(signal_number); }
  std::optional<int> wait(std::chrono::milliseconds timeout) { return process_->wait(timeout); }

 private:
  void drain() {
    constexpr auto poll = 100ms;
    while (!stop_reading_) {
      const auto started = std::chrono::steady_clock::now();
      const auto line = process_->read_line(poll);
      if (line) {
        if (line->rfind("processed ", 0) == 0) {
          ++processed_;
        }
      } else if (std::chrono::steady_clock::now() - started < poll / 2) {
        return;  // end of output: the node exited
      }
    }
  }

  std::unique_ptr<child_process> process_;
  std::uint16_t port_ = 0;
  std::string name_;
  std::atomic<std::size_t> processed_{0};
  std::atomic<bool> stop_reading_{false};
  std::thread reader_;
};

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    WORDCRAWL_REQUIRE_REDIS_SERVER();
    redis_ = std::make_unique<redis_server>();
    const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
    cluster_ = std::string("wc-") + test->name();
  }

  // Starts a node of this test's cluster with the common options and extra.
  ClusterNode& start_node(const std::vector<std::string>& extra) {
    nodes_.push_back(std::make_unique<ClusterNode>(*redis_, cluster_, extra));
    return *nodes_.back();
  }

  // n slow pages on the fixture; their URLs, in order (page i answers expected_answer(i)).
  std::vector<std::string> add_pages(std::size_t n, std::chrono::milliseconds delay) {
    std::vector<std::string> urls;
    urls.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto target = "/p/" + std::to_string(i);
      web_.add(target, slow_page(i, delay));
      urls.push_back(web_.url(target));
    }
    return urls;
  }

  void restart_redis_mid_run(const std::vector<std::string>& extra,
                             std::chrono::milliseconds outage);

  std::string key(const std::string& name) const { return cluster_ + ":" + name; }

  std::int64_t xlen(const std::string& name) const {
    return redis_->command("XLEN", key(name)).integer;
  }

  // Every node's stderr, for failure messages.
  std::string logs() const {
    std::string text;
    for (const auto& node : nodes_) {
      text += "--- node " + node->name() + " (" + std::to_string(node->processed()) +
              " processed)\n" + node->stderr_text();
    }
    return text;
  }

  // Reads client lines until count of them came (or the client stopped answering).
  static std::vector<std::string> read_lines(child_process& client, std::size_t count) {
    std::vector<std::string> lines;
    lines.reserve(count);
    while (lines.size() < count) {
      auto line = client.read_line(patience);
      if (!line) {
        break;
      }
      lines.push_back(std::move(*line));
    }
    return lines;
  }

  // Appends the rest of the client's output to lines.
  static void read_rest(child_process& client, std::vector<std::string>& lines) {
    for (auto& line : split_lines(client.read_rest(run_patience))) {
      lines.push_back(std::move(line));
    }
  }

  http_fixture web_;
  temp_dir files_;
  std::unique_ptr<redis_server> redis_;
  std::string cluster_;
  // Declared last: nodes are killed before Redis and the web fixture go.
  std::vector<std::unique_ptr<ClusterNode>> nodes_;
};

TEST_F(ClusterTest, TwoNodesShareTheWork) {
  const auto urls = add_pages(200, 20ms);
  const std::vector<std::string> options{
      "-w", "4", "-k", "2", "--per-host", "16", "--visibility-timeout", "2"};
  auto& a = start_node(options);
  auto& b = start_node(options);
  child_process client(WORDCRAWL_CLIENT_BIN, {"4", files_.write_lines("urls.txt", urls), "--port",
                                              std::to_string(a.port()), "--no-progress"});
  std::vector<std::string> lines;
  read_rest(client, lines);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text() << logs();
  expect_each_answered_once(urls, lines);

  // Progress lines are written after the answer is recorded: wait for the last of them.
  EXPECT_TRUE(eventually([&] { return a.processed() + b.processed() == urls.size(); }, patience))
      << logs();
  EXPECT_GT(a.processed(), 0U) << logs();
  EXPECT_GT(b.processed(), 0U) << "node B took no work\n" << logs();
  RecordProperty("node_a_processed", static_cast<int>(a.processed()));
  RecordProperty("node_b_processed", static_cast<int>(b.processed()));
  EXPECT_EQ(xlen("work"), 0);
  EXPECT_EQ(redis_->command("GET", key("processed")).str, std::to_string(urls.size()));
}

TEST_F(ClusterTest, KillingAWorkingNodeLosesNothing) {
  const auto urls = add_pages(1000, 25ms);
  const std::vector<std::string> options{
      "-w", "4", "-k", "2", "--per-host", "16", "--visibility-timeout", "1"};
  auto& a = start_node(options);
  auto& b = start_node(options);
  auto& c = start_node(options);
  child_process client(WORDCRAWL_CLIENT_BIN, {"4", files_.write_lines("urls.txt", urls), "--port",
                                              std::to_string(a.port()), "--no-progress"});
  ASSERT_TRUE(eventually([&] { return b.processed() >= 20; }, patience)) << logs();
  b.signal(SIGKILL);
  ASSERT_EQ(b.wait(patience), 128 + SIGKILL);
  const auto b_processed = b.processed();

  std::vector<std::string> lines;
  read_rest(client, lines);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text() << logs();
  expect_each_answered_once(urls, lines);
  EXPECT_LT(b_processed, urls.size() / 2) << "B was killed early on";
  const auto reclaimed = [&](const ClusterNode& node) {
    return node.stderr_text().find("cluster: reclaimed ") != std::string::npos;
  };
  EXPECT_TRUE(reclaimed(a) || reclaimed(c)) << logs();
  EXPECT_TRUE(eventually([&] { return xlen("work") == 0; }, patience)) << logs();
  // Each URL was one request (the client never reconnected): the cluster counted each once.
  EXPECT_EQ(redis_->command("GET", key("processed")).str, std::to_string(urls.size()));
}

TEST_F(ClusterTest, KillingTheClientsNodeLosesNothing) {
  const auto urls = add_pages(300, 20ms);
  const std::vector<std::string> options{
      "-w", "4", "-k", "2", "--per-host", "16", "--visibility-timeout", "1", "--node-ttl", "2"};
  auto& a = start_node(options);
  auto& b = start_node(options);
  child_process client(WORDCRAWL_CLIENT_BIN, {"1", files_.write_lines("urls.txt", urls),
                                              "--servers", a.address() + "," + b.address(),
                                              "--reconnect-delay", "0.05", "--no-progress"});
  auto lines = read_lines(client, 60);
  ASSERT_EQ(lines.size(), 60U) << client.stderr_text() << logs();
  a.signal(SIGKILL);
  ASSERT_EQ(a.wait(patience), 128 + SIGKILL);

  read_rest(client, lines);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text() << logs();
  expect_each_answered_once(urls, lines);
  EXPECT_NE(client.stderr_text().find("trying " + b.address()), std::string::npos)
      << client.stderr_text();
  EXPECT_TRUE(eventually([&] { return xlen("work") == 0; }, patience)) << logs();
}

// SIGTERM to the client's node: it answers, through the cluster, every URL it had read (other
// nodes work them during its grace period), exits 0, and the client moves on to the other node
// for the rest. Nothing is answered "shutting down" and nothing twice.
TEST_F(ClusterTest, AStoppingNodeAnswersWhatItReadThroughTheCluster) {
  const auto urls = add_pages(150, 50ms);
  const std::vector<std::string> options{
      "-w", "2", "-k", "2", "--per-host", "16", "--grace", "60", "--visibility-timeout", "2"};
  auto& a = start_node(options);
  auto& b = start_node(options);
  child_process client(
      WORDCRAWL_CLIENT_BIN,
      {"1", files_.write_lines("urls.txt", urls), "--servers", a.address() + "," + b.address(),
       "--window", "32", "--reconnect-delay", "0.05", "--no-progress"});
  auto lines = read_lines(client, 20);
  ASSERT_EQ(lines.size(), 20U) << client.stderr_text() << logs();
  a.signal(SIGTERM);
  EXPECT_EQ(a.wait(run_patience), 0) << logs();
  read_rest(client, lines);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text() << logs();
  expect_each_answered_once(urls, lines);
  EXPECT_GT(b.processed(), 0U) << logs();
  EXPECT_TRUE(eventually([&] { return xlen("work") == 0; }, patience)) << logs();
}

// Redis is SIGKILLed (it fsyncs every write) with about 240 of 300 URLs in flight, and comes
// back on the same port: the nodes reconnect by themselves, redo what was not recorded, and each
// URL is answered once. outage is how long Redis stays down after both nodes noticed.
void ClusterTest::restart_redis_mid_run(const std::vector<std::string>& extra,
                                        std::chrono::milliseconds outage) {
  const auto urls = add_pages(300, 20ms);
  std::vector<std::string> options{"-w", "4", "-k", "2", "--per-host", "16", "--visibility-timeout",
                                   "2"};
  options.insert(options.end(), extra.begin(), extra.end());
  auto& a = start_node(options);
  auto& b = start_node(options);
  // A reply timeout shorter than the test's patience: a URL the cluster lost would otherwise
  // be rescued, unnoticed, by the client resending it after 120 s.
  child_process client(WORDCRAWL_CLIENT_BIN,
                       {"4", files_.write_lines("urls.txt", urls), "--port",
                        std::to_string(a.port()), "--no-progress", "--reply-timeout", "20"});
  auto lines = read_lines(client, 60);
  ASSERT_EQ(lines.size(), 60U) << client.stderr_text() << logs();
  redis_->kill();
  // Both nodes notice (their next call fails) before Redis comes back.
  const auto noticed = [&](const ClusterNode& node) {
    return node.stderr_text().find("; retrying") != std::string::npos;
  };
  EXPECT_TRUE(eventually([&] { return noticed(a) && noticed(b); }, patience)) << logs();
  // Not a synchronisation: the outage itself is what the test varies.
  std::this_thread::sleep_for(outage);
  redis_->restart();

  const auto restarted = std::chrono::steady_clock::now();
  read_rest(client, lines);
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text() << logs();
  expect_each_answered_once(urls, lines);
  EXPECT_LT(std::chrono::steady_clock::now() - restarted, 20s)
      << "some URLs were answered only when the client sent them again after its reply "
         "timeout:\n"
      << client.stderr_text() << logs();
  EXPECT_NE(a.stderr_text().find("is reachable again"), std::string::npos) << logs();
  EXPECT_NE(b.stderr_text().find("is reachable again"), std::string::npos) << logs();
  EXPECT_TRUE(eventually([&] { return xlen("work") == 0; }, patience)) << logs();
  // A request redone after the restart is counted once: done:<request> says it was answered.
  EXPECT_EQ(redis_->command("GET", key("processed")).str, std::to_string(urls.size())) << logs();
  // Both nodes still serve: a second client's URLs are answered after the restart.
  const std::vector<std::string> more(urls.begin(), urls.begin() + 20);
  child_process second(WORDCRAWL_CLIENT_BIN, {"2", files_.write_lines("more.txt", more), "--port",
                                              std::to_string(b.port()), "--no-progress"});
  auto more_lines = split_lines(second.read_rest(run_patience));
  EXPECT_EQ(second.wait(patience), 0) << second.stderr_text() << logs();
  expect_each_answered_once(more, more_lines);
}

TEST_F(ClusterTest, RedisRestartLosesNothingAcknowledged) {
  restart_redis_mid_run({}, 0ms);
}

// Down for longer than the leases (2 s) and the node keys (1 s) live: after the restart every
// claimed entry looks abandoned and each node finds its key gone, so it submits everything it
// waits for again; the answers are still given once.
TEST_F(ClusterTest, RedisDownLongerThanLeasesLosesNothing) {
  restart_redis_mid_run({"--node-ttl", "1"}, 3s);
  for (const auto& node : nodes_) {
    EXPECT_NE(node->stderr_text().find("this node's key was gone from Redis"), std::string::npos)
        << logs();
  }
}

TEST_F(ClusterTest, PerHostLimitHoldsAcrossNodes) {
  // One URL sent 60 times: the fixture counts responses in progress per target, so its
  // max_in_flight is the peak of concurrent fetches of the host across the whole cluster.
  http_route slow = slow_page(0, 50ms);
  web_.add("/slow", slow);
  const std::vector<std::string> urls(60, web_.url("/slow"));
  const std::vector<std::string> options{
      "-w", "6", "-k", "2", "--per-host", "2", "--visibility-timeout", "2"};
  auto& a = start_node(options);
  auto& b = start_node(options);
  auto& c = start_node(options);
  child_process client(WORDCRAWL_CLIENT_BIN, {"4", files_.write_lines("urls.txt", urls), "--port",
                                              std::to_string(a.port()), "--no-progress"});
  const auto lines = split_lines(client.read_rest(run_patience));
  EXPECT_EQ(client.wait(patience), 0) << client.stderr_text() << logs();
  const auto answers = answers_by_url(lines);
  ASSERT_EQ(answers.size(), 1U);
  const auto& all = answers.begin()->second;
  EXPECT_EQ(all.size(), urls.size());
  EXPECT_EQ(std::count(all.begin(), all.end(), expected_answer(0)),
            static_cast<std::ptrdiff_t>(urls.size()));

  const auto seen = web_.stats("/slow");
  EXPECT_EQ(seen.requests, urls.size());
  EXPECT_LE(seen.max_in_flight, 2U) << logs();
  EXPECT_EQ(seen.max_in_flight, 2U) << "the limit was reached, so it was tested";
  EXPECT_TRUE(eventually(
      [&] { return a.processed() + b.processed() + c.processed() == urls.size(); }, patience))
      << logs();
  const int busy_nodes = static_cast<int>(a.processed() > 0) + static_cast<int>(b.processed() > 0) +
                         static_cast<int>(c.processed() > 0);
  EXPECT_GE(busy_nodes, 2) << "the limit held across nodes, not within one\n" << logs();
}

// A URL is taken by one node, which then stops renewing it (SIGSTOP: it is frozen mid-fetch, as
// a node that hangs or is cut off). With --max-tries 1 the other node does not take it again but
// answers "gave up" and keeps it in NAME:dead; the frozen node, resumed, finishes its fetch
// late, and that answer is not sent a second time.
TEST_F(ClusterTest, AUrlTakenTooOftenIsGivenUp) {
  http_route hang;
  hang.headers = {{"Content-Type", "text/html"}};
  hang.pieces = {"<p>never "};
  hang.content_length = 1000;  // the body never ends: the fetch lasts until --timeout
  hang.end = http_route::ending::hang;
  web_.add("/hang", hang);
  const std::vector<std::string> options{
      "-w", "2", "--max-tries", "1", "--visibility-timeout", "1", "--timeout", "3"};
  auto& a = start_node(options);
  auto& b = start_node(options);
  const auto url = web_.url("/hang");
  child_process client(WORDCRAWL_CLIENT_BIN, {"1", files_.write_lines("urls.txt", {url}), "--port",
                                              std::to_string(a.port()), "--no-progress"});
  ASSERT_TRUE(web_.wait_for_requests("/hang", 1, patience)) << logs();
  // The node whose consumer holds the entry: either may have taken it.
  const auto pending = redis_->command("XPENDING", key("work"), "workers", "-", "+", "10");
  ASSERT_EQ(pending.elements.size(), 1U) << pending.to_string();
  ASSERT_GE(pending.elements[0].elements.size(), 2U) << pending.to_string();
  const auto holder_name = pending.elements[0].elements[1].str;
  ClusterNode* holder = holder_name == a.name() ? &a : holder_name == b.name() ? &b : nullptr;
  ASSERT_NE(holder, nullptr) << holder_name << " is neither node\n" << logs();
  holder->signal(SIGSTOP);
  const bool given_up = eventually([&] { return xlen("dead") == 1; }, patience);
  holder->signal(SIGCONT);
  ASSERT_TRUE(given_up) << logs();

  const auto lines = split_lines(client.read_rest(patience));
  EXPECT_EQ(client.wait(patience), 1) << client.stderr_text() << logs();
  ASSERT_EQ(lines.size(), 1U) << client.stderr_text();
  EXPECT_EQ(lines[0].rfind(url + ": error: gave up after 1 tries", 0), 0U) << lines[0];
  const auto dead = redis_->command("XRANGE", key("dead"), "-", "+");
  EXPECT_NE(dead.to_string().find(url), std::string::npos) << dead.to_string();
  EXPECT_NE(dead.to_string().find(holder_name), std::string::npos) << dead.to_string();

  // The resumed holder's fetch times out (--timeout 3): one progress line, and one more on
  // the client's node for the "gave up" answer it handed over. That late answer is not
  // counted as one the cluster gave, and the queue is empty.
  RecordProperty("holder", holder == &a ? "client's node" : "other node");
  const std::size_t lines_expected = holder == &a ? 2 : 1;
  EXPECT_TRUE(eventually([&] { return holder->processed() == lines_expected; }, patience))
      << logs();
  EXPECT_EQ(a.processed() + b.processed(), 2U) << logs();
  EXPECT_EQ(redis_->command("GET", key("processed")).type, redis_reply::kind::nil)
      << redis_->command("GET", key("processed")).to_string();
  EXPECT_EQ(xlen("work"), 0);
}

TEST(ClusterCli, ABadRedisUrlIsAUsageError) {
  child_process server(WORDCRAWL_SERVER_BIN, {"--port", "0", "--redis", "http://127.0.0.1:6379"});
  server.read_rest(patience);
  EXPECT_EQ(server.wait(patience), 2) << server.stderr_text();
  EXPECT_NE(server.stderr_text().find("--redis"), std::string::npos) << server.stderr_text();
}

TEST(ClusterCli, AnUnreachableRedisEndsTheServer) {
  // Port 9 (discard) has no listener on a test machine; connecting is refused at once.
  const auto started = std::chrono::steady_clock::now();
  child_process server(WORDCRAWL_SERVER_BIN, {"--port", "0", "--redis", "redis://127.0.0.1:9"});
  const auto output = server.read_rest(patience);
  EXPECT_EQ(server.wait(patience), 1) << server.stderr_text();
  EXPECT_NE(server.stderr_text().find("cannot join the cluster"), std::string::npos)
      << server.stderr_text();
  EXPECT_EQ(output.find("listening on"), std::string::npos) << output;
  EXPECT_LT(std::chrono::steady_clock::now() - started, 10s);
}

}  // namespace
}  // namespace wordcrawl::testing
