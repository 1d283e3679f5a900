#include "run_client.hpp"

#include <atomic>
#include <cerrno>
#include <fstream>
#include <memory>
#include <ostream>
#include <stop_token>
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
  progress bar(log, options.progress, total, start);
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
  run_workers(shared, options.threads);
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
