#include "server_options.hpp"

#include <cmath>
#include <cstdint>
#include <ostream>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include <CLI/CLI.hpp>

#include "network/tls_context.hpp"
#include "wordcrawl/program_name.hpp"

namespace wordcrawl {
namespace {

// Durations are given in (fractional) seconds on the command line.
std::chrono::milliseconds to_millis(double seconds) {
  return std::chrono::milliseconds(std::llround(seconds * 1000.0));
}

struct raw_options {
  int port = default_port;
  double idle_timeout = 60;
  double write_timeout = 30;
  double grace = 10;
  double rate_interval = 10;
  double connect_timeout = 10;
  double total_timeout = 30;
  std::int64_t low_speed_time = 15;
  std::string robots = "obey";
  double robots_ttl = 3600;
  double delay = 0;
  double max_crawl_delay = 10;
  std::vector<std::string> allow_private;
  std::string stopwords = "none";
  std::string content = "all";
  std::string redis;
  double visibility_timeout = 10;
  double node_ttl = 30;
  std::string auth_token_file;
  std::string tls_cert;
  std::string tls_key;
  int status_port = -1;  // -1: no status port
};

void add_word_flags(CLI::App& app, server_options& options, raw_options& raw) {
  app.add_option("--stopwords", raw.stopwords,
                 "Stop words left out when a request does not say: none, auto, or codes (en,ru)")
      ->capture_default_str();
  app.add_flag("--stem", options.words.stem,
               "Merge words by their Snowball stem when a request does not say");
  app.add_option("--content", raw.content,
                 "Text counted when a request does not say: all, or main (no nav, header, "
                 "footer, aside)")
      ->capture_default_str();
  app.add_option("--max-k", options.words.max_k, "Largest k a request may ask for")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
}

void add_server_flags(CLI::App& app, server_options& options, raw_options& raw) {
  app.add_option("-w,--workers", options.workers, "Worker threads fetching pages")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}))
      ->capture_default_str();
  app.add_option("-k,--top-k", options.top_k, "Words per reply")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}))
      ->capture_default_str();
  app.add_option("--host", options.host, "Address to listen on (0.0.0.0 for every interface)")
      ->capture_default_str();
  app.add_option("--port", raw.port, "TCP port; 0 picks a free one")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  app.add_option("--queue", options.queue, "Jobs waiting for a worker, all clients together")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--per-host", options.per_host,
                 "Fetches of one host at once, all workers together (0 = unlimited)")
      ->capture_default_str();
  app.add_option("--max-clients", options.max_clients, "Connections served at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--max-in-flight", options.limits.max_in_flight,
                 "URLs one connection may have queued or being fetched")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 20))
      ->capture_default_str();
  app.add_option("--max-unsent-bytes", options.max_unsent_bytes,
                 "Reply bytes held for all clients together (each URL in flight reserves 1 MiB)")
      ->check(CLI::Range(std::size_t{2} << 20, std::size_t{1} << 40))
      ->capture_default_str();
  app.add_option("--idle-timeout", raw.idle_timeout,
                 "Seconds without a line, nothing in flight, before a client is closed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--write-timeout", raw.write_timeout,
                 "Seconds a client may take to accept a reply before it is closed")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--grace", raw.grace, "Seconds queued URLs keep being fetched after a stop")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--rate-interval", raw.rate_interval, "Seconds between rate lines on stderr")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
}

void add_cluster_flags(CLI::App& app, cluster_options& cluster, raw_options& raw) {
  app.add_option("--redis", raw.redis,
                 "Join a cluster sharing one queue on Redis: redis://HOST:PORT or unix:/PATH");
  app.add_option("--cluster-name", cluster.name,
                 "Prefix of the cluster's Redis keys (clusters sharing one Redis differ)")
      ->capture_default_str();
  app.add_option("--visibility-timeout", raw.visibility_timeout,
                 "Seconds a claimed URL stays with a node that stopped renewing it")
      ->check(CLI::Range(0.2, 3600.0))
      ->capture_default_str();
  app.add_option("--max-tries", cluster.max_tries,
                 "Nodes that may take a URL before it is answered \"gave up\"")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100}))
      ->capture_default_str();
  app.add_option("--cluster-backlog", cluster.backlog,
                 "URLs in the shared queue over which nodes stop reading their clients")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30))
      ->capture_default_str();
  app.add_option("--node-ttl", raw.node_ttl,
                 "Seconds a silent node counts as alive (its queued URLs are kept)")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
}

void add_politeness_flags(CLI::App& app, raw_options& raw) {
  app.add_option("--robots", raw.robots,
                 "robots.txt of each site: obey (a disallowed URL is answered kind robots) or "
                 "ignore")
      ->check(CLI::IsMember({"obey", "ignore"}))
      ->capture_default_str();
  app.add_option("--robots-ttl", raw.robots_ttl, "Seconds a site's robots.txt is kept")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  app.add_option("--delay", raw.delay,
                 "Seconds between two requests to one host, all workers together")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
  app.add_option("--max-crawl-delay", raw.max_crawl_delay,
                 "A robots.txt Crawl-delay is honoured up to this many seconds (0 = ignored)")
      ->check(CLI::Range(0.0, 3600.0))
      ->capture_default_str();
}

void add_fetch_flags(CLI::App& app, fetch_options& fetch, raw_options& raw) {
  app.add_option("--connect-timeout", raw.connect_timeout, "Seconds to connect to a web server")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--timeout", raw.total_timeout, "Seconds for one URL, retries included")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--low-speed-limit", fetch.low_speed_limit,
                 "Bytes/s below which a transfer is too slow (0 = off)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--low-speed-time", raw.low_speed_time, "Seconds a transfer may be too slow")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  app.add_option("--max-body", fetch.max_body, "Largest decoded page body in bytes")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  app.add_option("--max-redirects", fetch.max_redirects, "Redirects followed per URL")
      ->check(CLI::Range(0L, 100L))
      ->capture_default_str();
  app.add_option("--retries", fetch.retries, "Extra attempts after a transient failure")
      ->check(CLI::Range(0, 10))
      ->capture_default_str();
  app.add_option("--user-agent", fetch.user_agent, "User-Agent header")->capture_default_str();
  app.add_option("--allow-private", raw.allow_private,
                 "Allow fetching from this private address range (CIDR; repeatable)");
  app.add_option("--ca-bundle", fetch.ca_bundle,
                 "PEM file of CA certificates to trust instead of the system's")
      ->check(CLI::ExistingFile);
  add_politeness_flags(app, raw);
}

void add_link_flags(CLI::App& app, link_options& link, raw_options& raw) {
  app.add_option("--auth-token-file", raw.auth_token_file,
                 "File of tokens (one per line, 16 bytes or more; # comments): a connection's "
                 "first line must be {\"auth\":\"<token>\"}")
      ->type_name("FILE");
  app.add_flag("--no-auth", link.no_auth,
               "Serve clients not on loopback without a token (protected mode off)");
  auto* cert = app.add_option("--tls-cert", raw.tls_cert,
                              "PEM certificate (chain) for TLS with clients; needs --tls-key")
                   ->type_name("FILE");
  auto* key =
      app.add_option("--tls-key", raw.tls_key, "PEM private key of --tls-cert")->type_name("FILE");
  cert->needs(key);
  key->needs(cert);
  app.add_option("--client-rate", link.quota.urls_per_minute,
                 "URLs per minute one client address may send, all its connections together "
                 "(0 = no limit)")
      ->capture_default_str();
  app.add_option("--max-clients-per-address", link.quota.connections,
                 "Connections one client address may have open at once (0 = no limit)")
      ->capture_default_str();
}

void add_status_flags(CLI::App& app, server_options& options, raw_options& raw) {
  app.add_option("--status-port", raw.status_port,
                 "Also serve /metrics, /status and a live page over HTTP on this port (0 picks "
                 "a free one); off by default")
      ->check(CLI::Range(0, 65535));
  app.add_option("--status-host", options.status_host, "Address the status port listens on")
      ->capture_default_str();
}

// A file of the same options, so that a service's settings live in /etc, not in its unit. Keys
// are the long option names (`workers = 10`, `allow-private = ["10.0.0.0/8"]`); the command
// line wins over the file, and a key the server does not know is an error, not a silent typo.
CLI::Option* add_config_flags(CLI::App& app, bool& print_config) {
  auto* config = app.set_config("--config", "",
                                "Read options from this file (TOML: `workers = 10`, one per line; "
                                "the command line wins)");
  config->type_name("FILE");
  app.allow_config_extras(CLI::config_extras_mode::error);
  return app.add_flag("--print-config", print_config,
                      "Print every option with its value as a --config file, then exit");
}

// Every option as a --config file: the ones set (on the command line or in a --config file)
// as they are, the others commented out at their defaults, so that the file documents them all
// and reading it back changes nothing.
std::string config_file_text(const CLI::App& app) {
  std::istringstream all(app.config_to_str(true, true));
  std::string text;
  for (std::string line; std::getline(all, line);) {
    const auto equals = line.find('=');
    if (!line.empty() && line.front() != '#' && equals != std::string::npos) {
      const auto* option = app.get_option_no_throw("--" + line.substr(0, equals));
      if (option == nullptr || option->count() == 0) {
        text.append("# ");
      }
    }
    text.append(line).push_back('\n');
  }
  return text;
}

// Reads the token file and the TLS files now, so that a bad one stops the start with exit 2.
std::optional<std::string> apply_link(const raw_options& raw, link_options& link) {
  if (!raw.auth_token_file.empty()) {
    auto tokens = auth_tokens::load(raw.auth_token_file);
    if (auto* error = std::get_if<std::string>(&tokens)) {
      return "--auth-token-file: " + *error;
    }
    link.tokens = std::get<auth_tokens>(std::move(tokens));
  }
  if (!raw.tls_cert.empty()) {
    auto tls = make_server_tls(raw.tls_cert, raw.tls_key);
    if (auto* error = std::get_if<std::string>(&tls)) {
      return *error;
    }
    link.tls = std::get<0>(std::move(tls));
  }
  return std::nullopt;
}

// Moves what CLI11 parsed into raw form into the options; an error message if it is unusable.
std::optional<std::string> apply_raw(const raw_options& raw, server_options& options) {
  options.port = static_cast<std::uint16_t>(raw.port);
  const auto stopwords = parse_stopwords(raw.stopwords);
  if (!stopwords) {
    return "--stopwords: expected none, auto or language codes such as en,ru";
  }
  if (auto error = check_stopwords(*stopwords)) {
    return "--stopwords: " + error->message;
  }
  options.words.stopwords = *stopwords;
  const auto content = parse_content(raw.content);
  if (!content) {
    return "--content: expected all or main";
  }
  options.words.content = *content;
  options.limits.idle_timeout = to_millis(raw.idle_timeout);
  options.limits.write_timeout = to_millis(raw.write_timeout);
  options.grace = to_millis(raw.grace);
  options.rate_interval = to_millis(raw.rate_interval);
  options.fetch.connect_timeout = to_millis(raw.connect_timeout);
  options.fetch.total_timeout = to_millis(raw.total_timeout);
  options.fetch.low_speed_time = std::chrono::seconds(raw.low_speed_time);
  options.fetch.obey_robots = raw.robots == "obey";
  options.fetch.robots_ttl = std::chrono::seconds(static_cast<std::int64_t>(raw.robots_ttl));
  options.fetch.delay = to_millis(raw.delay);
  options.fetch.max_crawl_delay = to_millis(raw.max_crawl_delay);
  if (!raw.redis.empty()) {
    auto address = parse_redis_url(raw.redis);
    if (auto* error = std::get_if<std::string>(&address)) {
      return "--redis: " + *error;
    }
    options.cluster.redis = std::get<redis_address>(std::move(address));
  }
  if (options.cluster.name.empty() ||
      options.cluster.name.find_first_of(" \r\n") != std::string::npos) {
    return "--cluster-name: must be a non-empty word";
  }
  options.cluster.visibility = to_millis(raw.visibility_timeout);
  options.cluster.node_ttl = to_millis(raw.node_ttl);
  if (options.fetch.user_agent.find_first_of("\r\n") != std::string::npos) {
    return "--user-agent: must not contain CR or LF";
  }
  for (const auto& range : raw.allow_private) {
    if (auto error = options.fetch.filter.allow(range)) {
      return "--allow-private: " + *error;
    }
  }
  return std::nullopt;
}

}  // namespace

parsed_options parse_server_options(int argc, const char* const* argv, std::ostream& out,
                                    std::ostream& err) {
  const auto name = program_name(argc > 0 ? argv[0] : nullptr, "server");
  CLI::App app(
      "Fetches the pages whose URLs clients send, one per line, and answers each with "
      "its most frequent words as one JSON line.",
      name);
  std::string version_line = name;
  version_line.append(" (wordcrawl) ").append(version);
  app.set_version_flag("--version", version_line);
  app.footer(
      "On SIGINT, SIGTERM or SIGHUP the server stops accepting, answers every URL it has read "
      "(fetching for --grace seconds, then answering \"server shutting down\") and exits 0. A "
      "second signal exits at once with status 128 + signal number.");
  server_options options;
  raw_options raw;
  add_server_flags(app, options, raw);
  add_fetch_flags(app, options.fetch, raw);
  add_word_flags(app, options, raw);
  add_cluster_flags(app, options.cluster, raw);
  add_link_flags(app, options.link, raw);
  add_status_flags(app, options, raw);
  bool print_config = false;
  add_config_flags(app, print_config)->configurable(false);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ConfigError& e) {  // an unknown key or a line that is not key = value
    std::string message = e.what();
    if (const std::string extra = "INI was not able to parse "; message.starts_with(extra)) {
      message = "no such option: " + message.substr(extra.size());
    }
    err << "--config: " << message << "\nRun with --help for more information.\n";
    return {std::nullopt, 2};
  } catch (const CLI::FileError& e) {
    err << "--config: " << e.what() << "\nRun with --help for more information.\n";
    return {std::nullopt, 2};
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, out, err);
    return {std::nullopt, code == 0 ? 0 : 2};
  }
  if (print_config) {
    out << config_file_text(app);
    return {std::nullopt, 0};
  }
  options.max_clients_given = app.get_option("--max-clients")->count() > 0;
  if (raw.status_port >= 0) {
    options.status_port = static_cast<std::uint16_t>(raw.status_port);
  }
  auto error = apply_raw(raw, options);
  if (!error) {
    error = apply_link(raw, options.link);
  }
  if (error) {
    err << *error << "\nRun with --help for more information.\n";
    return {std::nullopt, 2};
  }
  return {std::move(options), 0};
}

}  // namespace wordcrawl
