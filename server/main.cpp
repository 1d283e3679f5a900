// The wordcrawl server. Exit status: 0 after a graceful stop (and after --help or --version),
// 1 when it cannot start (address in use, libcurl failure), 2 for a usage error, and
// 128 + signal number when a second SIGINT, SIGTERM or SIGHUP cuts the graceful stop short.

#include <csignal>
#include <exception>
#include <iostream>
#include <optional>

#include "fetch/curl_global.hpp"
#include "fetch/curl_share_state.hpp"
#include "fetch/fetching_processor.hpp"
#include "network/fd_limit.hpp"
#include "network/server.hpp"
#include "server_options.hpp"

int main(int argc, char** argv) {
  const auto parsed = wordcrawl::parse_server_options(argc, argv, std::cout, std::cerr);
  if (!parsed.options) {
    return parsed.exit_code;
  }
  try {
    // A client that vanishes must cost an error code, never the process.
    if (std::signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
      std::cerr << "server: cannot ignore SIGPIPE\n";
      return 1;
    }
    const wordcrawl::curl_global curl;  // before any thread starts
    wordcrawl::curl_share_state shared;
    auto options = *parsed.options;
    options.handle_signals = true;
    // Every client costs a descriptor and so does every fetch: past the limit, accepts and
    // fetches would fail instead of clients being told the server is busy.
    const auto fd_limit = wordcrawl::raise_fd_limit();
    const auto fitting = wordcrawl::clients_for_fd_limit(fd_limit, options.workers);
    if (!options.max_clients_given && options.max_clients > fitting) {
      options.max_clients = fitting;
      std::cerr << "server: serving at most " << fitting << " clients (open files limit "
                << fd_limit << ")\n";
    }
    // Politeness is shared by every worker: one robots.txt verdict per site, one pace per host.
    std::optional<wordcrawl::robots_cache> robots;
    if (options.fetch.obey_robots) {
      robots.emplace();
    }
    std::optional<wordcrawl::host_pacer> pacer;
    if (options.fetch.delay.count() > 0 ||
        (options.fetch.obey_robots && options.fetch.max_crawl_delay.count() > 0)) {
      pacer.emplace(options.fetch.delay);
    }
    const wordcrawl::crawl_policy policy{robots ? &*robots : nullptr, pacer ? &*pacer : nullptr};
    wordcrawl::server server(
        options, wordcrawl::make_fetching_factory(options.fetch, shared, options.top_k, policy),
        std::cout, std::cerr, policy);
    // Scripts and tests read the port from this line, so it is flushed at once.
    std::cout << "listening on " << wordcrawl::to_string(server.local_endpoint()) << std::endl;
    if (const auto status = server.status_endpoint()) {
      std::cerr << "status on http://" << wordcrawl::to_string(*status) << "/" << std::endl;
    }
    if (const auto warning = server.exposure_warning(); !warning.empty()) {
      std::cerr << warning << '\n';
    }
    server.run();
  } catch (const std::exception& e) {
    std::cerr << "server: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
