#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wordcrawl/defaults.hpp"
#include "wordcrawl/request.hpp"

namespace wordcrawl {

/// Exit codes of the client, also listed by --help.
enum exit_code : int {
  exit_all_answered = 0,  // every URL answered with words
  exit_some_errors = 1,   // every URL answered, some with an error
  exit_cannot_run = 2,    // bad arguments, unreadable input, server unreachable, URLs unanswered,
                          // token refused (unauthorized), server certificate not verified
};

/// One server the client may use: a host (an IPv6 address without its brackets) and a port.
struct server_address {
  std::string host;
  std::uint16_t port = default_port;

  friend bool operator==(const server_address&, const server_address&) = default;
};

/// What --progress draws: the one progress line, or a line per thread above it.
enum class progress_view : std::uint8_t { line, threads };

/// Everything the command line decides, with the defaults a bare `client M FILE` gets.
struct client_options {
  int threads = 1;                                   // connections, one thread each
  std::string file;                                  // "-" is standard input
  std::string host = "127.0.0.1";                    // server address or name
  std::uint16_t port = default_port;                 // server port
  std::vector<server_address> servers{};             // --servers; empty: the one host:port
  std::size_t window = 16;                           // URLs in flight per connection
  bool json = false;                                 // print the server's lines unchanged
  bool progress = false;                             // progress bar on stderr
  progress_view progress_style{};                    // line; --progress threads: per thread too
  bool progress_in_place = true;                     // stderr is a terminal: redraw in place
  std::chrono::milliseconds connect_timeout{5000};   // per connection attempt
  std::chrono::milliseconds reply_timeout{120'000};  // silence before a connection counts as dead
  int reconnect_attempts = 5;                        // failed attempts in a row before giving up
  std::chrono::milliseconds reconnect_delay{250};    // first backoff, doubled per failure
  std::chrono::milliseconds busy_wait{60'000};       // retrying while the server is busy
  word_options_request words{};  // sent with every URL; empty: bare URL lines, as always
  std::string auth_token{};      // sent first on every connection; empty: no auth line
  bool tls = false;              // TLS to the server, its certificate verified
  std::string tls_ca{};          // CA file to verify it with; empty: the system's CAs
};

/// The environment variable that may hold the token instead of --auth-token-file.
inline constexpr const char* auth_token_variable = "WORDCRAWL_AUTH_TOKEN";

/// The outcome of parsing: options to run with, or an exit code when there is nothing to run.
struct parse_outcome {
  std::optional<client_options> options;  // set when the client should run
  int exit_code = exit_all_answered;      // meaningful when options is empty
};

/// "host:port" as messages name a server; an IPv6 address in brackets ("[::1]:7070").
std::string format_server(const server_address& server);

/// The result of parse_server_list(): the servers, or (servers empty) an error naming the entry.
struct server_list_outcome {
  std::vector<server_address> servers;
  std::string error;
};

/// Parses the value of --servers: comma-separated HOST:PORT entries, an IPv6 address in brackets
/// ("[::1]:7070"), spaces around an entry ignored; an entry without a port gets default_port.
server_list_outcome parse_server_list(std::string_view text);

/// The servers a run uses, in order: options.servers, or without it the one host:port.
std::vector<server_address> servers_to_use(const client_options& options);

/// Parses argv (argv[0] included). --help and --version print to out and yield exit code 0;
/// bad arguments print a message to err and yield exit_cannot_run. Without --progress or
/// --no-progress the bar is on only when stderr_is_terminal. `--progress line|threads` (or
/// `--progress=NAME`) picks the view; bare `--progress` is the line.
parse_outcome parse_client_options(std::span<const char* const> args, bool stderr_is_terminal,
                                   std::ostream& out, std::ostream& err);

}  // namespace wordcrawl
