#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include "cluster/cluster_options.hpp"
#include "fetch/page_fetcher.hpp"
#include "network/link_options.hpp"
#include "network/request_settings.hpp"
#include "network/session_limits.hpp"
#include "wordcrawl/defaults.hpp"

namespace wordcrawl {

/// Everything the server can be told on its command line.
struct server_options {
  std::size_t workers = 8;
  std::size_t top_k = 10;
  /// What a request may ask for and what it gets when it asks nothing (top_k is its k).
  request_defaults words;
  std::string host = "127.0.0.1";
  std::uint16_t port = default_port;  // 0 picks a free port
  std::size_t queue = 256;            // jobs waiting for a worker, all clients together
  std::size_t per_host = 4;           // fetches of one host started and not finished (0: no limit)
  std::size_t max_clients = 1024;
  /// --max-clients was given; otherwise the binary lowers max_clients to what the limit on
  /// open files leaves beside the workers.
  bool max_clients_given = false;
  session_limits limits;
  /// Reply bytes all sessions together may hold: queued, being written, or reserved for a job
  /// in flight (each reserves the longest reply, max_reply_bytes).
  std::size_t max_unsent_bytes = std::size_t{64} << 20;
  /// After a stop request, how long workers keep fetching what is queued.
  std::chrono::milliseconds grace{10000};
  /// How often the rate line is written to the error stream.
  std::chrono::milliseconds rate_interval{10000};
  /// SIGINT, SIGTERM and SIGHUP stop the server (the binary sets it; tests do not).
  bool handle_signals = false;
  /// Limits and address policy of every fetch.
  fetch_options fetch;
  /// The cluster this node joins (--redis); without it the node works alone.
  cluster_options cluster;
  /// Tokens, protected mode, TLS and per-address quotas of the clients' link.
  link_options link;
  /// --status-port: also serve /metrics, /status and a live page over HTTP (0 picks a free
  /// port); off when empty. The same tokens and protected mode as the link guard it.
  std::optional<std::uint16_t> status_port;
  /// --status-host: the address the status port listens on.
  std::string status_host = "127.0.0.1";
};

/// The result of reading the command line: options to run with, or an exit code when the
/// program should end at once (0 after --help or --version, 2 after a usage error).
struct parsed_options {
  std::optional<server_options> options;
  int exit_code = 0;
};

/// Reads the command line; help and version go to out, usage errors to err.
parsed_options parse_server_options(int argc, const char* const* argv, std::ostream& out,
                                    std::ostream& err);

}  // namespace wordcrawl
