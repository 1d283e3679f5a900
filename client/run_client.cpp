#include "run_client.hpp"

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <fstream>
#include <memory>
#include <mutex>
#include <ostream>
#include <stop_token>
#include <string>
#include <system_error>
#include <thread>
#include <unistd.h>
#include <variant>
#include <vector>

#include "answer_printer.hpp"
#include "client_tls.hpp"
#include "client_worker.hpp"
#include "console.hpp"
#include "progress.hpp"
#include "tally.hpp"
#include "thread_board.hpp"
#include "url_source.hpp"

namespace wordcrawl {
namespace {

// Unanswered URLs listed one by one on stderr; past that only their number is given, so a
// long input and an unreachable server do not bury the terminal.
constexpr std::uint64_t listed_unanswered = 10;

void run_workers(worker_shared& shared, int count) {
  std::vector<std::unique_ptr<client_worker>> workers;
  workers.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    workers.push_back(std::make_unique<client_worker>(shared, static_cast<std::size_t>(i)));
  }
  std::vector<std::jthread> threads;
  threads.reserve(workers.size());
  for (auto& worker : workers) {
    threads.emplace_back([&worker, &shared] { worker->run(shared.stop.get_token()); });
  }
}

// The output failed: EPIPE means the reader has all it wanted (`| head`), so end quietly.
int output_failed(const answer_printer& printer, console& log) {
  if (printer.error_number() == EPIPE) {
    return exit_all_answered;
  }
  const auto reason = std::error_code(printer.error_number(), std::generic_category()).message();
  log.line("cannot write results: " + reason);
  return exit_cannot_run;
}

// The per-thread view changes without answers (a thread reconnecting, waiting out a backoff),
// so it is redrawn on a timer as well; progress::update keeps to its interval.
std::jthread redraw_timer(progress& bar, const tally& counts) {
  if (!bar.per_thread()) {
    return {};
  }
  return std::jthread([&bar, &counts](const std::stop_token& token) {
    std::mutex mutex;
    std::condition_variable_any tick;
    std::unique_lock lock(mutex);
    while (!tick.wait_for(lock, token, progress::redraw_interval,
                          [&token] { return token.stop_requested(); })) {
      bar.update(counts, progress::clock::now());
    }
  });
}

std::vector<std::string> server_names(const client_options& options) {
  std::vector<std::string> names;
  for (const auto& server : servers_to_use(options)) {
    names.push_back(format_server(server));
  }
  return names;
}

int exit_code_for(const tally_snapshot& counts) {
  if (counts.unanswered > 0) {
    return exit_cannot_run;
  }
  return counts.failed > 0 ? exit_some_errors : exit_all_answered;
}

}  // namespace

int run_client(const client_options& options, std::istream& in, std::ostream& out,
               std::ostream& err) {
  const auto start = progress::clock::now();
  std::ifstream file;
  if (options.file != "-") {
    file.open(options.file, std::ios::binary);
    if (!file) {
      const auto reason = std::error_code(errno, std::generic_category()).message();
      err << "cannot open " << options.file << ": " << reason << '\n';
      return exit_cannot_run;
    }
  }
  std::shared_ptr<boost::asio::ssl::context> tls;
  if (options.tls) {
    auto made = make_client_tls(options.tls_ca);
    if (auto* error = std::get_if<std::string>(&made)) {
      err << "cannot set up TLS: " << *error << '\n';
      return exit_cannot_run;
    }
    tls = std::get<0>(std::move(made));
  }
  std::optional<std::uint64_t> total;
  if (options.progress && options.file != "-") {
    total = count_urls_in_file(options.file);
  }
  console log(err);
  tally counts;
  thread_board board(static_cast<std::size_t>(options.threads), server_names(options),
                     options.window);
  const bool per_thread = options.progress_style == progress_view::threads;
  progress bar(log, options.progress, total, start, per_thread ? &board : nullptr,
               options.progress_in_place);
  answer_printer printer(out, options.json);
  const bool from_stdin = options.file == "-";
  url_source source(from_stdin ? in : file, max_line_bytes, from_stdin ? STDIN_FILENO : -1);
  std::stop_source stop;
  std::atomic<std::uint64_t> unanswered{0};
  std::atomic<bool> run_failed{false};
  worker_shared shared{options,
                       source,
                       printer,
                       counts,
                       bar,
                       board,
                       log,
                       stop,
                       [&](const std::string& url) {
    counts.record_unanswered();
    if (++unanswered <= listed_unanswered) {
      log.line("unanswered: " + url);
    }
                       },
                       [&](const std::string& why) {
    log.line_once("fatal", why);
    run_failed = true;
    stop.request_stop();
  },
      tls.get()};
  {
    const auto timer = redraw_timer(bar, counts);
    run_workers(shared, options.threads);
  }
  if (printer.failed()) {
    return output_failed(printer, log);
  }
  if (run_failed) {
    return exit_cannot_run;  // the reason is on stderr; retrying would not change it
  }
  // Every worker gave up on the server: what is left of the input was never sent.
  while (auto line = source.next()) {
    shared.report_unanswered(line->url);
  }
  if (unanswered > listed_unanswered) {
    log.line("... and " + std::to_string(unanswered - listed_unanswered) + " more unanswered");
  }
  const auto now = progress::clock::now();
  bar.finish(counts, now);
  const auto snapshot = counts.snapshot();
  log.line(format_summary(snapshot, now - start));
  if (const auto error = source.error(); !error.empty()) {
    // The URLs read before the error were answered; the rest of the input never was.
    log.line("cannot read " + (from_stdin ? std::string("standard input") : options.file) + ": " +
             error);
    return exit_cannot_run;
  }
  return exit_code_for(snapshot);
}

}  // namespace wordcrawl
