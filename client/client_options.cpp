#include "client_options.hpp"

#include <algorithm>
#include <charconv>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <system_error>
#include <utility>

#include <CLI/CLI.hpp>
#include <boost/asio/ip/address_v6.hpp>

#include "wordcrawl/program_name.hpp"
#include "wordcrawl/protocol.hpp"

namespace wordcrawl {
namespace {

constexpr const char* exit_codes_text =
    "Exit codes:\n"
    "  0  every URL was answered with words\n"
    "  1  every URL was answered, some with an error\n"
    "  2  could not run: bad arguments, unreadable input, server unreachable or URLs "
    "left unanswered, token refused by the server (unauthorized), server certificate not "
    "verified (--tls)\n";

// "-" is standard input; anything else must name an existing file now, so that a typo fails
// before any connection is made.
std::string check_input(const std::string& path) {
  std::error_code ec;
  if (path == "-" || std::filesystem::exists(path, ec)) {
    return {};
  }
  return "no such file: " + path;
}

std::chrono::milliseconds to_millis(double seconds) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(seconds));
}

// Spaces around a list entry ("a:1, b:2") are a common way to write lists, not part of a name.
std::string_view trim_spaces(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) {
    return {};
  }
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// Why an entry of --servers is bad; the server it names otherwise.
struct entry_outcome {
  std::optional<server_address> server;
  std::string why;
};

entry_outcome bad_entry(std::string why) {
  return {std::nullopt, std::move(why)};
}

// The digits after "host:"; nothing if they are not a port number.
std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const char* const end = text.data() + text.size();
  const auto [stop, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || stop != end || value < 1 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

// ":PORT" or nothing (the default port) after the host.
entry_outcome with_port(std::string host, std::string_view rest) {
  if (rest.empty()) {
    return {server_address{std::move(host), default_port}, {}};
  }
  const auto port = parse_port(rest.substr(1));
  if (!port) {
    return bad_entry("the port must be a number from 1 to 65535");
  }
  return {server_address{std::move(host), *port}, {}};
}

// "[v6]" or "[v6]:PORT": the brackets keep the address's colons apart from the port's.
entry_outcome parse_bracketed(std::string_view entry) {
  const auto close = entry.find(']');
  if (close == std::string_view::npos) {
    return bad_entry("no ']' after the IPv6 address");
  }
  std::string host(entry.substr(1, close - 1));
  boost::system::error_code ec;
  static_cast<void>(boost::asio::ip::make_address_v6(host, ec));
  if (ec) {
    return bad_entry("not an IPv6 address in brackets");
  }
  const auto rest = entry.substr(close + 1);
  if (!rest.empty() && rest.front() != ':') {
    return bad_entry("expected :PORT after ']'");
  }
  return with_port(std::move(host), rest);
}

// "host" or "host:PORT", host a name or an IPv4 address.
entry_outcome parse_plain(std::string_view entry) {
  const auto colon = entry.find(':');
  if (colon != std::string_view::npos && entry.find(':', colon + 1) != std::string_view::npos) {
    return bad_entry("an IPv6 address needs brackets, as in [::1]:7070");
  }
  const auto host = entry.substr(0, colon);
  if (host.empty()) {
    return bad_entry("no host");
  }
  if (host.find_first_of(" \t[]/") != std::string_view::npos) {
    return bad_entry("not a host name or address");
  }
  return with_port(std::string(host), colon == std::string_view::npos ? "" : entry.substr(colon));
}

entry_outcome parse_entry(std::string_view entry) {
  if (entry.empty()) {
    return bad_entry("empty entry");
  }
  return entry.front() == '[' ? parse_bracketed(entry) : parse_plain(entry);
}

// Seconds as given on the command line; converted once parsing succeeded.
struct timeouts_in_seconds {
  double connect = 5;
  double reply = 120;
  double reconnect_delay = 0.25;
  double busy_wait = 60;
};

void add_options(CLI::App& app, client_options& options, timeouts_in_seconds& seconds,
                 std::string& servers) {
  app.add_option("threads", options.threads, "Connections to open, one thread each")
      ->required()
      ->check(CLI::Range(1, 1024));
  app.add_option("file", options.file, "File of URLs, one a line; - reads standard input")
      ->required()
      ->check(CLI::Validator(check_input, "FILE"));
  app.add_option("--host", options.host, "Server address")->capture_default_str();
  app.add_option("--port", options.port, "Server port")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  app.add_option("--servers", servers,
                 "Servers to spread the threads over and fail over between: HOST:PORT,... "
                 "([::1]:7070 for IPv6; no port: the default port). Not with --host or --port");
  app.add_option("--window", options.window, "URLs in flight per connection")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_flag("--json", options.json, "Print the server's JSON lines unchanged (NDJSON)");
  app.add_flag("--progress,!--no-progress", options.progress,
               "Progress on stderr (default: only when stderr is a terminal); --progress threads "
               "adds a line per thread: server, state, window, answers, errors, reconnects");
  app.add_option("--connect-timeout", seconds.connect, "Seconds per connection attempt")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--reply-timeout", seconds.reply,
                 "Seconds without any reply before a busy connection is dropped and retried")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--reconnect-attempts", options.reconnect_attempts,
                 "Failed connection attempts in a row before giving up")
      ->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--reconnect-delay", seconds.reconnect_delay,
                 "Seconds before the first retry; doubled after each failure")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_option("--busy-wait", seconds.busy_wait,
                 "Seconds a connection keeps retrying while the server answers busy (too many "
                 "clients)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
}

// The link to the server: TLS and the token (from a file or the environment, never argv, where
// every user of the machine could read it).
struct link_flags {
  std::string token_file;
};

void add_link_options(CLI::App& app, client_options& options, link_flags& flags) {
  app.add_option("--auth-token-file", flags.token_file,
                 std::string("File whose first line (not blank, not #) is the token the server "
                             "asks for; else the environment variable ") +
                     auth_token_variable)
      ->check(CLI::ExistingFile);
  auto* tls = app.add_flag("--tls", options.tls,
                           "Connect with TLS; the server's certificate and name are verified");
  app.add_option("--tls-ca", options.tls_ca,
                 "PEM file of the CAs to verify the server with, instead of the system's")
      ->check(CLI::ExistingFile)
      ->needs(tls);
}

// An error message, or nothing once the token (if any) is in options.auth_token.
std::optional<std::string> apply_link_flags(const link_flags& flags, client_options& options) {
  if (flags.token_file.empty()) {
    const char* from_env = std::getenv(auth_token_variable);  // NOLINT(concurrency-mt-unsafe)
    options.auth_token = from_env == nullptr ? "" : std::string(from_env);
    return std::nullopt;
  }
  std::ifstream file(flags.token_file, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  const auto tokens = token_lines(text.str());
  if (!file.is_open() || tokens.empty()) {
    return "--auth-token-file: no token in " + flags.token_file;
  }
  options.auth_token = tokens.front();
  return std::nullopt;
}

// Word-statistics options, passed in every request line; left out, the server's defaults hold.
struct word_flags {
  std::string stopwords;
  std::string content;
  std::size_t top = 0;
  bool stem = false;
};

void add_word_options(CLI::App& app, word_flags& flags) {
  app.add_option("--stopwords", flags.stopwords,
                 "Leave out stop words: none, auto (the text's languages), or codes such as en,ru");
  app.add_flag("--stem,!--no-stem", flags.stem, "Merge words by their Snowball stem");
  app.add_option("--content", flags.content,
                 "Count all text, or main (without nav, header, footer, aside)");
  app.add_option("--top", flags.top, "Words per answer (up to the server's --max-k)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
}

// An error message, or nothing once flags are in options.words.
std::optional<std::string> apply_word_flags(const CLI::App& app, const word_flags& flags,
                                            word_options_request& words) {
  if (app.get_option("--stopwords")->count() > 0) {
    words.stopwords = parse_stopwords(flags.stopwords);
    if (!words.stopwords) {
      return "--stopwords: expected none, auto or language codes such as en,ru";
    }
  }
  if (app.get_option("--stem")->count() > 0) {
    words.stem = flags.stem;
  }
  if (app.get_option("--content")->count() > 0) {
    words.content = parse_content(flags.content);
    if (!words.content) {
      return "--content: expected all or main";
    }
  }
  if (app.get_option("--top")->count() > 0) {
    words.k = flags.top;
  }
  return std::nullopt;
}

// An error message, or nothing once --servers (if given) is in options.servers.
std::optional<std::string> apply_servers(const CLI::App& app, const std::string& text,
                                         client_options& options) {
  if (app.get_option("--servers")->count() == 0) {
    return std::nullopt;
  }
  if (app.get_option("--host")->count() > 0 || app.get_option("--port")->count() > 0) {
    return "--servers cannot be combined with --host or --port: name every server in the list";
  }
  auto parsed = parse_server_list(text);
  if (parsed.servers.empty()) {
    return "--servers: " + parsed.error;
  }
  options.servers = std::move(parsed.servers);
  return std::nullopt;
}

constexpr std::string_view progress_flag = "--progress";

std::optional<progress_view> parse_progress_view(std::string_view name) {
  if (name == "line") {
    return progress_view::line;
  }
  if (name == "threads") {
    return progress_view::threads;
  }
  return std::nullopt;
}

// A word the user meant as a view rather than as the URL file: lower-case letters only, and
// no file of that name.
bool looks_like_a_view(const std::string& word) {
  std::error_code ec;
  return !word.empty() &&
         std::all_of(word.begin(), word.end(), [](char c) { return c >= 'a' && c <= 'z'; }) &&
         !std::filesystem::exists(word, ec);
}

// The arguments with the view taken out of "--progress NAME" and "--progress=NAME", leaving a
// bare --progress for CLI11. To CLI11 --progress stays a flag, so a positional argument after
// it is still one (`client --progress 4 urls.txt`); only a view name is taken as its value.
struct progress_arguments {
  std::vector<std::string> args;
  std::optional<progress_view> view;  // the last one given
  std::string error;                  // a bad view name
};

std::string unknown_view(std::string_view name) {
  std::string error("--progress: unknown view \"");
  error.append(name).append("\" (expected line or threads)");
  return error;
}

progress_arguments take_progress_view(std::span<const char* const> args) {
  progress_arguments taken;
  bool positional_only = false;  // after "--" nothing is an option
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string arg(args[i]);
    positional_only = positional_only || arg == "--";
    if (positional_only || i == 0 || !arg.starts_with(progress_flag)) {
      taken.args.push_back(arg);
      continue;
    }
    std::string_view rest{arg};
    rest.remove_prefix(progress_flag.size());
    if (rest.empty() && i + 1 < args.size() &&
        (parse_progress_view(args[i + 1]) || looks_like_a_view(args[i + 1]))) {
      taken.view = parse_progress_view(args[++i]);
      if (!taken.view) {
        taken.error = unknown_view(args[i]);
      }
    } else if (rest.starts_with('=')) {
      taken.view = parse_progress_view(rest.substr(1));
      if (!taken.view) {
        taken.error = unknown_view(rest.substr(1));
      }
    } else if (!rest.empty()) {
      taken.args.push_back(arg);  // another option that starts alike: CLI11 judges it
      continue;
    }
    taken.args.emplace_back(progress_flag);
  }
  return taken;
}

// Prints a usage error the way CLI11 does; the exit code of every usage error.
int usage_error(std::ostream& err, const std::string& message) {
  err << message << "\nRun with --help for more information.\n";
  return exit_cannot_run;
}

}  // namespace

std::string format_server(const server_address& server) {
  const bool ipv6 = server.host.find(':') != std::string::npos;
  const auto host = ipv6 ? "[" + server.host + "]" : server.host;
  return host + ":" + std::to_string(server.port);
}

server_list_outcome parse_server_list(std::string_view text) {
  server_list_outcome outcome;
  for (std::size_t start = 0; start <= text.size();) {
    const auto comma = std::min(text.find(',', start), text.size());
    const auto entry = trim_spaces(text.substr(start, comma - start));
    auto parsed = parse_entry(entry);
    if (!parsed.server) {
      return {{}, "bad entry \"" + std::string(entry) + "\": " + parsed.why};
    }
    outcome.servers.push_back(std::move(*parsed.server));
    start = comma + 1;
  }
  return outcome;
}

std::vector<server_address> servers_to_use(const client_options& options) {
  if (!options.servers.empty()) {
    return options.servers;
  }
  return {server_address{options.host, options.port}};
}

parse_outcome parse_client_options(std::span<const char* const> args, bool stderr_is_terminal,
                                   std::ostream& out, std::ostream& err) {
  const auto name = program_name(args.empty() ? nullptr : args[0], "client");
  CLI::App app("Sends the URLs of FILE to a wordcrawl server and prints each page's top words.",
               name);
  app.footer(exit_codes_text);
  std::string version_line = name;
  version_line.append(" (wordcrawl) ").append(version);
  app.set_version_flag("--version", version_line);
  client_options options;
  timeouts_in_seconds seconds;
  std::string servers;
  add_options(app, options, seconds, servers);
  word_flags words;
  add_word_options(app, words);
  link_flags link;
  add_link_options(app, options, link);
  const auto progress_args = take_progress_view(args);
  if (!progress_args.error.empty()) {
    return {std::nullopt, usage_error(err, progress_args.error)};
  }
  std::vector<const char*> argv;
  argv.reserve(progress_args.args.size());
  for (const auto& arg : progress_args.args) {
    argv.push_back(arg.c_str());
  }
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return {std::nullopt, code == 0 ? exit_all_answered : exit_cannot_run};
  }
  if (app.get_option("--progress")->count() == 0) {
    options.progress = stderr_is_terminal;
  }
  options.progress_style = progress_args.view.value_or(progress_view::line);
  options.progress_in_place = stderr_is_terminal;
  options.connect_timeout = to_millis(seconds.connect);
  options.reply_timeout = to_millis(seconds.reply);
  options.reconnect_delay = to_millis(seconds.reconnect_delay);
  options.busy_wait = to_millis(seconds.busy_wait);
  if (auto error = apply_word_flags(app, words, options.words)) {
    return {std::nullopt, usage_error(err, *error)};
  }
  if (auto error = apply_servers(app, servers, options)) {
    return {std::nullopt, usage_error(err, *error)};
  }
  if (auto error = apply_link_flags(link, options)) {
    return {std::nullopt, usage_error(err, *error)};
  }
  return {options, exit_all_answered};
}

}  // namespace wordcrawl
