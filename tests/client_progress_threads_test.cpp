// The per-thread progress view (--progress threads): its table, its redraws, its options, and
// the real client drawing it against the fake server.

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "client_options.hpp"
#include "console.hpp"
#include "progress.hpp"
#include "run_client.hpp"
#include "support/fake_line_server.hpp"
#include "support/temp_dir.hpp"
#include "support/text_lines.hpp"
#include "tally.hpp"
#include "thread_board.hpp"

namespace wordcrawl::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::chrono_literals;

constexpr std::string_view header_line =
    "thread  server          state         window  answers  errors  reconnects";

std::vector<thread_view> two_threads() {
  return {
      {0, "127.0.0.1:7070", thread_state::waiting, 3, 16, 120, 0, 0},
      {1, "127.0.0.1:7071", thread_state::reconnecting, 0, 16, 4, 1, 12},
  };
}

TEST(ThreadTable, AlignsEveryColumnUnderItsHeader) {
  EXPECT_THAT(
      format_thread_table(two_threads()),
      ElementsAre(header_line,
                  "     0  127.0.0.1:7070  waiting         3/16      120       0           0",
                  "     1  127.0.0.1:7071  reconnecting    0/16        4       1          12"));
}

TEST(ThreadTable, WidensColumnsForLongValues) {
  const std::vector<thread_view> rows{
      {12, "[2001:db8::7]:7070", thread_state::done, 0, 100000, 1234567, 0, 0}};
  EXPECT_THAT(
      format_thread_table(rows),
      ElementsAre("thread  server              state    window  answers  errors  reconnects",
                  "    12  [2001:db8::7]:7070  done   0/100000  1234567       0           0"));
}

TEST(ThreadTable, NamesEveryState) {
  EXPECT_EQ(to_string(thread_state::connecting), "connecting");
  EXPECT_EQ(to_string(thread_state::sending), "sending");
  EXPECT_EQ(to_string(thread_state::waiting), "waiting");
  EXPECT_EQ(to_string(thread_state::reconnecting), "reconnecting");
  EXPECT_EQ(to_string(thread_state::done), "done");
}

TEST(ThreadProgressFormat, EndsWithTheTotalsLine) {
  tally_snapshot counts;
  counts.ok = 123;
  counts.failed = 1;
  const auto lines = format_thread_progress(two_threads(), counts, 200, 10s);
  ASSERT_EQ(lines.size(), 4U);
  EXPECT_EQ(lines.front(), header_line);
  EXPECT_EQ(lines.back(), "[124/200 62%] 12.4 URLs/s, 1 errors, ETA 0:06");
}

TEST(ThreadBoard, KeepsEachThreadsFacts) {
  thread_board board(3, {"a:1", "b:2"}, 8);
  board.set_state(1, thread_state::sending);
  board.set_in_flight(1, 5);
  board.add_answer(1, false);
  board.add_answer(1, true);
  board.add_given_up(2, 3);
  board.add_reconnect(2);
  board.set_server(2, 1);
  const auto rows = board.snapshot();
  ASSERT_EQ(rows.size(), 3U);
  EXPECT_EQ(rows[0].server, "a:1");  // thread i starts on server i % n
  EXPECT_EQ(rows[0].state, thread_state::connecting);
  EXPECT_EQ(rows[1].server, "b:2");
  EXPECT_EQ(rows[1].state, thread_state::sending);
  EXPECT_EQ(rows[1].in_flight, 5U);
  EXPECT_EQ(rows[1].window, 8U);
  EXPECT_EQ(rows[1].answers, 2U);
  EXPECT_EQ(rows[1].errors, 1U);
  EXPECT_EQ(rows[2].server, "b:2");
  EXPECT_EQ(rows[2].answers, 0U);
  EXPECT_EQ(rows[2].errors, 3U);
  EXPECT_EQ(rows[2].reconnects, 1U);
}

TEST(ConsoleBlock, RedrawsInPlaceAndADiagnosticErasesIt) {
  std::ostringstream err;
  console log(err);
  log.status_block({"a", "b", "c"});
  log.status_block({"d", "e"});
  log.line("note");
  log.status_block({"f"});
  log.end_status();
  EXPECT_EQ(err.str(),
            "\r\x1b[Ka\n\x1b[Kb\n\x1b[Kc"      // first block: drawn where the cursor is
            "\r\x1b[2A\x1b[J\x1b[Kd\n\x1b[Ke"  // up over the two other lines, erase, redraw
            "\r\x1b[1A\x1b[Jnote\n"            // the diagnostic replaces the block
            "\r\x1b[Kf\n");                    // a fresh block below it, ended
}

TEST(ThreadProgress, AppendsAtMostOneBlockASecondWithoutATerminal) {
  std::ostringstream err;
  console log(err);
  tally counts;
  const thread_board board(2, {"127.0.0.1:7070"}, 4);
  const auto start = progress::clock::now();
  progress bar(log, true, 100, start, &board, false);
  for (int i = 0; i < 25; ++i) {
    counts.record_ok();
    bar.update(counts, start + i * 100ms);  // 2.5 s of updates, every 100 ms
  }
  EXPECT_EQ(occurrences(err.str(), header_line.substr(0, 20)), 3U);  // at 0, 1 and 2 s
  EXPECT_EQ(occurrences(err.str(), "\x1b"), 0U);
  EXPECT_EQ(occurrences(err.str(), "\r"), 0U);
  bar.finish(counts, start + 2600ms);
  EXPECT_EQ(occurrences(err.str(), header_line.substr(0, 20)), 4U);  // the final one, always
  EXPECT_THAT(err.str(), HasSubstr("[25/100 25%]"));
}

TEST(ThreadProgress, RedrawsInPlaceAtMostTenTimesASecondOnATerminal) {
  std::ostringstream err;
  console log(err);
  tally counts;
  const thread_board board(2, {"127.0.0.1:7070"}, 4);
  const auto start = progress::clock::now();
  progress bar(log, true, 100, start, &board, true);
  EXPECT_TRUE(bar.per_thread());
  for (int i = 0; i < 50; ++i) {
    counts.record_ok();
    bar.update(counts, start + i * 10ms);  // 500 ms of updates, every 10 ms
  }
  // Four lines a block (header, two threads, totals): every redraw but the first moves up 3.
  EXPECT_EQ(occurrences(err.str(), "\x1b[3A"), 4U);
  EXPECT_EQ(occurrences(err.str(), header_line.substr(0, 20)), 5U);
}

TEST(ThreadProgress, TheLineViewIsNotPerThread) {
  std::ostringstream err;
  console log(err);
  const progress bar(log, true, 100, progress::clock::now());
  EXPECT_FALSE(bar.per_thread());
}

// --- options ---

struct parsed {
  parse_outcome outcome;
  std::string err;
};

// The test binary itself always exists, so it serves as the URL file.
const char* const existing_file = "/proc/self/exe";

parsed parse(std::vector<const char*> args, bool terminal = false) {
  args.insert(args.begin(), "client");
  std::ostringstream out;
  std::ostringstream err;
  auto outcome = parse_client_options(args, terminal, out, err);
  return {std::move(outcome), err.str()};
}

TEST(ProgressThreadsOption, PicksThePerThreadView) {
  for (const auto* form : {"--progress threads", "--progress=threads"}) {
    SCOPED_TRACE(form);
    const auto result = std::string(form) == "--progress threads"
                            ? parse({"2", existing_file, "--progress", "threads"})
                            : parse({"2", existing_file, "--progress=threads"});
    ASSERT_TRUE(result.outcome.options) << result.err;
    EXPECT_TRUE(result.outcome.options->progress);
    EXPECT_EQ(result.outcome.options->progress_style, progress_view::threads);
    EXPECT_FALSE(result.outcome.options->progress_in_place);  // stderr is no terminal here
  }
}

TEST(ProgressThreadsOption, RedrawsInPlaceOnlyOnATerminal) {
  const auto result = parse({"2", existing_file, "--progress", "threads"}, true);
  ASSERT_TRUE(result.outcome.options) << result.err;
  EXPECT_TRUE(result.outcome.options->progress_in_place);
}

TEST(ProgressThreadsOption, BareProgressIsStillTheLine) {
  for (const bool terminal : {false, true}) {
    const auto result = parse({"2", existing_file, "--progress"}, terminal);
    ASSERT_TRUE(result.outcome.options) << result.err;
    EXPECT_TRUE(result.outcome.options->progress);
    EXPECT_EQ(result.outcome.options->progress_style, progress_view::line);
  }
  const auto named = parse({"2", existing_file, "--progress", "line"});
  ASSERT_TRUE(named.outcome.options) << named.err;
  EXPECT_TRUE(named.outcome.options->progress);
  EXPECT_EQ(named.outcome.options->progress_style, progress_view::line);
}

TEST(ProgressThreadsOption, APositionalAfterBareProgressIsStillPositional) {
  const auto result = parse({"--progress", "3", existing_file});
  ASSERT_TRUE(result.outcome.options) << result.err;
  EXPECT_TRUE(result.outcome.options->progress);
  EXPECT_EQ(result.outcome.options->threads, 3);
  EXPECT_EQ(result.outcome.options->file, existing_file);
  EXPECT_EQ(result.outcome.options->progress_style, progress_view::line);
}

TEST(ProgressThreadsOption, NoProgressAndTheDefaultAreUnchanged) {
  const auto off = parse({"2", existing_file, "--no-progress"}, true);
  ASSERT_TRUE(off.outcome.options) << off.err;
  EXPECT_FALSE(off.outcome.options->progress);
  const auto last_wins = parse({"2", existing_file, "--progress", "threads", "--no-progress"});
  ASSERT_TRUE(last_wins.outcome.options) << last_wins.err;
  EXPECT_FALSE(last_wins.outcome.options->progress);
  for (const bool terminal : {false, true}) {
    const auto result = parse({"2", existing_file}, terminal);
    ASSERT_TRUE(result.outcome.options) << result.err;
    EXPECT_EQ(result.outcome.options->progress, terminal);
    EXPECT_EQ(result.outcome.options->progress_style, progress_view::line);
  }
}

TEST(ProgressThreadsOption, ABadViewIsAClearUsageError) {
  for (const auto& args : {std::vector<const char*>{"2", existing_file, "--progress", "bars"},
                           std::vector<const char*>{"2", existing_file, "--progress=bars"},
                           std::vector<const char*>{"2", existing_file, "--progress="}}) {
    const auto result = parse(args);
    EXPECT_FALSE(result.outcome.options);
    EXPECT_EQ(result.outcome.exit_code, exit_cannot_run);
    EXPECT_THAT(result.err, HasSubstr("--progress: unknown view"));
    EXPECT_THAT(result.err, HasSubstr("(expected line or threads)"));
  }
  EXPECT_THAT(parse({"2", existing_file, "--progress", "bars"}).err,
              StartsWith("--progress: unknown view \"bars\" (expected line or threads)\n"));
}

// --- the real client against the fake server ---

class ClientProgressThreadsTest : public ::testing::Test {
 protected:
  struct outcome {
    int code = -1;
    std::string out;
    std::string err;
  };

  client_options options_for(std::size_t urls, int threads, bool in_place) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < urls; ++i) {
      lines.push_back("http://example.test/page/" + std::to_string(i));
    }
    urls_ = lines;
    auto options = client_options{.threads = threads,
                                  .file = files_.write_lines("urls.txt", lines),
                                  .port = server_.port(),
                                  .window = 4,
                                  .progress = true,
                                  .progress_style = progress_view::threads,
                                  .progress_in_place = in_place,
                                  .connect_timeout = 5s,
                                  .reply_timeout = 20s,
                                  .reconnect_attempts = 3,
                                  .reconnect_delay = 1ms};
    return options;
  }

  static outcome run(const client_options& options) {
    std::istringstream in;
    std::ostringstream out;
    std::ostringstream err;
    outcome result;
    result.code = run_client(options, in, out, err);
    result.out = out.str();
    result.err = err.str();
    return result;
  }

  // The rows of the last block drawn: the lines after its header, up to the totals line. The
  // header's widths depend on the port, so only its start is looked for.
  static std::vector<std::string> final_rows(const std::string& err, std::string* totals) {
    const auto header = err.rfind("thread  server");
    if (header == std::string::npos) {
      return {};
    }
    auto lines = split_lines(err.substr(header));
    std::vector<std::string> rows;
    for (std::size_t i = 1; i < lines.size(); ++i) {
      auto& line = lines[i];
      line.erase(0, line.starts_with("\x1b[K") ? 3 : 0);
      if (line.starts_with("[")) {
        *totals = line;
        break;
      }
      rows.push_back(line);
    }
    return rows;
  }

  // The fields of a row, split at runs of spaces.
  static std::vector<std::string> fields(const std::string& row) {
    std::istringstream in(row);
    std::vector<std::string> words;
    for (std::string word; in >> word;) {
      words.push_back(word);
    }
    return words;
  }

  std::vector<std::string> sorted_answer_lines() const {
    std::vector<std::string> lines;
    for (const auto& url : urls_) {
      lines.push_back(url + R"(: {"w": 10, "x": 5})");
    }
    std::sort(lines.begin(), lines.end());
    return lines;
  }

  // Checks that every thread's final row says done with nothing in flight and no error, and
  // that its answers match what the server got on that thread's one connection.
  void expect_final_rows(const outcome& result, int threads) const {
    std::string totals;
    const auto rows = final_rows(result.err, &totals);
    ASSERT_EQ(rows.size(), static_cast<std::size_t>(threads)) << result.err;
    EXPECT_THAT(totals, StartsWith("[" + std::to_string(urls_.size()) + "/" +
                                   std::to_string(urls_.size()) + " 100%]"));
    std::vector<std::uint64_t> answers;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto row = fields(rows[i]);
      ASSERT_EQ(row.size(), 7U) << rows[i];
      EXPECT_EQ(row[0], std::to_string(i));
      EXPECT_EQ(row[1], "127.0.0.1:" + std::to_string(server_.port()));
      EXPECT_EQ(row[2], "done");
      EXPECT_EQ(row[3], "0/4");
      EXPECT_EQ(row[5], "0") << "errors";
      EXPECT_EQ(row[6], "0") << "reconnects";
      if (const auto count = std::stoull(row[4]); count > 0) {  // a thread may get no URL
        answers.push_back(count);
      }
    }
    std::vector<std::uint64_t> per_connection;
    for (const auto& lines : server_.lines_by_connection()) {
      per_connection.push_back(lines.size());
    }
    std::sort(answers.begin(), answers.end());
    std::sort(per_connection.begin(), per_connection.end());
    EXPECT_EQ(answers, per_connection);
    // Answers go to stdout only, exactly one per URL, never mixed with the view.
    auto out = split_lines(result.out);
    std::sort(out.begin(), out.end());
    EXPECT_EQ(out, sorted_answer_lines());
  }

  fake_line_server server_;
  temp_dir files_;
  std::vector<std::string> urls_;
};

TEST_F(ClientProgressThreadsTest, ShowsEveryThreadsFinalLineWithoutATerminal) {
  const auto result = run(options_for(60, 3, false));
  EXPECT_EQ(result.code, 0) << result.err;
  EXPECT_EQ(occurrences(result.err, "\x1b"), 0U);
  expect_final_rows(result, 3);
  EXPECT_THAT(result.err, HasSubstr("60 ok, 0 failed"));
}

TEST_F(ClientProgressThreadsTest, RedrawsInPlaceOnATerminal) {
  const auto result = run(options_for(60, 3, true));
  EXPECT_EQ(result.code, 0) << result.err;
  // Five lines a block: the first answer draws one, the end redraws it over the first.
  EXPECT_THAT(result.err, HasSubstr("\r\x1b[4A\x1b[J"));
  expect_final_rows(result, 3);
}

TEST_F(ClientProgressThreadsTest, CountsReconnectsAfterADrop) {
  server_.drop_connections_after(5);
  const auto result = run(options_for(20, 1, false));
  EXPECT_EQ(result.code, 0) << result.err;
  std::string totals;
  const auto rows = final_rows(result.err, &totals);
  ASSERT_EQ(rows.size(), 1U) << result.err;
  const auto row = fields(rows[0]);
  ASSERT_EQ(row.size(), 7U) << rows[0];
  EXPECT_EQ(row[2], "done");
  EXPECT_EQ(row[4], "20");
  EXPECT_EQ(row[6], "1") << "one reconnect after the drop";
  EXPECT_EQ(server_.connections(), 2U);
}

}  // namespace
}  // namespace wordcrawl::testing
