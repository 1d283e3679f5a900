#include "client_options.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>

#include <CLI/CLI.hpp>

namespace wordcrawl {
namespace {

constexpr const char* exit_codes_text =
    "Exit codes:\n"
    "  0  every URL was answered with words\n"
    "  1  every URL was answered, some with an error\n"
    "  2  could not run: bad arguments, unreadable input, server unreachable or URLs "
    "left unanswered\n";

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

// Seconds as given on the command line; converted once parsing succeeded.
struct timeouts_in_seconds {
  double connect = 5;
  double reply = 120;
  double reconnect_delay = 0.25;
  double busy_wait = 60;
};

void add_options(CLI::App& app, client_options& options, timeouts_in_seconds& seconds) {
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
  app.add_option("--window", options.window, "URLs in flight per connection")
      ->capture_default_str()
      ->check(CLI::Range(1, 100000));
  app.add_flag("--json", options.json, "Print the server's JSON lines unchanged (NDJSON)");
  app.add_flag("--progress,!--no-progress", options.progress,
               "Progress bar on stderr (default: only when stderr is a terminal)");
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

}  // namespace

parse_outcome parse_client_options(std::span<const char* const> args, bool stderr_is_terminal,
                                   std::ostream& out, std::ostream& err) {
  CLI::App app("Sends the URLs of FILE to a wordcrawl server and prints each page's top words.",
               "client");
  app.footer(exit_codes_text);
  app.set_version_flag("--version", std::string("client ") + version);
  client_options options;
  timeouts_in_seconds seconds;
  add_options(app, options, seconds);
  word_flags words;
  add_word_options(app, words);
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return {std::nullopt, code == 0 ? exit_all_answered : exit_cannot_run};
  }
  if (app.get_option("--progress")->count() == 0) {
    options.progress = stderr_is_terminal;
  }
  options.connect_timeout = to_millis(seconds.connect);
  options.reply_timeout = to_millis(seconds.reply);
  options.reconnect_delay = to_millis(seconds.reconnect_delay);
  options.busy_wait = to_millis(seconds.busy_wait);
  if (auto error = apply_word_flags(app, words, options.words)) {
    err << *error << "\nRun with --help for more information.\n";
    return {std::nullopt, exit_cannot_run};
  }
  return {options, exit_all_answered};
}

}  // namespace wordcrawl
